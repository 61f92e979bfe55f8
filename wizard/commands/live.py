"""The network side of the commands: the HTTP client from the injected environment, the region
probe and the guide's test call, and how their results land in a Report."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Protocol

from wizard import keys, regions
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg, Report

if TYPE_CHECKING:
    from wizard.check import CheckResult

MAX_TIMEOUT = 600.0


class Progress(Protocol):
    """Where the live check reports while it waits: stage lines and the streamed reply. The
    commands only call it; ui/progress.py draws it (a spinner on a terminal, lines elsewhere)."""

    def stage(self, name: str, info: dict[str, Any]) -> None: ...
    def delta(self, text: str) -> None: ...
    def finish(self) -> None: ...


def http_client(ctx: Context) -> Any:
    """The client for the live check, built from the injected environment (proxies, SSL_CERT_FILE);
    DASHSCOPE_SETUP_TIMEOUT (seconds) shortens the read timeout for slow links and for tests."""
    from wizard.check import net

    factory = ctx.http_client_factory or net.make_client
    raw = ctx.env.get("DASHSCOPE_SETUP_TIMEOUT", "").strip()
    if not raw:
        return factory(ctx.env)
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= MAX_TIMEOUT:  # also nan; inf would wait forever on a silent server
        raise SetupError(
            ExitCode.USAGE,
            "err.timeout_value",
            value="".join(c if c.isprintable() else "?" for c in raw[:40]),
            max=f"{MAX_TIMEOUT:g}",
        )
    return factory(ctx.env, connect_timeout=min(seconds, 5.0), read_timeout=seconds)


def live_check(
    ctx: Context,
    key: keys.Key,
    endpoint: regions.Endpoint | None,
    model: str,
    progress: Progress | None = None,
) -> CheckResult:
    """Detect the region (endpoint None) and make the guide's test call."""
    from wizard import check

    with http_client(ctx) as client:
        return check.run_check(
            key=key.value,
            client=client,
            urls=regions.region_urls(ctx.env),
            region=endpoint.region if endpoint and endpoint.region != regions.CUSTOM else None,
            base_url=endpoint.compatible_url if endpoint and endpoint.region == regions.CUSTOM else None,
            model=model,
            on_delta=progress.delta if progress else None,
            on_stage=progress.stage if progress else None,
        )


def detect_region(
    ctx: Context, key: keys.Key, model: str, progress: Progress | None = None
) -> tuple[regions.Endpoint | None, CheckResult | None]:
    """Only the region probe: every region's GET /models at once (no tokens used)."""
    from wizard import check

    pre = check.precheck_key(key.value)
    if pre is not None:
        return None, pre
    urls = regions.region_urls(ctx.env)
    with http_client(ctx) as client:
        found, _probes, failure = check.detect_region(
            key.value, urls, client, model=model, on_stage=progress.stage if progress else None
        )
    if progress:
        progress.finish()
    if found is None:
        return None, failure
    return regions.Endpoint(found, urls[found]), None


def key_report(report: Report, key: keys.Key, source: str) -> None:
    report.key_mask, report.key_length, report.key_kind = key.mask, key.length, key.kind
    report.key_source = source
    report.key_notes = list(key.notes)
    if key.kind == "coding-plan":
        report.warnings.append(Msg("warn.coding_plan"))


def check_failed(report: Report, result: CheckResult | None) -> Report:
    """The check's own diagnosis and exit code; None: nothing answered at all."""
    if result is None:
        report.exit_code = ExitCode.NETWORK
        report.error = Msg("check.network_error", {"detail": "—", "host": "—"})
        return report
    report.check = result
    report.exit_code = result.exit_code
    report.error = Msg(result.msg_id or "check.network_error", dict(result.params))
    return report
