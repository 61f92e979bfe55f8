"""A faithful fake of DashScope (Alibaba Cloud Model Studio) on 127.0.0.1, for tests and manual runs.

The real service cannot be reached from CI, and mocks of our own client would only prove that our code
agrees with itself. So this is a real HTTP/1.1 server that the real clients (httpx, the ``openai``
SDK, the official ``dashscope`` SDK, curl) talk to over loopback, answering with the bodies recorded
in shared/facts/dashscope.md §4: region-bound keys, the model list, streamed and plain chat
completions, and the verbatim error bodies.

Routing: one server, one path prefix per region, so that
``DASHSCOPE_SETUP_REGION_URLS=cn-beijing=http://127.0.0.1:PORT/cn-beijing/compatible-mode/v1,…``
points every region at it:

    /<region>/compatible-mode/v1/models             GET   OpenAI-compatible model list
    /<region>/compatible-mode/v1/chat/completions   POST  chat, plain or SSE-streamed
    /<region>/api/v1/models                         GET   native model list (``dashscope`` whoami)
    /<region>/api/v1/services/aigc/text-generation/generation   POST  native ``Generation.call``

A "region" is any name given to the fake: pass e.g. ``regions=(*REGION_IDS, "ws-demo")`` to emulate a
workspace-dedicated endpoint whose keys work nowhere else.

The Authorization header is never logged or stored: requests are recorded with the key masked.

Command line (manual runs, the benchmark)::

    python -m tests.fakes.dashscope --port 8001 --key sk-...:ap-southeast-1 --latency 0.3
    python -m tests.fakes.dashscope --keys-file keys.txt   # lines "KEY REGION [ACCOUNT_ERROR]"
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REGION_IDS: tuple[str, ...] = ("cn-beijing", "ap-southeast-1", "us-east-1", "cn-hongkong")
DEFAULT_MODELS: tuple[str, ...] = (
    "qwen-plus",
    "qwen-max",
    "qwen-flash",
    "qwen3-max",
    "qwen-vl-plus",
    "qwen3-coder-plus",
)
# Models that exist but have no OpenAI-compatible mode (-> 404 model_not_supported).
NOT_COMPATIBLE_MODELS: tuple[str, ...] = ("wanx2.1-t2i-turbo",)
DEFAULT_REPLY = "我是通义千问，由阿里云开发的大规模语言模型。"
COMPAT = "/compatible-mode/v1"
NATIVE = "/api/v1"
ACCOUNT_ERRORS = (
    "Arrearage",
    "AccessDenied",
    "AccessDenied.Unpurchased",
    "Model.AccessDenied",
    "AllocationQuota.FreeTierOnly",
)
FAULT_KINDS = (
    "error",  # answer with the verbatim body of `code` (status from the table)
    "hostile",  # an error (status 400 unless `status`) whose code, message and request_id echo the key and escapes
    "server_error",  # 5xx internal_error (status 500 unless `status`)
    "non_json",  # an HTML page (status 200 unless `status`): a captive portal or gateway
    "reset",  # close the connection without any response
    "slow",  # wait `delay` seconds, then answer normally (beyond a read timeout)
    "slow_stream",  # stream one chunk, then wait `delay` seconds
    "truncate",  # stream a few chunks and end the body cleanly, without `data: [DONE]`
    "drop",  # stream a few chunks, then cut the connection mid-body
    "mid_stream_error",  # stream a few chunks, then `data: {"error": {... code ...}}`
    "no_stream",  # ignore `stream` and answer with a plain completion (some gateways do)
    "huge",  # a well-formed but endless body (`size` bytes), status 200 unless `status`
    "drip",  # headers, then one byte of body every `delay` seconds until `size` bytes or a hang-up
    "drip_headers",  # the status line, then one byte of a header every `delay` seconds (`size` bytes)
    "bomb",  # a gzip body of `size` spaces: a few hundred KiB on the wire, `size` bytes unpacked
)
_PRE_AUTH_FAULTS = frozenset(
    {"error", "server_error", "non_json", "reset", "slow", "huge", "drip", "hostile", "drip_headers", "bomb"}
)

# What a hostile server puts in every string it sends back: an OSC 52 clipboard write, a screen
# clear, a carriage return and a fake success line. `{key}` is the key it was sent.
HOSTILE_TEXT = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x1b[H\r\u2713 Key works {key}\n\u2713 Saved"


def _rid() -> str:
    return str(uuid.uuid4())


def _err(message: str, code: str, type_: str | None = None) -> dict[str, Any]:
    return {"message": message, "type": type_ or code, "param": None, "code": code}


def compat_error(code: str, *, model: str = "qwen-plus") -> tuple[int, dict[str, Any]]:
    """(status, body) of the OpenAI-compatible endpoint for ``code``, as recorded in facts §4c."""
    rid = _rid()
    bodies: dict[str, tuple[int, dict[str, Any]]] = {
        "invalid_api_key": (
            401,
            {
                "error": _err(
                    "Incorrect API key provided. For details, see: "
                    "https://help.aliyun.com/zh/model-studio/error-code#apikey-error",
                    "invalid_api_key",
                    "invalid_request_error",
                ),
                "request_id": rid,
            },
        ),
        "Arrearage": (
            400,
            {
                "error": _err(
                    "Access denied, please make sure your account is in good standing. For details, see: "
                    "https://help.aliyun.com/zh/model-studio/error-code#overdue-payment",
                    "Arrearage",
                ),
                "id": rid,
                "request_id": rid,
            },
        ),
        "AccessDenied": (
            403,
            {"error": _err("Access denied.", "AccessDenied"), "id": f"chatcmpl-{rid}", "request_id": rid},
        ),
        "AccessDenied.Unpurchased": (
            403,
            {
                "error": _err(
                    "Access to model denied. Please make sure you are eligible for using the model.",
                    "AccessDenied.Unpurchased",
                ),
                "id": f"chatcmpl-{rid}",
                "request_id": rid,
            },
        ),
        "Model.AccessDenied": (
            403,
            {
                "error": _err("Model access denied.", "Model.AccessDenied"),
                "id": f"chatcmpl-{rid}",
                "request_id": rid,
            },
        ),
        "AllocationQuota.FreeTierOnly": (
            403,
            {
                "error": _err(
                    "The free tier of the model has been exhausted. If you wish to continue access the model "
                    'on a paid basis, please disable the "use free tier only" mode in the management console.',
                    "AllocationQuota.FreeTierOnly",
                ),
                "id": f"chatcmpl-{rid}",
                "request_id": rid,
            },
        ),
        "model_not_found": (
            404,
            {
                "error": _err(
                    f"The model `{model}` does not exist or you do not have access to it.",
                    "model_not_found",
                    "invalid_request_error",
                ),
                "request_id": rid,
            },
        ),
        "model_not_supported": (
            404,
            {
                "error": _err(
                    f"The model `{model}` is not supported by the OpenAI compatible interface.",
                    "model_not_supported",
                    "invalid_request_error",
                ),
                "request_id": rid,
            },
        ),
        # Verbatim: this one carries no request_id.
        "limit_requests": (
            429,
            {
                "error": _err(
                    "You have exceeded your current request limit. For details, see: "
                    "https://help.aliyun.com/zh/model-studio/error-code#rate-limit",
                    "limit_requests",
                )
            },
        ),
        "limit_burst_rate": (
            429,
            {
                "error": _err(
                    "Request rate increased too quickly. To ensure system stability, please adjust your "
                    "client logic to scale requests more smoothly over time.",
                    "limit_burst_rate",
                ),
                "request_id": rid,
            },
        ),
        "insufficient_quota": (
            429,
            {
                "error": {
                    "code": "insufficient_quota",
                    "message": "You exceeded your current quota, please check your plan and billing details. "
                    "For details, see: https://help.aliyun.com/zh/model-studio/error-code#token-limit",
                    "param": None,
                    "type": "insufficient_quota",
                },
                "request_id": rid,
            },
        ),
        # Verbatim: "id":"chatcmpl-1" and no request_id.
        "data_inspection_failed": (
            400,
            {
                "error": {
                    "code": "data_inspection_failed",
                    "param": None,
                    "message": "Input data may contain inappropriate content.",
                    "type": "data_inspection_failed",
                },
                "id": "chatcmpl-1",
            },
        ),
        "invalid_parameter_error": (
            400,
            {
                "error": {
                    "code": "invalid_parameter_error",
                    "param": None,
                    "message": "<400> InternalError.Algo.InvalidParameter: An unknown parameter was provided.",
                    "type": "invalid_request_error",
                },
                "id": f"chatcmpl-{rid}",
                "request_id": rid,
            },
        ),
        "internal_error": (
            500,
            {
                "error": _err(
                    "An internal error has occured, please try again later or contact service support.",
                    "internal_error",
                ),
                "request_id": rid,
            },
        ),
    }
    if code not in bodies:
        return 400, {"error": _err(f"Fake error {code}.", code, "invalid_request_error"), "request_id": rid}
    return bodies[code]


_NATIVE_CODES = {"invalid_api_key": "InvalidApiKey", "model_not_found": "InvalidParameter"}
_NATIVE_MESSAGES = {"InvalidApiKey": "Invalid API-key provided.", "InvalidParameter": "Model not exist."}


def native_error(code: str, *, model: str = "qwen-plus") -> tuple[int, dict[str, Any]]:
    """The native API's flat form ``{"code":…,"message":…,"request_id":…}`` (facts §4c, last line)."""
    status, body = compat_error(code, model=model)
    native = _NATIVE_CODES.get(code, code)
    message = _NATIVE_MESSAGES.get(native) or body["error"]["message"]
    if code == "model_not_found":
        status = 400
    return status, {"code": native, "message": message, "request_id": body.get("request_id") or _rid()}


