"""`status`: every place a key can come from, which one a new shell ends up with, conflicts, and
keys left in shell history. Masked only; `--live` checks the configured key, `--scrub-history`
removes the history entries that hold a key (with a backup)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from wizard import scan as scanner
from wizard import stores
from wizard.commands.live import Progress, key_report, key_verified, live_check
from wizard.commands.test import configured_key
from wizard.context import Context
from wizard.edits import history, manifest
from wizard.errors import SetupError
from wizard.options import Options
from wizard.report import Report


def known_key(ctx: Context) -> str | None:
    """The configured key, to look for in history; None when none is configured or readable."""
    with contextlib.suppress(SetupError):
        return configured_key(ctx)[0].value
    return None


def status(ctx: Context, opts: Options, progress: Progress | None = None) -> Report:
    recorded = manifest.load(ctx).store_record()
    keyring_reader: Callable[[], str | None] | None = None
    if recorded.kind == stores.KEYRING:
        keyring_reader = stores.create(ctx, recorded.kind, record=recorded).read
    registry_reader = None
    if ctx.os_name == "windows":
        from wizard.stores.userenv import registry_reader as make_reader

        registry_reader = make_reader(ctx.windows.registry)
    report = Report("status")
    report.status = scanner.scan(
        ctx, keyring_reader=keyring_reader, registry_reader=registry_reader, recorded=recorded
    )
    known = known_key(ctx)
    findings = history.find(ctx, key=known)
    report.history = [f.to_json() for f in findings]
    if opts.scrub_history and findings:
        report.changes.extend(history.scrub(ctx, findings, key=known))
    if opts.live:
        key, source, path, store = configured_key(ctx)
        key_report(report, key, source, path=path, store=store)
        result = live_check(ctx, key, None, opts.model, progress)
        report.check = result
        report.key_verified = key_verified(result)
        if not result.ok:
            report.exit_code = result.exit_code
    return report
