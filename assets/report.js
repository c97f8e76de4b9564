/* The coach's page at work: a click on a timeline plays the call from the
 * moment under the pointer, a marker or a play button from just before what
 * it marks; a playhead follows the audio on every timeline; and when the
 * recording cannot be played, the page says so where the player is.
 *
 * Runs right after the player, before the timelines are parsed: so its
 * listeners are in place before the player tries its sources, and the
 * timelines are found when they are needed. */
(function () {
  'use strict';
  var audio = document.getElementById('audio');
  if (!audio) return;

  function num(el, name) { return parseFloat(el.getAttribute('data-' + name)); }

  function playFrom(t) {
    audio.currentTime = Math.max(0, t);
    var started = audio.play();
    if (started && started.catch) started.catch(function () {});
  }

  /* The time under a point of a timeline (its data-x0 and data-w give the
   * plot in SVG units, data-t0 and data-t1 the seconds it spans), or null
   * outside the plot. */
  function timeAt(svg, clientX, clientY) {
    var screen = svg.getScreenCTM();
    if (!screen) return null;
    var p = svg.createSVGPoint();
    p.x = clientX;
    p.y = clientY;
    var u = (p.matrixTransform(screen.inverse()).x - num(svg, 'x0')) / num(svg, 'w');
    if (!(u >= 0 && u <= 1)) return null;
    return Math.min(num(svg, 't0') + u * (num(svg, 't1') - num(svg, 't0')), num(svg, 'end'));
  }

  document.addEventListener('click', function (e) {
    if (!e.target.closest) return;
    var marked = e.target.closest('[data-t]');
    if (marked) {
      e.preventDefault();
      playFrom(num(marked, 't'));
      return;
    }
    var svg = e.target.closest('svg.timeline');
    var t = svg ? timeAt(svg, e.clientX, e.clientY) : null;
    if (t !== null) playFrom(t);
  });

  function movePlayheads() {
    var t = audio.currentTime;
    var lines = document.querySelectorAll('svg.timeline .playhead');
    for (var i = 0; i < lines.length; i++) {
      var svg = lines[i].ownerSVGElement;
      var t0 = num(svg, 't0'), t1 = num(svg, 't1');
      if (t < t0 || t > t1) {
        lines[i].setAttribute('visibility', 'hidden');
        continue;
      }
      var x = num(svg, 'x0') + (t - t0) / (t1 - t0) * num(svg, 'w');
      lines[i].setAttribute('x1', x.toFixed(1));
      lines[i].setAttribute('x2', x.toFixed(1));
      lines[i].setAttribute('visibility', 'visible');
    }
  }

  function follow() {
    movePlayheads();
    if (!audio.paused && !audio.ended) window.requestAnimationFrame(follow);
  }
  audio.addEventListener('play', follow);
  audio.addEventListener('seeked', movePlayheads);
  audio.addEventListener('timeupdate', movePlayheads);

  /* A linked recording is tried at each <source> in turn (the path relative
   * to the page, then where it was when the page was made): the last one
   * failing means none could be played. An embedded one fails on the player. */
  var missing = document.getElementById('audio-missing');
  function cannotPlay() { if (missing) missing.hidden = false; }
  var sources = audio.getElementsByTagName('source');
  if (sources.length) sources[sources.length - 1].addEventListener('error', cannotPlay);
  else audio.addEventListener('error', cannotPlay);
  /* The page holds the player back (preload none) until now. */
  audio.preload = 'metadata';
  audio.load();
})();