@dataclass
class Fault:
    """One configured misbehaviour. ``times=None`` means always; ``hits`` counts how often it fired."""

    kind: str
    times: int | None = 1
    endpoint: str = "chat"  # "chat" | "models" | "native" | "any"
    region: str | None = None
    key: str | None = field(default=None, repr=False)
    code: str | None = None
    status: int | None = None
    retry_after: str | None = None
    delay: float = 5.0
    size: int = 1 << 30
    hits: int = 0
    packed: bytes = field(default=b"", repr=False)  # the bomb, packed once (not while a test measures)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.kind == "bomb":
            packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            block, left, parts = b" " * (1 << 20), self.size, []
            while left > 0:
                parts.append(packer.compress(block[: min(left, len(block))]))
                left -= len(block)
            self.packed = b"".join(parts) + packer.flush()

    def matches(self, endpoint: str, region: str, key: str | None) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.endpoint not in ("any", endpoint):
            return False
        if self.region is not None and self.region != region:
            return False
        return self.key is None or self.key == key


@dataclass
class RecordedRequest:
    """What the fake saw. ``headers`` has the Authorization value replaced; ``key_mask`` identifies it."""

    method: str
    path: str
    region: str | None
    endpoint: str
    headers: dict[str, str]
    body: Any
    key_mask: str | None
    started: float
    finished: float | None = None
    status: int | None = None


