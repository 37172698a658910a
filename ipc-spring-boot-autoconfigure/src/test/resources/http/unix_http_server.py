"""A plain HTTP/1.1 server on a Unix-domain socket, from Python's standard library only.

Usage: unix_http_server.py SOCKET_PATH
GET /api/items/<id> answers JSON; GET /api/slow/<seconds> answers after that long; POST
/api/echo answers the body and the Host header it got; anything else is 404 with a JSON
error. Stops on SIGTERM.
"""
import json
import os
import signal
import socketserver
import sys
import time
from http.server import BaseHTTPRequestHandler


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/api/slow/"):
            time.sleep(float(self.path.rsplit("/", 1)[1]))
            self._send(200, {"slow": True})
        elif self.path.startswith("/api/items/"):
            self._send(200, {"id": int(self.path.rsplit("/", 1)[1]), "name": "widget", "host": self.headers.get("Host")})
        else:
            self._send(404, {"error": "no such resource: " + self.path})

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b""):
                        pass
                    return body
                body += self.rfile.read(size + 2)[:size]
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def do_POST(self):
        body = self._body()
        if self.path == "/api/echo":
            self._send(201, {"received": json.loads(body), "contentType": self.headers.get("Content-Type")})
        else:
            self._send(404, {"error": "no such resource: " + self.path})

    def address_string(self):
        return "unix"

    def log_message(self, format, *args):
        pass


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    path = sys.argv[1]
    server = Server(path, Handler)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print("listening", flush=True)
    server.serve_forever()
