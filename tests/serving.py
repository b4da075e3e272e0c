"""An app served on a free loopback port for the browser tests, closed cleanly.

A browser keeps its connections alive after a test and may still be sending requests
(an htmx poll, a prefetch) when the server stops. Werkzeug's `shutdown` stops accepting
connections but not those requests, which run in their own threads: one still holding a
database connection when the app's engine is disposed leaves that connection open, and
PostgreSQL's driver warns when it is collected, in whichever later test that happens. So
on the way out the gate refuses new requests and waits for those in flight."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

# A request still running after this long is a test's own bug, reported by its assertions.
DRAIN_TIMEOUT = 10


class _Gate:
    """WSGI middleware counting the requests in flight, and refusing them once closed."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.open = True
        self.in_flight = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        with self.changed:
            if not self.open:
                start_response("503 Service Unavailable", [("Connection", "close")])
                return [b""]
            self.in_flight += 1
        return self._counted(environ, start_response)

    def _counted(self, environ, start_response) -> Iterator[bytes]:
        response = self.app(environ, start_response)
        try:
            yield from response
        finally:
            if hasattr(response, "close"):
                response.close()  # WSGI asks it, and a completed `yield from` does not
            with self.changed:
                self.in_flight -= 1
                self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.open = False
            self.changed.wait_for(lambda: self.in_flight == 0, timeout=DRAIN_TIMEOUT)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free loopback port and yield its address; absolute links (feeds,
    API, mail) name it through PUBLIC_URL."""
    gate = _Gate(app)
    server = make_server("127.0.0.1", 0, gate, threaded=True)
    address = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = address
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield address
    finally:
        server.shutdown()
        thread.join()
        gate.close()
        server.server_close()