def _mask(key: str) -> str:
    return f"{key[:3]}…{key[-4:]}" if len(key) >= 12 else "…"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeDashScope
    tls_context: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = self.socket.accept()
        if self.tls_context is not None:
            # Handshake in the handler thread (see _Handler.setup) so one bad client cannot stall accept().
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, failed TLS verification) are expected here: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the default would write request lines to stderr; headers are never logged anyway."""

    def do_GET(self) -> None:
        self.server.fake._handle(self, "GET")

    def do_POST(self) -> None:
        self.server.fake._handle(self, "POST")


class _Cut(Exception):
    """Raised to stop a response half-way (a deliberately dropped connection)."""


class FakeDashScope:
    """The fake service. Configure it (keys, latency, models, faults) before or while it runs.

    ``add_key(key, region, account_error=...)``: a key valid in exactly one region (401 elsewhere), with
    an optional account state (one of ACCOUNT_ERRORS) returned by chat and native generation calls.
    ``add_fault(kind, ...)``: see FAULT_KINDS. ``latency``/``region_latency``: seconds before every answer.
    """

    def __init__(
        self,
        *,
        regions: Sequence[str] = REGION_IDS,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: tuple[str, str] | None = None,
        reply: str = DEFAULT_REPLY,
    ) -> None:
        self.regions = tuple(regions)
        self.latency = latency
        self.region_latency: dict[str, float] = {}
        self.models: dict[str, list[str]] = {r: list(DEFAULT_MODELS) for r in self.regions}
        self.not_compatible: list[str] = list(NOT_COMPATIBLE_MODELS)
        self.reply = reply
        self.keys: dict[str, str] = {}
        self.account_errors: dict[str, str] = {}
        self.faults: list[Fault] = []
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._host = host
        self._port = port
        self._tls = tls
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- configuration -----------------------------------------------------------------------------
    def add_key(self, key: str, region: str = "cn-beijing", *, account_error: str | None = None) -> None:
        if region not in self.regions:
            raise ValueError(f"region {region!r} is not served by this fake ({', '.join(self.regions)})")
        if account_error is not None and account_error not in ACCOUNT_ERRORS:
            raise ValueError(f"account_error must be one of {', '.join(ACCOUNT_ERRORS)}")
        with self._lock:
            self.keys[key] = region
            if account_error:
                self.account_errors[key] = account_error
            else:
                self.account_errors.pop(key, None)

    def add_fault(self, kind: str, **options: Any) -> Fault:
        fault = Fault(kind, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> FakeDashScope:
        server = _Server((self._host, self._port), _Handler)
        server.fake = self
        if self._tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*self._tls)
            server.tls_context = ctx
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-dashscope", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeDashScope:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses ---------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake is not running")
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        scheme = "https" if self._tls else "http"
        return f"{scheme}://{self._host}:{self.port}"

    def url(self, region: str) -> str:
        """OpenAI-compatible base URL of ``region`` on this fake."""
        return f"{self.origin}/{region}{COMPAT}"

    def native_url(self, region: str) -> str:
        """Native API base (what ``DASHSCOPE_HTTP_BASE_URL`` would be) of ``region`` on this fake."""
        return f"{self.origin}/{region}{NATIVE}"

    def websocket_url(self, region: str) -> str:
        """What ``DASHSCOPE_WEBSOCKET_BASE_URL`` would be for ``region`` on this fake (no websocket served)."""
        scheme = "wss" if self._tls else "ws"
        return f"{scheme}://{self._host}:{self.port}/{region}/api-ws/v1/inference"

    def urls(self, regions: Sequence[str] | None = None) -> dict[str, str]:
        return {r: self.url(r) for r in (regions or self.regions)}

    def urls_env(self, regions: Sequence[str] | None = None) -> str:
        """The value for DASHSCOPE_SETUP_REGION_URLS."""
        return ",".join(f"{r}={u}" for r, u in self.urls(regions).items())

    # --- inspection --------------------------------------------------------------------------------
    def recorded(self, endpoint: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if endpoint is None or r.endpoint == endpoint]

    # --- request handling --------------------------------------------------------------------------
    def _route(self, path: str) -> tuple[str, str] | None:
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] not in self.regions:
            return None
        region, rest = parts[1], "/" + parts[2]
        endpoints = {
            ("GET", COMPAT + "/models"): "models",
            ("POST", COMPAT + "/chat/completions"): "chat",
            ("GET", NATIVE + "/models"): "native_models",
            ("POST", NATIVE + "/services/aigc/text-generation/generation"): "native",
        }
        for (_, prefix), name in endpoints.items():
            if rest.rstrip("/") == prefix:
                return region, name
        return None

    def _handle(self, h: _Handler, method: str) -> None:
        started = time.monotonic()
        path = urlsplit(h.path).path
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        auth = h.headers.get("Authorization", "")
        key = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        routed = self._route(path)
        region, endpoint = routed if routed else (None, "unknown")
        headers = {
            k: ("Bearer <redacted>" if k.lower() == "authorization" else v) for k, v in h.headers.items()
        }
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = "<invalid json>"
        rec = RecordedRequest(
            method, path, region, endpoint, headers, body, _mask(key) if key else None, started
        )
        with self._lock:
            self.requests.append(rec)
        try:
            rec.status = self._dispatch(h, method, region, endpoint, key, body)
        except (_Cut, OSError):
            h.close_connection = True
        finally:
            rec.finished = time.monotonic()

    def _take_fault(
        self, endpoint: str, region: str, key: str | None, kinds: frozenset[str] | None
    ) -> Fault | None:
        family = "native" if endpoint.startswith("native") else endpoint
        with self._lock:
            for fault in self.faults:
                if (kinds is None or fault.kind in kinds) and fault.matches(family, region, key):
                    fault.hits += 1
                    return fault
        return None

    def _dispatch(
        self, h: _Handler, method: str, region: str | None, endpoint: str, key: str | None, body: Any
    ) -> int:
        if (
            region is None
            or endpoint == "unknown"
            or (endpoint in ("models", "native_models")) != (method == "GET")
        ):
            return self._send_text(h, 404, "404 page not found", "text/plain; charset=utf-8")
        delay = self.latency + self.region_latency.get(region, 0.0)
        if delay:
            time.sleep(delay)
        native = endpoint.startswith("native")
        fault = self._take_fault(endpoint, region, key, _PRE_AUTH_FAULTS)
        if fault is not None:
            early = self._pre_auth_fault(h, fault, native, body, key or "")
            if early is not None:
                return early
        with self._lock:
            owner = self.keys.get(key or "")
            account_error = self.account_errors.get(key or "")
        if owner != region:
            return self._send_error(h, "invalid_api_key", native)
        if endpoint == "models":
            return self._send_json(h, 200, self._model_list(region))
        if endpoint == "native_models":
            return self._send_json(h, 200, self._native_model_list(region))
        if not isinstance(body, dict):
            return self._send_error(h, "invalid_parameter_error", native)
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return self._send_error(h, "invalid_parameter_error", native)
        if account_error:
            return self._send_error(h, account_error, native, model=model)
        if model in self.not_compatible and not native:
            return self._send_error(h, "model_not_supported", native, model=model)
        if model not in self.models.get(region, ()):
            return self._send_error(h, "model_not_found", native, model=model)
        if native:
            return self._native_generation(h, model, body)
        fault = self._take_fault(endpoint, region, key, None)
        return self._chat(h, model, body, fault)

    def _pre_auth_fault(self, h: _Handler, fault: Fault, native: bool, body: Any, key: str) -> int | None:
        if fault.kind == "hostile":
            text = HOSTILE_TEXT.format(key=key)
            err = {"code": "Throttling" + text, "message": text, "type": text}
            payload = err if native else {"error": err}
            return self._send_json(h, fault.status or 400, {**payload, "request_id": text})
        if fault.kind == "slow":
            time.sleep(fault.delay)
            return None
        if fault.kind in ("huge", "drip"):
            return self._endless(h, fault, native, body)
        if fault.kind == "drip_headers":
            h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            for _ in range(fault.size):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(fault.delay)
            raise _Cut
        if fault.kind == "bomb":
            packed = fault.packed
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Encoding", "gzip")
            h.send_header("Content-Length", str(len(packed)))
            h.end_headers()
            h.wfile.write(packed)
            return 200
        if fault.kind == "reset":
            with contextlib.suppress(OSError):
                h.connection.shutdown(socket.SHUT_RDWR)
            raise _Cut
        if fault.kind == "non_json":
            page = "<html><head><title>Sign in</title></head><body><h1>Network login</h1></body></html>"
            return self._send_text(h, fault.status or 200, page, "text/html; charset=utf-8")
        extra = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        model = body.get("model", "qwen-plus") if isinstance(body, dict) else "qwen-plus"
        if fault.kind == "server_error":
            status, payload = (native_error if native else compat_error)("internal_error")
            return self._send_json(h, fault.status or status, payload, extra)
        status, payload = (native_error if native else compat_error)(
            fault.code or "limit_requests", model=model
        )
        return self._send_json(h, fault.status or status, payload, extra)

    def _endless(self, h: _Handler, fault: Fault, native: bool, body: Any) -> int:
        """A body that never ends (for the client): valid bytes for its kind, sent fast or slowly."""
        status = fault.status or 200
        streamed = isinstance(body, dict) and bool(body.get("stream")) and status == 200
        h.send_response(status)
        h.send_header("Content-Type", "text/event-stream" if streamed else "application/json")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        if fault.kind == "drip":
            # Empty lines in a stream, spaces in JSON: valid and endless, one byte at a time.
            byte = b"\n" if streamed else b" "
            for _ in range(fault.size):
                self._write_chunk(h, byte)
                time.sleep(fault.delay)
        else:
            delta = {"choices": [{"delta": {"content": "x" * 1000}, "index": 0}]}
            piece = (f"data: {json.dumps(delta)}\n\n" if streamed else " " * 1024).encode() * 64
            if not streamed:
                self._write_chunk(h, b'{"data": [')
            for _ in range(fault.size // len(piece) + 1):
                self._write_chunk(h, piece)
        self._end_stream(h)
        return status

    # --- bodies ------------------------------------------------------------------------------------
    def _model_list(self, region: str) -> dict[str, Any]:
        created = 1752741600
        ids = [*self.models.get(region, ()), *self.not_compatible]
        return {
            "object": "list",
            "data": [{"id": m, "object": "model", "created": created, "owned_by": "system"} for m in ids],
        }

    def _native_model_list(self, region: str) -> dict[str, Any]:
        ids = self.models.get(region, [])
        return {
            "request_id": _rid(),
            "output": {
                "models": [{"model": m, "name": m} for m in ids],
                "page_no": 1,
                "page_size": len(ids),
                "total": len(ids),
            },
        }

    def _reply_for(self, body: Mapping[str, Any]) -> tuple[str, str, int]:
        """(text, finish_reason, prompt_tokens): ~1 token per character, cut at max_tokens."""
        limit = body.get("max_tokens") or (body.get("parameters") or {}).get("max_tokens")
        text, finish = self.reply, "stop"
        if isinstance(limit, int) and 0 < limit < len(text):
            text, finish = text[:limit], "length"
        messages = body.get("messages") or (body.get("input") or {}).get("messages") or []
        prompt = sum(len(str(m.get("content", ""))) for m in messages if isinstance(m, dict)) + 3
        return text, finish, prompt

    def _chat(self, h: _Handler, model: str, body: dict[str, Any], fault: Fault | None) -> int:
        text, finish, prompt_tokens = self._reply_for(body)
        rid = _rid()
        created = int(time.time())
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(text),
            "total_tokens": prompt_tokens + len(text),
            "prompt_tokens_details": {"cached_tokens": 0},
        }
        kind = fault.kind if fault else None
        if not body.get("stream") or kind == "no_stream":
            return self._send_json(
                h,
                200,
                {
                    "choices": [
                        {
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": finish,
                            "index": 0,
                            "logprobs": None,
                        }
                    ],
                    "object": "chat.completion",
                    "usage": usage,
                    "created": created,
                    "system_fingerprint": None,
                    "model": model,
                    "id": f"chatcmpl-{rid}",
                },
            )

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {
                "choices": [{"delta": delta, "finish_reason": finish_reason, "index": 0, "logprobs": None}],
                "object": "chat.completion.chunk",
                "usage": None,
                "created": created,
                "system_fingerprint": None,
                "model": model,
                "id": f"chatcmpl-{rid}",
            }

        pieces = [text[i : i + 4] for i in range(0, len(text), 4)]
        events: list[dict[str, Any]] = [chunk({"content": "", "role": "assistant"})]
        events += [chunk({"content": p}) for p in pieces]
        events.append(chunk({"content": ""}, finish))
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        if include_usage:
            events.append({**chunk({}), "choices": [], "usage": usage})
        self._start_stream(h)
        for n, event in enumerate(events):
            if fault is not None and n == 3 and kind in ("truncate", "drop", "mid_stream_error"):
                if kind == "mid_stream_error":
                    code = fault.code or "data_inspection_failed"
                    _, err = compat_error(code, model=model)
                    self._event(h, {"error": err["error"], "id": f"chatcmpl-{rid}"})
                if kind == "drop":
                    h.wfile.flush()
                    with contextlib.suppress(OSError):
                        h.connection.shutdown(socket.SHUT_RDWR)
                    raise _Cut
                self._end_stream(h)
                return 200
            self._event(h, event)
            if fault is not None and kind == "slow_stream" and n == 1:
                time.sleep(fault.delay)
        self._write_chunk(h, b"data: [DONE]\n\n")
        self._end_stream(h)
        return 200

    def _native_generation(self, h: _Handler, model: str, body: dict[str, Any]) -> int:
        text, finish, prompt_tokens = self._reply_for(body)
        rid = _rid()
        params = body.get("parameters") or {}
        if params.get("result_format") == "message":
            output: dict[str, Any] = {
                "choices": [{"finish_reason": finish, "message": {"role": "assistant", "content": text}}]
            }
        else:
            output = {"text": text, "finish_reason": finish}
        payload = {
            "output": output,
            "usage": {
                "input_tokens": prompt_tokens,
                "output_tokens": len(text),
                "total_tokens": prompt_tokens + len(text),
            },
            "request_id": rid,
        }
        if h.headers.get("X-DashScope-SSE", "").lower() != "enable":
            return self._send_json(h, 200, payload)
        self._start_stream(h)
        data = json.dumps(payload, ensure_ascii=False)
        self._write_chunk(h, f"id:1\nevent:result\n:HTTP_STATUS/200\ndata:{data}\n\n".encode())
        self._end_stream(h)
        return 200

    # --- wire helpers ------------------------------------------------------------------------------
    def _send_error(self, h: _Handler, code: str, native: bool, *, model: str = "qwen-plus") -> int:
        status, payload = (native_error if native else compat_error)(code, model=model)
        return self._send_json(h, status, payload)

    def _send_json(
        self, h: _Handler, status: int, payload: Any, extra: Mapping[str, str] | None = None
    ) -> int:
        data = json.dumps(payload, ensure_ascii=False).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)
        return status

    def _send_text(self, h: _Handler, status: int, text: str, content_type: str) -> int:
        data = text.encode()
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
        return status

    def _start_stream(self, h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream;charset=UTF-8")
        h.send_header("Cache-Control", "no-cache")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()

    def _event(self, h: _Handler, payload: Mapping[str, Any]) -> None:
        self._write_chunk(h, f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())

    def _write_chunk(self, h: _Handler, data: bytes) -> None:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        h.wfile.flush()

    def _end_stream(self, h: _Handler) -> None:
        h.wfile.write(b"0\r\n\r\n")
        h.wfile.flush()


@contextlib.contextmanager
def running_fake(
    keys: Mapping[str, str] | None = None,
    *,
    regions: Sequence[str] = REGION_IDS,
    latency: float = 0.0,
    tls: tuple[str, str] | None = None,
    account_errors: Mapping[str, str] | None = None,
) -> Iterator[FakeDashScope]:
    """Start a fake for the duration of a ``with`` block. ``keys``: key -> region."""
    fake = FakeDashScope(regions=regions, latency=latency, tls=tls)
    for key, region in (keys or {}).items():
        fake.add_key(key, region, account_error=(account_errors or {}).get(key))
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


# --- TLS material for tests -----------------------------------------------------------------------


@dataclass(frozen=True)
class TlsMaterial:
    """A private CA (what SSL_CERT_FILE would point at) and a server certificate it signed for
    ``localhost``/127.0.0.1 — the shape of a corporate interception proxy's chain."""

    ca_file: str
    cert_file: str
    key_file: str


