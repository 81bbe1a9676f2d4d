"""A real HTTP server for the webhook tests: http.server in a thread, on a free port of 127.0.0.1.

    server = WebhookServer(answers=[500, 200])   # the answers, in order; the last one repeats
    server.url                                   # http://127.0.0.1:<port>/hook
    server.requests                              # what it received: (headers, body), in order

An answer is a status code, or ("sleep", seconds, code) to answer late (a timeout).
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WebhookServer:
    def __init__(self, answers: list | None = None) -> None:
        self.answers = list(answers or [200])
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with owner.lock:
                    owner.requests.append(({key.lower(): value for key, value in self.headers.items()}, body))
                    answer = owner.answers.pop(0) if len(owner.answers) > 1 else owner.answers[0]
                if isinstance(answer, tuple):
                    _sleep, seconds, answer = answer
                    time.sleep(seconds)
                try:
                    self.send_response(answer)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the portal gave up waiting: that is the point of the test

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
