"""Drives headless Chromium through its DevTools pipe, for the tests of the HTML pages.

    python3 tests/browser.py CHROMIUM PROFILE_DIR < COMMANDS

Reads one command a line and prints one line of answer for each (JSON for
`eval`), so a shell test can act on a page the way a person does and read
back what happened:

    open FILE                 load the page (a path) and wait for its load event
    eval EXPRESSION           the value of a JavaScript expression in the page, as
                              JSON; a promise is waited for
    click SELECTOR FX FY      a real mouse click (pressed and released) at the
                              fraction FX, FY of the first matching element's box,
                              scrolled into view first; prints the point clicked
    wait SECONDS              real time passes
    console                   the console messages and uncaught errors so far,
                              one JSON list

Only the Python standard library: Chromium talks over file descriptors 3
and 4 (--remote-debugging-pipe), messages ended by a NUL byte.
"""
import json
import os
import subprocess
import sys
import time

# Connections the browser would make on its own fail on a closed network and
# slow it down; the rest keep a run repeatable.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--mute-audio",
    "--autoplay-policy=no-user-gesture-required", "--remote-debugging-pipe", "--window-size=1200,1000",
]
ANSWER_TIMEOUT_S = 60


class Browser:
    def __init__(self, chromium, profile_dir):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def pipes_at_3_and_4():
            # dup2 clears close-on-exec; 3 and 4 may be the pipes themselves.
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen([chromium] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile_dir],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=pipes_at_3_and_4, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable")

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise RuntimeError("the browser did not answer in time")
            chunk = os.read(self.from_browser, 65536)
            if not chunk:
                raise RuntimeError("the browser closed its pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def call(self, method, params=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session:
            msg["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method):
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method:
                    del self.events[i]
                    return ev
            self.events.append(self._read_message(deadline))

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                 "returnByValue": True, "userGesture": True})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise RuntimeError("script error: %s" % details.get("exception", {}).get("description", details.get("text")))
        return result["result"].get("value")

    def console(self):
        # Drain what has arrived without waiting for more.
        self.call("Runtime.evaluate", {"expression": "0"})
        out = []
        for ev in self.events:
            method, p = ev.get("method"), ev.get("params", {})
            if method == "Runtime.consoleAPICalled":
                out.append("console.%s: %s" % (p.get("type"), " ".join(str(a.get("value", a.get("description")))
                                                                        for a in p.get("args", []))))
            elif method == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append("uncaught: %s" % d.get("exception", {}).get("description", d.get("text")))
            elif method == "Log.entryAdded":
                e = p.get("entry", {})
                out.append("log.%s: %s" % (e.get("level"), e.get("text")))
        return out

    def open(self, path):
        self.events = [ev for ev in self.events if ev.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": "file://" + os.path.abspath(path)})
        self.wait_event("Page.loadEventFired")

    def click(self, selector, fx, fy):
        box = self.evaluate("(function(){var e=document.querySelector(%s);if(!e)return null;"
                            "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
                            "return [r.left,r.top,r.width,r.height];})()" % json.dumps(selector))
        if box is None:
            raise RuntimeError("no element matches %s" % selector)
        x, y = box[0] + fx * box[2], box[1] + fy * box[3]
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        return [round(x, 1), round(y, 1)]

    def close(self):
        try:
            self.session = None
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: python3 tests/browser.py CHROMIUM PROFILE_DIR < COMMANDS")
    browser = Browser(sys.argv[1], sys.argv[2])
    status = 0
    try:
        for line in sys.stdin:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            verb, _, rest = line.partition(" ")
            try:
                if verb == "open":
                    browser.open(rest)
                    answer = "loaded"
                elif verb == "eval":
                    answer = json.dumps(browser.evaluate(rest))
                elif verb == "click":
                    selector, fx, fy = rest.rsplit(" ", 2)
                    answer = json.dumps(browser.click(selector, float(fx), float(fy)))
                elif verb == "wait":
                    time.sleep(float(rest))
                    answer = "waited"
                elif verb == "console":
                    answer = json.dumps(browser.console())
                else:
                    answer = "error: unknown command %s" % verb
            except RuntimeError as e:
                answer = "error: %s" % e
                status = 1
            print(answer, flush=True)
    finally:
        browser.close()
    sys.exit(status)


if __name__ == "__main__":
    main()