def make_tls_material(directory: Path) -> TlsMaterial:
    """Generate the CA and server certificate with ``cryptography`` if present, else the openssl CLI."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_file, cert_file, key_file = (str(directory / n) for n in ("ca.pem", "server.pem", "server.key"))
    try:
        _make_tls_cryptography(ca_file, cert_file, key_file)
    except ImportError:
        _make_tls_openssl(directory, ca_file, cert_file, key_file)
    return TlsMaterial(ca_file, cert_file, key_file)


def _make_tls_cryptography(ca_file: str, cert_file: str, key_file: str) -> None:
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dashscope-setup test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    Path(ca_file).write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    Path(cert_file).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    Path(key_file).write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _make_tls_openssl(directory: Path, ca_file: str, cert_file: str, key_file: str) -> None:
    ca_key = str(directory / "ca.key")
    csr = str(directory / "server.csr")
    ext = directory / "ext.cnf"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n")
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)  # noqa: E731
    run(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        ca_key,
        "-out",
        ca_file,
        "-days",
        "2",
        "-subj",
        "/CN=dashscope-setup test CA",
    )
    run(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key_file,
        "-out",
        csr,
        "-subj",
        "/CN=localhost",
    )
    run(
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca_file,
        "-CAkey",
        ca_key,
        "-CAcreateserial",
        "-out",
        cert_file,
        "-days",
        "2",
        "-extfile",
        str(ext),
    )


# --- command line ---------------------------------------------------------------------------------


def _parse_key(spec: str) -> tuple[str, str, str | None]:
    parts = spec.replace(" ", ":").split(":")
    key = parts[0]
    region = parts[1] if len(parts) > 1 and parts[1] else "cn-beijing"
    account = parts[2] if len(parts) > 2 and parts[2] else None
    return key, region, account


def _parse_fault(spec: str) -> dict[str, Any]:
    """``kind[,times=N|always][,endpoint=chat][,region=R][,code=C][,status=S][,retry_after=X][,delay=D]``"""
    kind, *opts = spec.split(",")
    out: dict[str, Any] = {"kind": kind}
    for opt in opts:
        name, _, value = opt.partition("=")
        if name == "times":
            out["times"] = None if value == "always" else int(value)
        elif name in ("status", "size"):
            out[name] = int(value)
        elif name == "delay":
            out[name] = float(value)
        else:
            out[name] = value
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.dashscope", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--key", action="append", default=[], metavar="KEY:REGION[:ACCOUNT_ERROR]")
    parser.add_argument(
        "--keys-file", type=Path, help='lines "KEY REGION [ACCOUNT_ERROR]" (keeps keys off argv)'
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before every answer")
    parser.add_argument("--region-latency", action="append", default=[], metavar="REGION=SECONDS")
    parser.add_argument("--fault", action="append", default=[], metavar="KIND[,times=N|always][,code=C]...")
    parser.add_argument(
        "--regions", default=",".join(REGION_IDS), help="comma-separated region names to serve"
    )
    args = parser.parse_args(argv)

    fake = FakeDashScope(
        regions=[r for r in args.regions.split(",") if r],
        latency=args.latency,
        host=args.host,
        port=args.port,
    )
    specs = list(args.key)
    if args.keys_file:
        specs += [
            ln.strip()
            for ln in args.keys_file.read_text().splitlines()
            if ln.strip() and not ln.startswith("#")
        ]
    for spec in specs:
        key, region, account = _parse_key(spec)
        fake.add_key(key, region, account_error=account)
    for item in args.region_latency:
        region, _, seconds = item.partition("=")
        fake.region_latency[region] = float(seconds)
    for spec in args.fault:
        fake.add_fault(**_parse_fault(spec))
    fake.start()
    print(f"DASHSCOPE_SETUP_REGION_URLS={fake.urls_env()}", flush=True)
    print(
        f"fake DashScope on {fake.origin} with {len(fake.keys)} key(s); Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
