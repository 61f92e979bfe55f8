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
    workspace: str | None = None,
) -> CheckResult:
    """Detect the region (endpoint None) and make the guide's test call. A known region's endpoint is
    called at its own URL, which is a workspace host when one was given or saved."""
    from wizard import check

    urls = regions.region_urls(ctx.env, workspace)
    if endpoint is not None and endpoint.region in regions.REGIONS:
        urls[endpoint.region] = endpoint.compatible_url
    with http_client(ctx) as client:
        return check.run_check(
            key=key.value,
            client=client,
            urls=urls,
            region=endpoint.region if endpoint and endpoint.region != regions.CUSTOM else None,
            base_url=endpoint.compatible_url if endpoint and endpoint.region == regions.CUSTOM else None,
            model=model,
            on_delta=progress.delta if progress else None,
            on_stage=progress.stage if progress else None,
        )


def detect_region(
    ctx: Context, key: keys.Key, model: str, progress: Progress | None = None, workspace: str | None = None
) -> tuple[regions.Endpoint | None, CheckResult | None]:
    """Only the region probe: every region's GET /models at once (no tokens used); with a workspace,
    every region's workspace host."""
    from wizard import check

    pre = check.precheck_key(key.value)
    if pre is not None:
        return None, pre
    urls = regions.region_urls(ctx.env, workspace)
    with http_client(ctx) as client:
        found, _probes, failure = check.detect_region(
            key.value, urls, client, model=model, on_stage=progress.stage if progress else None
        )
    if progress:
        progress.finish()
    if found is None:
        return None, failure
    return regions.Endpoint(found, urls[found]), None


def owner_of(
    ctx: Context, key: keys.Key, model: str, progress: Progress | None = None, workspace: str | None = None
) -> regions.Endpoint | None:
    """After a 401 where the key was sent: the region it belongs to, found by the free probe
    (None when no region accepts it, or none could be reached)."""
    found, _failure = detect_region(ctx, key, model, progress, workspace)
    return found


def belongs_elsewhere(
    msg_id: str,
    key: keys.Key,
    endpoint: regions.Endpoint,
    owner: regions.Endpoint,
    model: str,
    rejected: CheckResult | None = None,
    **params: str,
) -> CheckResult:
    """The diagnosis "the key belongs to `owner`, not to `endpoint`", in place of the 401
    (`rejected`) or of a probe that found the key elsewhere."""
    from wizard.check.result import Failure, Where, failed

    where = Where(
        region=endpoint.region,
        base_url=endpoint.compatible_url,
        model=model,
        key_mask=key.mask,
        explicit_region=True,
    )
    name = regions.REGIONS[owner.region]
    fail = Failure(
        msg_id,
        {"owner": owner.region, "owner_en": name.name_en, "owner_zh": name.name_zh, **params},
        http_status=rejected.http_status if rejected else None,
        error_code=rejected.error_code if rejected else None,
        request_id=rejected.request_id if rejected else None,
    )
    return failed(fail, where)


def key_verified(result: CheckResult | None) -> bool:
    """The service took the key as genuine: the call succeeded, it refused for a reason of the
    account (which it knows only once it has recognised the key), or another region owns it."""
    if result is None:
        return False
    return result.ok or result.exit_code == ExitCode.ACCOUNT or "owner" in result.params


def key_report(
    report: Report, key: keys.Key, source: str, *, path: str | None = None, store: str | None = None
) -> None:
    """The key's facts in the report; `path`/`store`: the file or the store it was read from."""
    report.key_mask, report.key_length, report.key_kind = key.mask, key.length, key.kind
    report.key_source, report.key_from_path, report.key_from_store = source, path, store
    report.key_notes = [Msg(n, {"prefix": key.removed_prefix}) for n in key.notes]
    if key.kind == "coding-plan" and Msg("warn.coding_plan") not in report.warnings:
        report.warnings.append(Msg("warn.coding_plan"))


def check_failed(report: Report, result: CheckResult | None) -> Report:
    """The check's own diagnosis and exit code; None: nothing answered at all."""
    if result is None:
        report.exit_code = ExitCode.NETWORK
        report.error = Msg("check.network_error", {"detail": "—", "host": "—"})
        return report
    report.check = result
    report.key_verified = key_verified(result)
    report.exit_code = result.exit_code
    report.error = Msg(result.msg_id or "check.network_error", dict(result.params))
    return report
