"""Real local proxies, an HTTP one (CONNECT tunnels and absolute-form requests) and a SOCKS5 one, that
relay bytes to wherever the client asks and record each target: a test proves a request went through
the proxy by what the proxy saw, not by what our client claims it did.

Small on purpose (no auth, no IPv6 listener, one thread per connection): enough for what a desktop
proxy such as Clash offers on 127.0.0.1, which is what the tests imitate.

    python -m tests.fakes.proxy --http 7890 --socks 7891   # manual runs
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Seen:
    """What one proxy was asked for: ("CONNECT"|"GET"|…|"SOCKS5", "host:port")."""

    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, target: str) -> None:
        with self.lock:
            self.requests.append((kind, target))

    def targets(self) -> list[str]:
        with self.lock:
            return [t for _, t in self.requests]


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Relay both ways until either side closes."""

    def one_way(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

    t = threading.Thread(target=one_way, args=(b, a), daemon=True)
    t.start()
    one_way(a, b)
    t.join(timeout=30)


def _read_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Proxy:
    scheme = ""

    def __init__(self, port: int = 0) -> None:
        self.seen = Seen()
        handle = self._handle

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                handle(self.request)

        self.server = _Server(("127.0.0.1", port), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def _handle(self, client: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HttpProxy(_Proxy):
    """`CONNECT host:port` opens a tunnel; `GET http://host:port/path` is forwarded as is (with the
    request line made origin-form), as every HTTP proxy does for plain-http targets."""

    scheme = "http"

    def _handle(self, client: socket.socket) -> None:
        head = _read_head(client)
        line, _, rest = head.partition(b"\r\n")
        try:
            method, target, version = line.decode("latin-1").split(" ", 2)
        except ValueError:
            return
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            self.seen.add("CONNECT", target)
            try:
                upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            body = rest.partition(b"\r\n\r\n")[2]
            if body:
                upstream.sendall(body)
            with upstream:
                _pipe(client, upstream)
            return
        url = urlsplit(target)
        if not url.hostname:
            return
        self.seen.add(method, f"{url.hostname}:{url.port or 80}")
        path = url.path or "/"
        if url.query:
            path += "?" + url.query
        headers, _, body = rest.partition(b"\r\n\r\n")
        # One request per connection: the next one on a kept-alive connection would be absolute-form.
        kept = [
            h for h in headers.split(b"\r\n") if h and not h.lower().startswith((b"connection:", b"proxy-"))
        ]
        first = f"{method} {path} {version}".encode("latin-1")
        try:
            upstream = socket.create_connection((url.hostname, url.port or 80), timeout=10)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        with upstream:
            upstream.sendall(b"\r\n".join([first, *kept, b"Connection: close", b"", body]))
            _pipe(client, upstream)


class Socks5Proxy(_Proxy):
    """SOCKS5 (RFC 1928), no authentication, CONNECT only; records the address the client asked for
    (a host name when the client lets the proxy resolve it)."""

    scheme = "socks5"

    def _handle(self, client: socket.socket) -> None:
        def recv(n: int) -> bytes:
            data = b""
            while len(data) < n:
                chunk = client.recv(n - len(data))
                if not chunk:
                    raise ConnectionError("client went away")
                data += chunk
            return data

        try:
            version, count = recv(2)
            methods = recv(count)
            if version != 5 or 0 not in methods:
                client.sendall(b"\x05\xff")
                return
            client.sendall(b"\x05\x00")
            _, command, _, atyp = recv(4)
            if atyp == 1:
                host = socket.inet_ntoa(recv(4))
            elif atyp == 3:
                host = recv(recv(1)[0]).decode("idna")
            elif atyp == 4:
                host = socket.inet_ntop(socket.AF_INET6, recv(16))
            else:
                return
            (port,) = struct.unpack("!H", recv(2))
        except (ConnectionError, ValueError, OSError):
            return
        if command != 1:
            client.sendall(b"\x05\x07\x00\x01" + bytes(6))
            return
        self.seen.add("SOCKS5", f"{host}:{port}")
        try:
            upstream = socket.create_connection((host, port), timeout=10)
        except OSError:
            client.sendall(b"\x05\x05\x00\x01" + bytes(6))
            return
        client.sendall(b"\x05\x00\x00\x01" + bytes(6))
        with upstream:
            _pipe(client, upstream)


@contextlib.contextmanager
def running(kind: type[_Proxy]) -> Iterator[_Proxy]:
    proxy = kind()
    try:
        yield proxy
    finally:
        proxy.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--http", type=int, default=0)
    ap.add_argument("--socks", type=int, default=0)
    args = ap.parse_args()
    proxies = [HttpProxy(args.http), Socks5Proxy(args.socks)]
    for p in proxies:
        print(p.url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


if __name__ == "__main__":
    main()
