"""`test`: the live check with the key as a program started now would see it, and where it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard import keys, regions, stores
from wizard.commands.live import check_failed, key_report, live_check
from wizard.context import Context
from wizard.edits import manifest
from wizard.options import Options
from wizard.report import Report
from wizard.shells import KEY_VAR

if TYPE_CHECKING:
    from wizard.commands.live import Progress


def configured_key(ctx: Context) -> tuple[keys.Key, str, str | None]:
    """(key, where it came from, path) as a program started now would see it: the environment
    first (what the SDKs read first), else the store recorded at setup, else the SDK's key file."""
    value = ctx.env.get(KEY_VAR, "").strip()
    if value:
        return keys.validate(value, persistent=False), "env", None
    from wizard.commands import env as keyenv

    stored, _extra = keyenv.stored_key(ctx)
    record = manifest.load(ctx).store_record()
    store = stores.create(ctx, record.kind, record=record)
    path = str(store.key_file) if store.key_file else None
    return keys.validate(stored, persistent=False), store.kind, path


def test(ctx: Context, opts: Options, progress: Progress | None = None) -> Report:
    report = Report("test")
    key, source, path = configured_key(ctx)
    key_report(report, key, source)
    report.key_file = path
    endpoint, how = regions.requested(ctx.env, opts.region, opts.base_url)
    if endpoint is None and source != "env":
        state = manifest.load(ctx)
        if state.base_url:
            endpoint, how = regions.Endpoint(state.region or regions.CUSTOM, state.base_url), "configured"
    result = live_check(ctx, key, endpoint, opts.model, progress)
    report.check = result
    if not result.ok:
        return check_failed(report, result)
    report.region, report.base_url = result.region, result.base_url
    report.region_source = "detected" if result.detected else how
    return report
