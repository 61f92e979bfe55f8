"""The live check (product.md §5): find the key's region, make the guide's test call, diagnose failures.

Why it is shaped like this:
- It gets an ``httpx.Client`` from the caller (built by ``wizard.check.net.make_client`` from the injected
  environment), so proxies, trust store and timeouts are decided in one place and tests can pass a
  client of their own. It never prints, exits or reads ``os.environ``; it returns a ``CheckResult``
  whose ``msg_id``/``params`` the renderer turns into zh/en text (``wizard.messages.check``).
- Every failure has its own message id and exit code (``EXIT_CODES``), because the most common
  first-call failures (wrong region, account state, a proxy) look identical as "401"/"connection
  error" and make users rotate perfectly good keys.
- The raw key goes into exactly one place: the ``Authorization`` header. Everything that can reach a
  user (params, exception details, server messages) is passed through ``_redact`` first.

Exit codes chosen where product.md leaves a choice:
- ``sk-sp-`` Coding Plan key on a pay-as-you-go host: 3 (the hosts would reject it with 401), no request.
- ``st-`` temporary token: 2 (bad input for a persistent setup), no request.
- ``data_inspection_failed`` on the fixed, harmless test prompt: 7. The key authenticated and the account
  is in order; the refusal is the service's, like a server-side error, and retrying later is the remedy.
- ``invalid_parameter_error``/``invalid_request_error``: 1 (our request is malformed: a bug to report)
  with the default model; 5 when the user chose the model, because then the model is the likely cause.
- 404 without a model error code (a wrong ``--base-url`` path): 7, "endpoint not found".
- Detection where some regions rejected the key and others could not be reached: 7, because the key may
  well belong to an unreachable region; calling it "rejected" would send the user after the wrong fix.
"""

from __future__ import annotations

import json
import queue
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from wizard import __version__
from wizard.errors import ExitCode
from wizard.keys import mask
from wizard.regions import CUSTOM, DEFAULT_REGION, REGIONS

DEFAULT_MODEL = "qwen-plus"
MAX_TOKENS = 64
RETRY_AFTER_CAP = 3.0
DEFAULT_RETRY_WAIT = 1.0
TEST_MESSAGES: tuple[dict[str, str], ...] = (
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "你是谁？"},
)
CODING_PLAN_URLS = (
    "https://coding.dashscope.aliyuncs.com/v1",
    "https://coding-intl.dashscope.aliyuncs.com/v1",
)
CODING_PLAN_HOSTS = frozenset(urlsplit(u).hostname for u in CODING_PLAN_URLS)
INTL_CONSOLE = REGIONS["ap-southeast-1"].console_url

OnDelta = Callable[[str], None]
OnStage = Callable[[str, "dict[str, Any]"], None]

