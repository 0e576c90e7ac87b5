"""Headless Chromium driven over the DevTools protocol, and a localhost file server.

Why this and not Playwright or ``--dump-dom``: the tests need a real browser
to parse our WebVTT and run the review page, then read values back
(``track.cues``, ``currentTime``), click like a user and take a screenshot.
``--dump-dom`` can only dump the DOM once the page loads, with no clicks or
screenshots, and races the track's loading. Playwright drives Chromium over
the same protocol but is a large package pinned to its own browser builds.
The DevTools protocol's core commands (Runtime.evaluate,
Input.dispatchMouseEvent, Page.captureScreenshot) are stable across Chromium
versions, so this small client talks to Debian's ``chromium`` over one
websocket (``websocket-client``, pure Python) and downloads nothing.

Every wait has a bound (a page that never loads fails the test rather than
hanging it); no test asserts on how long anything took.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import websocket

WAIT_S = 60.0
"""Upper bound on any single wait (browser start, page load, a command)."""


def find_chromium() -> str | None:
    """The Chromium executable: $ALIGNER_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH."""
    named = os.environ.get("ALIGNER_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    """The browser did not start, or a DevTools command or page script failed."""


class Chromium:
    """One headless Chromium process with one page, driven over the DevTools protocol."""

    def __init__(self, executable: str, *, width: int = 1280, height: int = 900) -> None:
        # Chromium's helper processes can still be writing the profile as it exits.
        self._profile = tempfile.TemporaryDirectory(prefix="aligner-chromium-", ignore_cleanup_errors=True)
        args = [
            executable,
            "--headless",
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--mute-audio",
            "--hide-scrollbars",
            "--autoplay-policy=no-user-gesture-required",
            f"--user-data-dir={self._profile.name}",
            "--remote-debugging-port=0",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: close() ends the helpers too
        )
        self._stderr: list[bytes] = []
        threading.Thread(target=self._drain, daemon=True).start()
        try:
            port = self._wait_for_port()
            self._ws = websocket.create_connection(self._page_socket(port), timeout=WAIT_S, suppress_origin=True)
        except BaseException:
            self.close()
            raise
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    # --- process ---------------------------------------------------------------

    def _drain(self) -> None:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            self._stderr.append(line)

    def _log(self) -> str:
        return b"".join(self._stderr[-30:]).decode("utf-8", "replace")

    def _wait_for_port(self) -> int:
        marker = Path(self._profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BrowserError(f"chromium exited with status {self._process.returncode}:\n{self._log()}")
            if marker.exists():
                lines = marker.read_text().split()
                if lines:
                    return int(lines[0])
            time.sleep(0.05)
        raise BrowserError(f"chromium did not open its DevTools port within {WAIT_S:.0f} s:\n{self._log()}")

    @staticmethod
    def _page_socket(port: int) -> str:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # localhost, never a proxy
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            with opener.open(f"http://127.0.0.1:{port}/json/list", timeout=WAIT_S) as response:
                targets = json.loads(response.read())
            pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise BrowserError("chromium opened no page")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ws.close()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)  # helpers left in the group we started
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- protocol --------------------------------------------------------------

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one DevTools command and return its result; events seen meanwhile go to :attr:`events`."""
        self._next_id += 1
        message_id = self._next_id
        self._ws.send(json.dumps({"id": message_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + WAIT_S
        while True:
            message = self._receive(deadline, f"the reply to {method}")
            if message.get("id") == message_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})

    def _receive(self, deadline: float, what: str) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError(f"no {what} within {WAIT_S:.0f} s")
        self._ws.settimeout(remaining)
        try:
            message = json.loads(self._ws.recv())
        except websocket.WebSocketTimeoutException:
            raise BrowserError(f"no {what} within {WAIT_S:.0f} s") from None
        if "method" in message:
            self.events.append(message)
        return message

    def wait_event(self, method: str) -> dict[str, Any]:
        """The first event ``method`` not yet taken, waiting for it if need be."""
        deadline = time.monotonic() + WAIT_S
        while True:
            for k, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(k)
            self._receive(deadline, f"{method} event")

    def navigate(self, url: str) -> None:
        """Open ``url`` and wait for its load event."""
        self.events.clear()
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page (promises awaited) and return its value as JSON data."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True, "userGesture": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"page script failed: {text}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """Click the centre of the first element matching ``selector``, as a mouse would."""
        box = self.evaluate(
            f"""(() => {{
                const el = document.querySelector({json.dumps(selector)});
                if (!el) {{ throw new Error("no element matches " + {json.dumps(selector)}); }}
                el.scrollIntoView({{block: "center"}});
                const r = el.getBoundingClientRect();
                return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
            }})()"""
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the viewport."""
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))
        return path


class _RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files with HTTP range requests, which media elements use to seek."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do; every response has a Content-Length

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def send_head(self):  # type: ignore[override]
        range_header = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if not range_header or not range_header.startswith("bytes=") or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first_text, _, last_text = range_header[len("bytes=") :].split(",")[0].partition("-")
        if first_text:
            first = int(first_text)
            last = min(int(last_text), size - 1) if last_text else size - 1
        else:  # a suffix: the last N bytes
            first, last = max(size - int(last_text), 0), size - 1
        if first >= size or first > last:
            self.send_error(416, "Requested range not satisfiable")
            return None
        handle = path.open("rb")
        handle.seek(first)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Accept-Ranges", "bytes")
        stat = path.stat()
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("ETag", f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"')
        self.end_headers()
        self._remaining = last - first + 1
        return handle

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)
        self._remaining = None


_RangeHandler.extensions_map = {
    **http.server.SimpleHTTPRequestHandler.extensions_map,
    ".vtt": "text/vtt",
    ".mp3": "audio/mpeg",
    ".html": "text/html",
}


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at a free port; yields the base URL (``http://127.0.0.1:PORT/``)."""

    def handler(*args: Any, **kwargs: Any) -> _RangeHandler:
        return _RangeHandler(*args, directory=str(folder), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True  # a response the browser stopped reading must not hold up shutdown
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
