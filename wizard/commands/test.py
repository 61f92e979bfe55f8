"""`test`: the live check with the key as a program started now would see it, and where it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard import keys, regions
from wizard.commands import suggest
from wizard.commands.live import belongs_elsewhere, check_failed, key_report, live_check, owner_of
from wizard.context import Context
from wizard.edits import manifest
from wizard.options import Options
from wizard.report import Report
from wizard.shells import KEY_VAR

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.commands.live import Progress


def configured_key(ctx: Context) -> tuple[keys.Key, str, str | None, str | None]:
    """(key, where it came from, its file, its store) as a program started now would see it: the
    environment first (what the SDKs read first), else the store recorded at setup, else the
    SDK's key file."""
    value = ctx.env.get(KEY_VAR, "").strip()
    if value:
        return keys.validate(value, persistent=False), "env", None, None
    from wizard.commands import env as keyenv

    stored, _extra = keyenv.stored_key(ctx)
    path, store = keyenv.stored_origin(ctx)
    return keys.validate(stored, persistent=False), "stored", path, store


def test(ctx: Context, opts: Options, progress: Progress | None = None) -> Report:
    report = Report("test")
    key, source, path, store = configured_key(ctx)
    key_report(report, key, source, path=path, store=store)
    config = manifest.configuration(ctx)
    endpoint, how = regions.requested(ctx.env, opts.region, opts.base_url, opts.workspace)
    if endpoint is None and source != "env" and config.endpoint is not None:
        endpoint, how = config.endpoint, "configured"
    result = live_check(ctx, key, endpoint, opts.model, progress, opts.workspace)
    if endpoint is not None and result.http_status == 401:
        result = _explain_rejection(ctx, opts, key, endpoint, how, result, config, progress)
    report.check = result
    if not result.ok:
        return check_failed(report, result)
    report.region, report.base_url = result.region, result.base_url
    report.region_source = "detected" if result.detected else how
    report.key_verified = report.region_verified = True
    return report


def _explain_rejection(
    ctx: Context,
    opts: Options,
    key: keys.Key,
    endpoint: regions.Endpoint,
    how: str,
    result: CheckResult,
    config: manifest.Configuration,
    progress: Progress | None,
) -> CheckResult:
    """A 401 where the key was sent: the free probe of every region says whose key it is, and the
    message says how to point the setup (or this command) there."""
    import dataclasses

    owner = owner_of(ctx, key, opts.model, progress, opts.workspace)
    configured = how == "configured"  # else: --region/--base-url of this command
    if owner is None or owner.region == endpoint.region:
        if not configured and endpoint.region == regions.CUSTOM:
            return result  # what a --base-url of a workspace or plan endpoint accepts says more
        msg_id = "check.rejected_configured" if configured else "check.rejected_nowhere"
        return dataclasses.replace(result, msg_id=msg_id)
    if not configured:
        flag = "--base-url" if how == "base-url" else "--region"
        return belongs_elsewhere(
            "check.key_belongs_flag", key, endpoint, owner, opts.model, result, flag=flag
        )
    cmd = suggest.fix_region(ctx, config, owner.region)  # "configured": the key is the stored one
    return belongs_elsewhere(
        "check.key_belongs_configured", key, endpoint, owner, opts.model, result, cmd=cmd
    )