# msg_id -> exit code. Every failure msg_id check.py (or net.make_client) can produce is listed;
# tests assert the catalogue and this table agree.
EXIT_CODES: dict[str, ExitCode] = {
    "check.key_missing": ExitCode.USAGE,
    "check.key_malformed": ExitCode.USAGE,
    "check.key_temporary": ExitCode.USAGE,
    "check.key_coding_plan": ExitCode.KEY_REJECTED,
    "check.unknown_region": ExitCode.USAGE,
    "check.rejected_everywhere": ExitCode.KEY_REJECTED,
    "check.rejected": ExitCode.KEY_REJECTED,
    "check.rejected_in_region": ExitCode.KEY_REJECTED,
    "check.rejected_custom": ExitCode.KEY_REJECTED,
    "check.detect_inconclusive": ExitCode.NETWORK,
    "check.arrearage": ExitCode.ACCOUNT,
    "check.access_denied": ExitCode.ACCOUNT,
    "check.unpurchased": ExitCode.ACCOUNT,
    "check.model_access_denied": ExitCode.ACCOUNT,
    "check.free_tier_only": ExitCode.ACCOUNT,
    "check.forbidden": ExitCode.ACCOUNT,
    "check.model_not_found": ExitCode.MODEL,
    "check.model_not_found_case": ExitCode.MODEL,
    "check.model_not_supported": ExitCode.MODEL,
    "check.model_bad_request": ExitCode.MODEL,
    "check.rate_limited": ExitCode.RATE_LIMITED,
    "check.token_limit": ExitCode.RATE_LIMITED,
    "check.content_blocked": ExitCode.NETWORK,
    "check.bad_request": ExitCode.INTERNAL,
    "check.endpoint_not_found": ExitCode.NETWORK,
    "check.http_unexpected": ExitCode.NETWORK,
    "check.server_error": ExitCode.NETWORK,
    "check.malformed_body": ExitCode.NETWORK,
    "check.stream_truncated": ExitCode.NETWORK,
    "check.dns_failed": ExitCode.NETWORK,
    "check.connection_refused": ExitCode.NETWORK,
    "check.proxy_failed": ExitCode.NETWORK,
    "check.proxy_auth": ExitCode.NETWORK,
    "check.tls_verify": ExitCode.NETWORK,
    "check.tls_error": ExitCode.NETWORK,
    "check.connect_timeout": ExitCode.NETWORK,
    "check.read_timeout": ExitCode.NETWORK,
    "check.timeout": ExitCode.NETWORK,
    "check.connection_lost": ExitCode.NETWORK,
    "check.network_error": ExitCode.NETWORK,
    # Raised by wizard.check.net.make_client as SetupError, before any check runs.
    "check.ca_file_unreadable": ExitCode.NETWORK,
    "check.proxy_unsupported": ExitCode.NETWORK,
    "check.proxy_invalid": ExitCode.NETWORK,
}

_ACCOUNT_CODES = {
    "Arrearage": "check.arrearage",
    "AccessDenied": "check.access_denied",
    "AccessDenied.Unpurchased": "check.unpurchased",
    "Model.AccessDenied": "check.model_access_denied",
    "AllocationQuota.FreeTierOnly": "check.free_tier_only",
}
_BAD_REQUEST_CODES = frozenset({"invalid_parameter_error", "invalid_request_error", "InvalidParameter"})
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_BEARER = re.compile(r"(?i)bearer\s+\S+")


@dataclass(frozen=True)
class ProbeResult:
    """One region's answer to ``GET /models``.

    outcome: "ok" (200: this region owns the key), "rejected" (401), "account" (the key was
    recognised but the account is in some state: 400/403/429 with an error code), "server_error"
    (5xx), "malformed" (not an API answer), "unexpected" (any other status), "network" (no answer),
    "pending" (still running when another region had already answered 200).
    """

    region: str
    http_status: int | None
    outcome: str
    latency_ms: float | None
    error_code: str | None = None
    request_id: str | None = None
    msg_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def conclusive(self) -> bool:
        return self.outcome in ("ok", "rejected", "account")

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "http_status": self.http_status,
            "outcome": self.outcome,
            "latency_ms": _round(self.latency_ms),
            "error_code": self.error_code,
            "request_id": self.request_id,
        }


