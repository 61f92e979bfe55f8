"""Turning an error body or a transport exception into one diagnosis (a message id and its params).

The HTTP status and the error ``code`` decide; the server's text only informs. Network failures are told
apart by their causes (certificate, proxy, TLS, DNS, refused, timeout, reset), because users confuse them
with each other and with a bad key. Everything that can reach a user (server messages, exception text)
passes through ``redact`` first.
"""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator
from typing import Any

import httpx

from wizard.check.result import DEFAULT_MODEL, Failure, Where
from wizard.check.sanitize import clean, clean_id
from wizard.regions import CUSTOM

_ACCOUNT_CODES = {
    "Arrearage": "check.arrearage",
    "AccessDenied": "check.access_denied",
    "AccessDenied.Unpurchased": "check.unpurchased",
    "Model.AccessDenied": "check.model_access_denied",
    "AllocationQuota.FreeTierOnly": "check.free_tier_only",
}
_BAD_REQUEST_CODES = frozenset({"invalid_parameter_error", "invalid_request_error", "InvalidParameter"})


def redact(text: str, key: str) -> str:
    """Make a server message or exception text safe to show: no key, no bearer token, no control
    character, bounded size."""
    return clean(text, key)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__


def diagnose_exc(exc: httpx.HTTPError, key: str, client: httpx.Client) -> Failure:
    """Tell apart the network failures users confuse with each other."""
    detail = redact(str(exc) or type(exc).__name__, key)
    causes = list(_causes(exc))
    timeout = client.timeout
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or cause.reason or str(cause)
            return Failure("check.tls_verify", {"detail": redact(str(reason), key)})
    if isinstance(exc, httpx.ProxyError):
        if detail.startswith("407"):
            return Failure("check.proxy_auth", {"detail": detail})
        return Failure("check.proxy_failed", {"detail": detail})
    for cause in causes:
        if isinstance(cause, ssl.SSLError):
            return Failure("check.tls_error", {"detail": detail})
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure("check.connect_timeout", {"seconds": _secs(timeout.connect), "detail": detail})
    if isinstance(exc, httpx.ReadTimeout):
        return Failure("check.read_timeout", {"seconds": _secs(timeout.read), "detail": detail})
    if isinstance(exc, httpx.TimeoutException):
        return Failure("check.timeout", {"detail": detail})
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            return Failure("check.dns_failed", {"detail": detail})
        if isinstance(cause, ConnectionRefusedError):
            return Failure("check.connection_refused", {"detail": detail})
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)) or any(
        isinstance(c, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)) for c in causes
    ):
        return Failure("check.connection_lost", {"detail": detail})
    return Failure("check.network_error", {"detail": detail})


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


def diagnose_http(
    status: int, body: Any, where: Where, key: str, path: str, content_type: str = "application/json"
) -> Failure:
    """Map status + ``error.code`` to a diagnosis. The code decides; the text only informs."""
    raw_code, message, raw_request_id = _error_fields(body)
    code, request_id = clean_id(raw_code, key), clean_id(raw_request_id, key)
    params: dict[str, Any] = {
        "status": status,
        "code": code or "—",
        "server_message": redact(message, key) if message else "—",
        "path": path,
        "content_type": content_type,
    }

    def fail(msg_id: str, **extra: Any) -> Failure:
        params.update(extra)
        return Failure(msg_id, params, http_status=status, error_code=code, request_id=request_id)

    if status == 401:
        if where.region == CUSTOM:
            return fail("check.rejected_custom")
        if where.explicit_region:
            return fail("check.rejected_in_region")
        return fail("check.rejected")
    if status == 407:
        return fail("check.proxy_auth", detail=redact(f"HTTP 407 {message}", key))
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


def json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: a hostile server's deeply nested body
        return None


def media_type(resp: httpx.Response) -> str:
    return resp.headers.get("content-type", "").split(";")[0].strip().lower() or "none"
