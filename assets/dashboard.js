/* The scan dashboard's table: sorting by any column and filtering, with the
   view kept in the address's fragment (#sort=score&dir=asc&agent=alex), so
   a view can be bookmarked or sent. Compiled into callscope. */
(function () {
  'use strict';
  var root = document.documentElement;
  window.addEventListener('error', function (e) {
    root.setAttribute('data-script-error', String(e.message || e));
  });

  var table = document.getElementById('calls');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row, i) { row.setAttribute('data-order', String(i)); });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var controls = {
    q: document.getElementById('filter-text'),
    agent: document.getElementById('filter-agent'),
    kind: document.getElementById('filter-kind'),
    status: document.getElementById('filter-status')
  };
  var shown = document.getElementById('shown');

  function columnOf(key) {
    for (var i = 0; i < headers.length; i++) {
      if (headers[i].getAttribute('data-key') === key) { return i; }
    }
    return -1;
  }

  function readState() {
    var p = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    return {
      q: p.get('q') || '',
      agent: p.get('agent') || '',
      kind: p.get('kind') || '',
      status: p.get('status') || '',
      sort: p.get('sort') || '',
      dir: p.get('dir') === 'desc' ? 'desc' : 'asc'
    };
  }

  function writeState(st) {
    var p = new URLSearchParams();
    ['q', 'agent', 'kind', 'status', 'sort'].forEach(function (k) { if (st[k]) { p.set(k, st[k]); } });
    if (st.sort) { p.set('dir', st.dir); }
    window.history.replaceState(null, '', '#' + p.toString());
  }

  function cellValue(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent.trim();
    if (!numeric) { return v.toLowerCase(); }
    return v === '' ? null : parseFloat(v);
  }

  function keep(row, st) {
    if (st.agent && row.getAttribute('data-agent') !== st.agent) { return false; }
    var kinds = ' ' + (row.getAttribute('data-kinds') || '') + ' ';
    if (st.kind === 'none' && kinds.trim() !== '') { return false; }
    if (st.kind && st.kind !== 'none' && kinds.indexOf(' ' + st.kind + ' ') < 0) { return false; }
    if (st.status === 'role' && row.getAttribute('data-role') !== '1') { return false; }
    if (st.status === 'error' && row.getAttribute('data-status') !== 'error') { return false; }
    if (st.status === 'ok' && row.getAttribute('data-status') !== 'ok') { return false; }
    if (st.q && row.textContent.toLowerCase().indexOf(st.q.toLowerCase()) < 0) { return false; }
    return true;
  }

  function apply(st) {
    controls.q.value = st.q;
    controls.agent.value = st.agent;
    controls.kind.value = st.kind;
    controls.status.value = st.status;
    var col = st.sort ? columnOf(st.sort) : -1;
    var numeric = col >= 0 && headers[col].getAttribute('data-type') === 'num';
    var sign = st.dir === 'desc' ? -1 : 1;
    var order = rows.slice();
    if (col >= 0) {
      order.sort(function (a, b) {
        var x = cellValue(a, col, numeric), y = cellValue(b, col, numeric);
        var c = 0;
        if (x === null || y === null) {
          c = x === y ? 0 : x === null ? 1 : -1; /* no value: last either way */
        } else {
          c = sign * (x < y ? -1 : x > y ? 1 : 0);
        }
        return c || parseInt(a.getAttribute('data-order'), 10) - parseInt(b.getAttribute('data-order'), 10);
      });
    }
    var count = 0;
    order.forEach(function (row) {
      row.hidden = !keep(row, st);
      count += row.hidden ? 0 : 1;
      body.appendChild(row);
    });
    headers.forEach(function (th, i) {
      th.classList.toggle('sorted-asc', i === col && st.dir === 'asc');
      th.classList.toggle('sorted-desc', i === col && st.dir === 'desc');
      th.setAttribute('aria-sort', i === col ? (st.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    });
    shown.textContent = count + ' of ' + rows.length + ' recordings shown';
  }

  function fromControls() {
    var st = readState();
    st.q = controls.q.value;
    st.agent = controls.agent.value;
    st.kind = controls.kind.value;
    st.status = controls.status.value;
    return st;
  }

  headers.forEach(function (th) {
    var link = th.querySelector('a');
    if (!link) { return; }
    link.addEventListener('click', function (e) {
      e.preventDefault();
      var st = fromControls();
      var key = th.getAttribute('data-key');
      st.dir = st.sort === key && st.dir === 'asc' ? 'desc' : 'asc';
      st.sort = key;
      writeState(st);
      apply(st);
    });
  });
  Object.keys(controls).forEach(function (k) {
    controls[k].addEventListener(k === 'q' ? 'input' : 'change', function () {
      var st = fromControls();
      writeState(st);
      apply(st);
    });
  });
  window.addEventListener('hashchange', function () { apply(readState()); });
  apply(readState());
  root.setAttribute('data-ready', '1');
}());