@dataclass(frozen=True)
class CheckResult:
    status: str  # "ok" | "failed" | "skipped"
    exit_code: int
    msg_id: str | None
    params: dict[str, Any]
    http_status: int | None
    error_code: str | None
    request_id: str | None
    region: str | None
    base_url: str | None
    model: str
    latency_ms: float | None
    ttft_ms: float | None
    reply: str
    usage: dict[str, int] | None
    detected: bool
    probes: tuple[ProbeResult, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "http_status": self.http_status,
            "error_code": self.error_code,
            "request_id": self.request_id,
            "region": self.region,
            "base_url": self.base_url,
            "latency_ms": _round(self.latency_ms),
            "ttft_ms": _round(self.ttft_ms),
            "model": self.model,
            "usage": dict(self.usage) if self.usage is not None else None,
            "detected": self.detected,
            "exit_code": self.exit_code,
            "msg_id": self.msg_id,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# ---------------------------------------------------------------------------------------------------
# Building results


@dataclass(frozen=True)
class _Where:
    """Where the call goes and how that was decided; feeds the params every message may use."""

    region: str | None
    base_url: str | None
    model: str
    key_mask: str
    detected: bool = False
    explicit_region: bool = False


def _region_params(region: str | None, base_url: str | None) -> dict[str, Any]:
    known = REGIONS.get(region or "")
    if known is not None:
        return {
            "region": known.id,
            "region_en": known.name_en,
            "region_zh": known.name_zh,
            "console_url": known.console_url,
        }
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    intl = any(
        tag in host for tag in ("intl", "ap-southeast", "us-east", "hongkong", "eu-central", "ap-north")
    )
    return {
        "region": region or "",
        "region_en": "the custom endpoint" if region == CUSTOM else "an unknown region",
        "region_zh": "自定义端点" if region == CUSTOM else "未知地域",
        "console_url": INTL_CONSOLE if intl else REGIONS[DEFAULT_REGION].console_url,
    }


def _base_params(where: _Where) -> dict[str, Any]:
    params = _region_params(where.region, where.base_url)
    host, port = _host_port(where.base_url or "")
    params.update(
        model=where.model,
        key_mask=where.key_mask,
        base_url=where.base_url or "",
        host=host,
        port=port,
        console_cn=REGIONS[DEFAULT_REGION].console_url,
        console_intl=INTL_CONSOLE,
    )
    return params


def _host_port(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url, ""
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    return parts.hostname or url, str(port)


@dataclass(frozen=True)
class _Failure:
    msg_id: str
    params: dict[str, Any]
    http_status: int | None = None
    error_code: str | None = None
    request_id: str | None = None


def _failed(
    fail: _Failure,
    where: _Where,
    *,
    probes: tuple[ProbeResult, ...] = (),
    latency_ms: float | None = None,
    ttft_ms: float | None = None,
) -> CheckResult:
    params = _base_params(where)
    params.update(fail.params)
    return CheckResult(
        status="failed",
        exit_code=int(EXIT_CODES[fail.msg_id]),
        msg_id=fail.msg_id,
        params=params,
        http_status=fail.http_status,
        error_code=fail.error_code,
        request_id=fail.request_id,
        region=where.region,
        base_url=where.base_url,
        model=where.model,
        latency_ms=latency_ms,
        ttft_ms=ttft_ms,
        reply="",
        usage=None,
        detected=where.detected,
        probes=probes,
    )


def skipped(model: str = DEFAULT_MODEL) -> CheckResult:
    """The result for ``--no-test``: nothing was called, nothing is claimed."""
    return CheckResult(
        status="skipped",
        exit_code=int(ExitCode.OK),
        msg_id=None,
        params={"model": model},
        http_status=None,
        error_code=None,
        request_id=None,
        region=None,
        base_url=None,
        model=model,
        latency_ms=None,
        ttft_ms=None,
        reply="",
        usage=None,
        detected=False,
    )


# ---------------------------------------------------------------------------------------------------
# Before any request


def precheck_key(value: str, *, base_url: str | None = None) -> CheckResult | None:
    """Refuse, without a request, keys that cannot possibly pass: sending them only yields a vaguer error.

    - empty, or containing whitespace/control/non-ASCII (httpx would raise "Illegal header value",
      which SDKs report as a connection error, facts §3);
    - ``st-`` temporary tokens (expire within 30 minutes; useless for a persistent setup);
    - ``sk-sp-`` Coding Plan keys unless ``base_url`` is a Coding Plan endpoint (the pay-as-you-go hosts
      answer 401 to them, facts §1).
    """
    where = _Where(region=None, base_url=base_url, model=DEFAULT_MODEL, key_mask=mask(value))
    if not value:
        return _failed(_Failure("check.key_missing", {}), where)
    for i, ch in enumerate(value):
        if not 0x21 <= ord(ch) <= 0x7E:
            return _failed(_Failure("check.key_malformed", {"pos": i + 1}), where)
    if value.startswith("st-"):
        return _failed(_Failure("check.key_temporary", {}), where)
    if value.startswith("sk-sp-"):
        host = (urlsplit(base_url).hostname or "") if base_url else ""
        if host not in CODING_PLAN_HOSTS:
            return _failed(
                _Failure(
                    "check.key_coding_plan",
                    {"coding_cn": CODING_PLAN_URLS[0], "coding_intl": CODING_PLAN_URLS[1]},
                ),
                where,
            )
    return None


# ---------------------------------------------------------------------------------------------------
# Diagnosis


def _redact(text: str, key: str) -> str:
    """Make a server message or exception text safe to show: no key, no bearer token, bounded size."""
    if key:
        text = text.replace(key, mask(key))
    text = _BEARER.sub("Bearer ***", text)
    text = " ".join(text.split())
    return text[:300]


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__


def _diagnose_exc(exc: httpx.HTTPError, key: str, client: httpx.Client) -> _Failure:
    """Tell apart the network failures users confuse with each other (product.md §5)."""
    detail = _redact(str(exc) or type(exc).__name__, key)
    causes = list(_causes(exc))
    timeout = client.timeout
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or cause.reason or str(cause)
            return _Failure("check.tls_verify", {"detail": _redact(str(reason), key)})
    if isinstance(exc, httpx.ProxyError):
        if detail.startswith("407"):
            return _Failure("check.proxy_auth", {"detail": detail})
        return _Failure("check.proxy_failed", {"detail": detail})
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            return _Failure("check.tls_error", {"detail": detail})
    if isinstance(exc, httpx.ConnectTimeout):
        return _Failure("check.connect_timeout", {"seconds": _secs(timeout.connect), "detail": detail})
    if isinstance(exc, httpx.ReadTimeout):
        return _Failure("check.read_timeout", {"seconds": _secs(timeout.read), "detail": detail})
    if isinstance(exc, httpx.TimeoutException):
        return _Failure("check.timeout", {"detail": detail})
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            return _Failure("check.dns_failed", {"detail": detail})
        if isinstance(cause, ConnectionRefusedError):
            return _Failure("check.connection_refused", {"detail": detail})
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)) or any(
        isinstance(c, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)) for c in causes
    ):
        return _Failure("check.connection_lost", {"detail": detail})
    return _Failure("check.network_error", {"detail": detail})


