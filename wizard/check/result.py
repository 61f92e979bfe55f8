"""What a live check concludes, and the table tying each diagnosis to its exit code.

Every failure has its own message id and exit code (``EXIT_CODES``), because the most common first-call
failures (wrong region, account state, a proxy) look identical as "401"/"connection error" and make users
rotate perfectly good keys. A result never carries the raw key: only its mask, in ``params``.

Exit codes where the diagnosis alone does not decide:
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

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from wizard.errors import ExitCode
from wizard.messages import t
from wizard.regions import CUSTOM, DEFAULT_REGION, REGIONS
from wizard.regions import DEFAULT_MODEL as DEFAULT_MODEL  # re-exported for the check modules

INTL_CONSOLE = REGIONS["ap-southeast-1"].console_url

# msg_id -> exit code. Every failure msg_id the check (or net.make_client) can produce is listed;
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
    "check.rejected_nowhere": ExitCode.KEY_REJECTED,
    "check.rejected_configured": ExitCode.KEY_REJECTED,
    # The key is genuine but of another region: nothing works until the region is changed.
    "check.key_belongs_flag": ExitCode.KEY_REJECTED,
    "check.key_belongs_chosen": ExitCode.KEY_REJECTED,
    "check.key_belongs_configured": ExitCode.KEY_REJECTED,
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
    "check.response_too_large": ExitCode.NETWORK,
    "check.request_too_slow": ExitCode.NETWORK,
    "check.check_too_slow": ExitCode.NETWORK,
    "check.network_error": ExitCode.NETWORK,
    # Raised by wizard.check.net.make_client as SetupError, before any check runs.
    "check.ca_file_unreadable": ExitCode.NETWORK,
    "check.proxy_unsupported": ExitCode.NETWORK,
    "check.proxy_invalid": ExitCode.NETWORK,
    "check.proxy_socks_missing": ExitCode.NETWORK,
}


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


@dataclass(frozen=True)
class Where:
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
            "billing_url": known.billing_url,
        }
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    intl = any(
        tag in host for tag in ("intl", "ap-southeast", "us-east", "hongkong", "eu-central", "ap-north")
    )
    return {
        "region": region or "",
        "region_en": t("en", "region.the_custom" if region == CUSTOM else "region.unknown"),
        "region_zh": t("zh", "region.the_custom" if region == CUSTOM else "region.unknown"),
        "console_url": INTL_CONSOLE if intl else REGIONS[DEFAULT_REGION].console_url,
        "billing_url": REGIONS["ap-southeast-1" if intl else DEFAULT_REGION].billing_url,
    }


def base_params(where: Where) -> dict[str, Any]:
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
class Failure:
    msg_id: str
    params: dict[str, Any]
    http_status: int | None = None
    error_code: str | None = None
    request_id: str | None = None


def failed(
    fail: Failure,
    where: Where,
    *,
    probes: tuple[ProbeResult, ...] = (),
    latency_ms: float | None = None,
    ttft_ms: float | None = None,
) -> CheckResult:
    params = base_params(where)
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
