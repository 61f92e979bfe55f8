"""Bounds on what one live check may cost: bytes read and time spent.

httpx reads a whole body into memory and its timeouts apply to each read, so a broken or hostile server
could fill memory with an endless body, or keep the check waiting for ever by sending one byte just
before each read times out. Every body is therefore read here, counted and cut at a cap, and every read
checks two deadlines: one per request and one for the whole check. The failure names the limit hit.

A compressed body is unpacked here too, never more than the cap at a time: httpx would unpack each
piece off the wire whole, and 64 KiB of gzip can hold 64 MiB. A time limit on a request that is
still waiting for its headers is the caller's (see check/call.py): no read here sees that phase.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Limits:
    models_bytes: int = 4 * MIB  # GET /models: a few hundred models at most
    stream_bytes: int = 1 * MIB  # the test call's reply is at most a few dozen tokens
    error_bytes: int = 64 * KIB  # an error body: a JSON object or a proxy's HTML page
    request_seconds: float = 60.0
    check_seconds: float = 120.0


DEFAULT_LIMITS = Limits()


class LimitHit(Exception):
    """A cap was reached; ``msg_id``/``params`` are the diagnosis."""

    def __init__(self, msg_id: str, **params: str) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.params = params


def size_text(n: int) -> str:
    if n >= MIB and n % MIB == 0:
        return f"{n // MIB} MiB"
    if n >= KIB and n % KIB == 0:
        return f"{n // KIB} KiB"
    return f"{n} B"


@dataclass(frozen=True)
class Deadline:
    """When one request must be done, and which limit that is (the request's own, or the check's)."""

    end: float
    msg_id: str
    seconds: float
    clock: Callable[[], float]

    def remaining(self) -> float:
        return max(0.0, self.end - self.clock())

    def expired(self) -> bool:
        return self.clock() >= self.end

    def check(self) -> None:
        if self.expired():
            raise self.hit()

    def hit(self) -> LimitHit:
        return LimitHit(self.msg_id, seconds=f"{self.seconds:g}", detail=f"> {self.seconds:g} s")

    def timeout(self, client: httpx.Client) -> httpx.Timeout:
        """The client's timeouts, none longer than the time left (so a silent server cannot outlast it)."""
        left = max(self.remaining(), 0.001)
        base = client.timeout

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cap(base.connect), read=cap(base.read), write=cap(base.write), pool=cap(base.pool)
        )


class Budget:
    """The time the whole check may take, from its start; hands each request its deadline."""

    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.clock = clock
        self.end = clock() + limits.check_seconds

    def whole(self) -> Deadline:
        return Deadline(self.end, "check.check_too_slow", self.limits.check_seconds, self.clock)

    def request(self) -> Deadline:
        own = self.clock() + self.limits.request_seconds
        if own < self.end:
            return Deadline(own, "check.request_too_slow", self.limits.request_seconds, self.clock)
        return self.whole()


def _too_large(cap: int) -> LimitHit:
    return LimitHit("check.response_too_large", limit=size_text(cap), detail=f"> {size_text(cap)}")


# zlib's window bits for each Content-Encoding we unpack ourselves (deflate: zlib-wrapped, as sent).
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def _unpacked(resp: httpx.Response, cap: int) -> Iterator[bytes]:
    """The body's bytes, unpacked at most `cap + 1` bytes at a time. Other codings (br, zstd) are
    left to httpx, which only has them when their optional packages are installed."""
    coding = resp.headers.get("content-encoding", "").strip().lower()
    if coding not in _WBITS:
        yield from resp.iter_bytes()
        return
    unpack = zlib.decompressobj(_WBITS[coding])
    try:
        for raw in resp.iter_raw():
            data = raw
            while data:
                piece = unpack.decompress(data, cap + 1)
                data = unpack.unconsumed_tail
                if piece:
                    yield piece
        tail = unpack.flush()
    except zlib.error as exc:
        raise httpx.DecodingError(f"cannot unpack a {coding} body: {exc}") from None
    if tail:
        yield tail


def _chunks(resp: httpx.Response, cap: int, deadline: Deadline) -> Iterator[bytes]:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(cap)
    total = 0
    for chunk in _unpacked(resp, cap):
        total += len(chunk)
        if total > cap:
            raise _too_large(cap)
        deadline.check()
        yield chunk


def read_capped(resp: httpx.Response, cap: int, deadline: Deadline) -> bytes:
    """The whole body, or LimitHit once it passes ``cap`` bytes or the deadline."""
    return b"".join(_chunks(resp, cap, deadline))


def lines_capped(resp: httpx.Response, cap: int, deadline: Deadline) -> Iterator[str]:
    """The body's lines as they arrive (LF or CRLF), under the same limits as ``read_capped``."""
    pending = b""
    for chunk in _chunks(resp, cap, deadline):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line.rstrip(b"\r").decode("utf-8", "replace")
    if pending:
        yield pending.rstrip(b"\r").decode("utf-8", "replace")