def _secs(value: float | None) -> str:
    return "∞" if value is None else f"{value:g}"


def _error_fields(body: Any) -> tuple[str | None, str, str | None]:
    """(code, message, request_id) from the compatible form ``{"error":{...}}`` or the native flat form."""
    if not isinstance(body, dict):
        return None, "", None
    err = body.get("error")
    src: dict[str, Any] = err if isinstance(err, dict) else body
    code = src.get("code") or src.get("type")
    message = src.get("message")
    request_id = body.get("request_id") or src.get("request_id")
    return (
        str(code) if code else None,
        str(message) if message else "",
        str(request_id) if request_id else None,
    )


def _diagnose_http(
    status: int, body: Any, where: _Where, key: str, path: str, content_type: str = "application/json"
) -> _Failure:
    """Map status + ``error.code`` to a diagnosis (facts §4c). The code decides; the text only informs."""
    code, message, request_id = _error_fields(body)
    params: dict[str, Any] = {
        "status": status,
        "code": code or "—",
        "server_message": _redact(message, key) if message else "—",
        "path": path,
        "content_type": content_type,
    }

    def fail(msg_id: str, **extra: Any) -> _Failure:
        params.update(extra)
        return _Failure(msg_id, params, http_status=status, error_code=code, request_id=request_id)

    if status == 401:
        if where.region == CUSTOM:
            return fail("check.rejected_custom")
        if where.explicit_region:
            return fail("check.rejected_in_region")
        return fail("check.rejected")
    if status == 407:
        return fail("check.proxy_auth", detail=f"HTTP 407 {message}".strip())
    if code in _ACCOUNT_CODES:
        return fail(_ACCOUNT_CODES[code])
    if code == "model_not_found":
        suggestion = where.model.lower()
        if suggestion != where.model:
            return fail("check.model_not_found_case", suggestion=suggestion)
        return fail("check.model_not_found")
    if code == "model_not_supported":
        return fail("check.model_not_supported")
    if status == 429:
        return fail("check.token_limit" if code == "insufficient_quota" else "check.rate_limited")
    if code == "data_inspection_failed":
        return fail("check.content_blocked")
    if status == 400 and code in _BAD_REQUEST_CODES:
        return fail("check.bad_request" if where.model == DEFAULT_MODEL else "check.model_bad_request")
    if status == 403:
        return fail("check.forbidden")
    if status >= 500 or code == "internal_error":
        return fail("check.server_error")
    if status == 404:
        return fail("check.endpoint_not_found")
    if body is None:
        return fail("check.malformed_body")
    return fail("check.http_unexpected")


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _content_type(resp: httpx.Response) -> str:
    return resp.headers.get("content-type", "").split(";")[0].strip().lower() or "none"


def _headers(key: str, *, stream: bool = False) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {key}", "User-Agent": f"dashscope-setup/{__version__}"}
    if stream:
        headers["Accept"] = "text/event-stream"
    return headers


# ---------------------------------------------------------------------------------------------------
# Region detection


def _probe(region: str, url: str, key: str, client: httpx.Client, clock: Callable[[], float]) -> ProbeResult:
    where = _Where(region=region, base_url=url, model=DEFAULT_MODEL, key_mask=mask(key))
    start = clock()
    try:
        resp = client.get(f"{url}/models", headers=_headers(key))
    except httpx.HTTPError as exc:
        fail = _diagnose_exc(exc, key, client)
        return ProbeResult(
            region, None, "network", (clock() - start) * 1000, msg_id=fail.msg_id, params=fail.params
        )
    elapsed = (clock() - start) * 1000
    body = _json_or_none(resp.content)
    status = resp.status_code
    if status == 200:
        if isinstance(body, dict) and isinstance(body.get("data"), list):
            return ProbeResult(region, 200, "ok", elapsed)
        params = {"status": 200, "content_type": _content_type(resp)}
        return ProbeResult(region, 200, "malformed", elapsed, msg_id="check.malformed_body", params=params)
    fail = _diagnose_http(status, body, where, key, "/models", _content_type(resp))
    if status == 401:
        outcome = "rejected"
    elif status in (400, 403, 429) and fail.error_code:
        outcome = "account"
    elif status >= 500:
        outcome = "server_error"
    elif body is None:
        outcome = "malformed"
        fail = replace(fail, msg_id="check.malformed_body")
    else:
        outcome = "unexpected"
    return ProbeResult(
        region,
        status,
        outcome,
        elapsed,
        error_code=fail.error_code,
        request_id=fail.request_id,
        msg_id=fail.msg_id,
        params=fail.params,
    )


def detect_region(
    key: str,
    urls: Mapping[str, str],
    client: httpx.Client,
    *,
    model: str = DEFAULT_MODEL,
    on_stage: OnStage | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[str | None, tuple[ProbeResult, ...], CheckResult | None]:
    """Ask every region at once; the one answering 200 owns the key (keys are region-bound, facts §1).

    Returns (region, probes, None) on success, (None, probes, failure) otherwise. The probes run on
    daemon threads sharing ``client``, and detection returns as soon as a region answers 200, so its
    time is about one probe, and a region blocked by a firewall neither delays the answer nor keeps
    the process alive at exit. Without a 200, a region that recognised the key but refused for an
    account reason (400/403/429 with a code) is taken as the owner, so the chat call can diagnose it.
    """
    regions = list(urls)
    stage = on_stage or _no_stage
    stage("probing", {"regions": regions})
    results: queue.Queue[tuple[str, ProbeResult | BaseException]] = queue.Queue()

    def work(region: str) -> None:
        try:
            results.put((region, _probe(region, urls[region], key, client, clock)))
        except BaseException as exc:  # re-raised in the caller's thread; never lose a bug
            results.put((region, exc))

    for region in regions:
        threading.Thread(target=work, args=(region,), name=f"probe-{region}", daemon=True).start()

    done: dict[str, ProbeResult] = {}
    owner: str | None = None
    while len(done) < len(regions):
        region, got = results.get()
        if isinstance(got, BaseException):
            raise got
        done[region] = got
        stage("probe", {"region": region, **got.to_json()})
        if got.outcome == "ok":
            owner = region
            break
    probes = tuple(done.get(r) or ProbeResult(r, None, "pending", None) for r in regions)
    if owner is None:
        owner = next((p.region for p in probes if p.outcome == "account"), None)
    if owner is not None:
        stage("detected", {"region": owner})
        return owner, probes, None
    return None, probes, _detection_failure(probes, urls, key, model)


def _detection_failure(
    probes: tuple[ProbeResult, ...], urls: Mapping[str, str], key: str, model: str
) -> CheckResult:
    where = _Where(region=None, base_url=None, model=model, key_mask=mask(key))
    if not probes:
        return _failed(_Failure("check.network_error", {"detail": "no region to probe"}), where)
    rejected = [p for p in probes if p.outcome == "rejected"]
    unreachable = [p for p in probes if p.outcome != "rejected"]
    if not unreachable:
        fail = _Failure(
            "check.rejected_everywhere",
            {"regions_en": _names(rejected, "en"), "regions_zh": _names(rejected, "zh")},
            http_status=401,
            error_code=rejected[0].error_code,
            request_id=rejected[0].request_id,
        )
        return _failed(fail, where, probes=probes)
    first = unreachable[0]
    if not rejected:
        # No region said anything about the key: a network problem, not a bad key. Reported with the
        # first region's own diagnosis (host, detail), but no region is claimed for the key.
        at = replace(where, region=first.region, base_url=urls.get(first.region))
        fail = _Failure(
            first.msg_id or "check.network_error",
            dict(first.params),
            http_status=first.http_status,
            error_code=first.error_code,
            request_id=first.request_id,
        )
        return replace(_failed(fail, at, probes=probes), region=None, base_url=None)
    fail = _Failure(
        "check.detect_inconclusive",
        {
            "rejected_en": _names(rejected, "en"),
            "rejected_zh": _names(rejected, "zh"),
            "unreachable_en": _names(unreachable, "en"),
            "unreachable_zh": _names(unreachable, "zh"),
            "detail": first.params.get("detail") or f"HTTP {first.http_status}",
        },
    )
    return _failed(fail, where, probes=probes)


def _names(probes: list[ProbeResult], lang: str) -> str:
    names = [REGIONS[p.region].name(lang) if p.region in REGIONS else p.region for p in probes]
    return "、".join(names) if lang == "zh" else ", ".join(names)


def _no_stage(name: str, info: dict[str, Any]) -> None:
    del name, info


# ---------------------------------------------------------------------------------------------------
# The test call


@dataclass
class _Attempt:
    failure: _Failure | None = None
    retry_wait: float | None = None  # set when the failure may be retried once
    reply: str = ""
    usage: dict[str, int] | None = None
    ttft_ms: float | None = None
    latency_ms: float | None = None
    request_id: str | None = None


def _retry_after(resp: httpx.Response, default: float) -> float:
    raw = resp.headers.get("retry-after", "").strip()
    try:
        wait = float(raw)
    except ValueError:
        wait = default  # absent, or an HTTP date: not worth a wall clock here
    return max(0.0, min(wait, RETRY_AFTER_CAP))


def _request_id_from_chunk(chunk: dict[str, Any]) -> str | None:
    """Compatible-mode ids are ``chatcmpl-<request_id>`` (facts §4c shows both on one body)."""
    rid = chunk.get("request_id")
    if isinstance(rid, str) and rid:
        return rid
    cid = chunk.get("id")
    if isinstance(cid, str) and cid.startswith("chatcmpl-") and _UUID.fullmatch(cid[9:]):
        return cid[9:]
    return None


def _usage(raw: Any) -> dict[str, int] | None:
    if not isinstance(raw, dict):
        return None
    out = {
        k: int(raw[k])
        for k in ("prompt_tokens", "completion_tokens", "total_tokens")
        if isinstance(raw.get(k), int)
    }
    return out or None


def _chat_once(
    client: httpx.Client,
    base_url: str,
    key: str,
    model: str,
    max_tokens: int,
    where: _Where,
    on_delta: OnDelta,
    clock: Callable[[], float],
) -> _Attempt:
    payload = {
        "model": model,
        "messages": [dict(m) for m in TEST_MESSAGES],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": max_tokens,
    }
    att = _Attempt()
    start = clock()
    started = False
    try:
        with client.stream(
            "POST", f"{base_url}/chat/completions", json=payload, headers=_headers(key, stream=True)
        ) as resp:
            started = True
            if resp.status_code != 200:
                resp.read()
                att.failure = _diagnose_http(
                    resp.status_code,
                    _json_or_none(resp.content),
                    where,
                    key,
                    "/chat/completions",
                    _content_type(resp),
                )
                if resp.status_code == 429:
                    att.retry_wait = _retry_after(resp, DEFAULT_RETRY_WAIT)
                elif resp.status_code >= 500:
                    att.retry_wait = _retry_after(resp, DEFAULT_RETRY_WAIT / 2)
                return att
            if "json" in _content_type(resp):
                resp.read()
                _read_plain(resp, att, key, where, on_delta, clock, start)
            else:
                _read_sse(resp, att, key, where, on_delta, clock, start)
    except httpx.HTTPError as exc:
        if started and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
            att.failure = _Failure(
                "check.stream_truncated",
                {"detail": _redact(str(exc), key)},
                http_status=200,
                request_id=att.request_id,
            )
        else:
            fail = _diagnose_exc(exc, key, client)
            att.failure = replace(fail, http_status=200 if started else None, request_id=att.request_id)
        att.reply = ""
        return att
    att.latency_ms = (clock() - start) * 1000
    return att


def _malformed(status: int, content_type: str, request_id: str | None) -> _Failure:
    return _Failure(
        "check.malformed_body",
        {"status": status, "content_type": content_type},
        http_status=status,
        request_id=request_id,
    )


def _read_plain(
    resp: httpx.Response,
    att: _Attempt,
    key: str,
    where: _Where,
    on_delta: OnDelta,
    clock: Callable[[], float],
    start: float,
) -> None:
    """A gateway may ignore ``stream``: a well-formed non-streamed completion is still a success."""
    body = _json_or_none(resp.content)
    if isinstance(body, dict) and "error" in body:
        att.failure = _diagnose_http(200, body, where, key, "/chat/completions")
        return
    try:
        text = body["choices"][0]["message"]["content"] or ""
    except (KeyError, IndexError, TypeError):
        att.failure = _malformed(200, _content_type(resp), None)
        return
    att.ttft_ms = (clock() - start) * 1000
    att.request_id = _request_id_from_chunk(body)
    att.usage = _usage(body.get("usage"))
    att.reply = str(text)
    if text:
        on_delta(str(text))


_SSE_FIELDS = ("data:", "event:", "id:", "retry:", ":")


def _read_sse(
    resp: httpx.Response,
    att: _Attempt,
    key: str,
    where: _Where,
    on_delta: OnDelta,
    clock: Callable[[], float],
    start: float,
) -> None:
    """Consume ``data:`` lines until ``[DONE]``; an ``error`` object at any point is a diagnosis."""
    parts: list[str] = []
    for line in resp.iter_lines():
        if not line.strip():
            continue
        if not line.startswith(_SSE_FIELDS):
            att.failure = _malformed(200, _content_type(resp), att.request_id)
            return
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            att.reply = "".join(parts)
            return
        chunk = _json_or_none(data.encode())
        if not isinstance(chunk, dict):
            att.failure = _malformed(200, _content_type(resp), att.request_id)
            return
        att.request_id = att.request_id or _request_id_from_chunk(chunk)
        if "error" in chunk or ("code" in chunk and "choices" not in chunk):
            fail = _diagnose_http(200, chunk, where, key, "/chat/completions")
            att.failure = replace(fail, request_id=fail.request_id or att.request_id)
            att.failure.params["mid_stream"] = True
            return
        usage = _usage(chunk.get("usage"))
        if usage:
            att.usage = usage
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if not isinstance(delta, dict):
                continue
            text = delta.get("content")
            if (text or delta.get("reasoning_content")) and att.ttft_ms is None:
                att.ttft_ms = (clock() - start) * 1000
            if isinstance(text, str) and text:
                parts.append(text)
                on_delta(text)
    att.failure = _Failure(
        "check.stream_truncated",
        {"detail": "the stream ended without data: [DONE]"},
        http_status=200,
        request_id=att.request_id,
    )


def _ignore_delta(text: str) -> None:
    del text


def run_check(
    *,
    key: str,
    client: httpx.Client,
    urls: Mapping[str, str],
    region: str | None = None,
    base_url: str | None = None,
    model: str = DEFAULT_MODEL,
    on_delta: OnDelta | None = None,
    on_stage: OnStage | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    max_tokens: int = MAX_TOKENS,
) -> CheckResult:
    """The whole live check. Never raises for an expected failure: the result carries the diagnosis.

    Stages reported through ``on_stage`` (for a spinner): "probing" {regions}, "probe" {region,
    http_status, outcome, latency_ms, ...} per region as it answers, "detected" {region}, "calling"
    {region, base_url, model}, "retrying" {reason, wait_s, http_status}, "done" {status, exit_code}.
    """
    stage = on_stage or _no_stage
    pre = precheck_key(key, base_url=base_url)
    if pre is not None:
        return replace(pre, model=model, params={**pre.params, "model": model})
    probes: tuple[ProbeResult, ...] = ()
    detected = False
    explicit = False
    if base_url:
        url = base_url.strip().rstrip("/")
        chosen = next((rid for rid, known in urls.items() if known.rstrip("/") == url), CUSTOM)
        explicit = True
    elif region:
        if region not in urls:
            where = _Where(region=None, base_url=None, model=model, key_mask=mask(key))
            fail = _Failure("check.unknown_region", {"region": region, "known": ", ".join(urls)})
            return _failed(fail, where)
        chosen, url, explicit = region, urls[region].rstrip("/"), True
    else:
        found, probes, failure = detect_region(key, urls, client, model=model, on_stage=stage, clock=clock)
        if found is None:
            result = (
                failure
                if failure is not None
                else _failed(
                    _Failure("check.network_error", {"detail": "—"}),
                    _Where(region=None, base_url=None, model=model, key_mask=mask(key)),
                )
            )
            stage("done", {"status": result.status, "exit_code": result.exit_code})
            return result
        chosen, url, detected = found, urls[found].rstrip("/"), True
    where = _Where(
        region=chosen,
        base_url=url,
        model=model,
        key_mask=mask(key),
        detected=detected,
        explicit_region=explicit,
    )
    stage("calling", {"region": chosen, "base_url": url, "model": model})
    deliver = on_delta or _ignore_delta
    att = _chat_once(client, url, key, model, max_tokens, where, deliver, clock)
    if att.failure is not None and att.retry_wait is not None:
        reason = "rate_limited" if att.failure.http_status == 429 else "server_error"
        stage(
            "retrying", {"reason": reason, "wait_s": att.retry_wait, "http_status": att.failure.http_status}
        )
        sleep(att.retry_wait)
        att = _chat_once(client, url, key, model, max_tokens, where, deliver, clock)
    if att.failure is not None:
        result = _failed(att.failure, where, probes=probes, ttft_ms=att.ttft_ms)
    else:
        result = _succeeded(att, where, probes)
    stage("done", {"status": result.status, "exit_code": result.exit_code})
    return result


def _succeeded(att: _Attempt, where: _Where, probes: tuple[ProbeResult, ...]) -> CheckResult:
    params = _base_params(where)
    params.update(
        latency_s=f"{(att.latency_ms or 0) / 1000:.2f}",
        ttft_s="—" if att.ttft_ms is None else f"{att.ttft_ms / 1000:.2f}",
        total_tokens="—" if not att.usage else att.usage.get("total_tokens", "—"),
    )
    return CheckResult(
        status="ok",
        exit_code=int(ExitCode.OK),
        msg_id=None,
        params=params,
        http_status=200,
        error_code=None,
        request_id=att.request_id,
        region=where.region,
        base_url=where.base_url,
        model=where.model,
        latency_ms=att.latency_ms,
        ttft_ms=att.ttft_ms,
        reply=att.reply,
        usage=att.usage,
        detected=where.detected,
        probes=probes,
    )
