"""`status`: every place a key can come from, which one a new shell ends up with, conflicts, and
keys left in shell history. Masked only; `--live` checks the configured key, `--scrub-history`
removes the history entries that hold a key (with a backup). Nothing else is ever written.

Exit code: 0 when a key is configured (new shells or programs get one without this terminal's
help), 9 (`NOT_CONFIGURED`) when none is, so a script can ask `status -q`; with `--live`, a failed
check's own code. `--check` judges the result (commands/compliance.py): 10 when the machine does
not comply, else 0."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from wizard import scan as scanner
from wizard import stores
from wizard.commands.live import Progress, key_report, key_verified, live_check
from wizard.commands.test import configured_key
from wizard.context import Context
from wizard.edits import history, manifest
from wizard.errors import ExitCode, SetupError
from wizard.options import Options
from wizard.report import Report
from wizard.shells import detect as platform


def known_key(ctx: Context) -> str | None:
    """The configured key, to look for in history; None when none is configured or readable."""
    with contextlib.suppress(SetupError):
        return configured_key(ctx)[0].value
    return None


def _env_loads(ctx: Context) -> str | None:
    """The fingerprint of the key `dashscope-setup env` would load into a terminal."""
    from wizard.commands.env import stored_key

    with contextlib.suppress(SetupError):
        return scanner.fingerprint(stored_key(ctx)[0])
    return None


def status(ctx: Context, opts: Options, progress: Progress | None = None) -> Report:
    state = manifest.load(ctx)
    recorded = state.store_record()
    keyring_reader: Callable[[], str | None] | None = None
    if recorded.kind == stores.KEYRING:
        keyring_reader = stores.create(ctx, recorded.kind, record=recorded).read
    registry_reader = None
    if ctx.os_name == "windows":
        from wizard.stores.userenv import registry_reader as make_reader

        registry_reader = make_reader(ctx.windows.registry)
    detected = platform.detect(ctx)
    report = Report("status", os_name=ctx.os_name, wsl=detected.os.wsl, current_shell=detected.shell.name)
    # The saved configuration, as `env`, `run` and `test` use it.
    endpoint = state.endpoint()
    if endpoint is not None:
        report.region, report.base_url, report.region_source = (
            endpoint.region,
            endpoint.compatible_url,
            "configured",
        )
    report.store, report.key_file = state.store, state.key_file
    report.shells = sorted({f.shell for f in state.files})
    report.status = scanner.scan(
        ctx,
        keyring_reader=keyring_reader,
        registry_reader=registry_reader,
        recorded=recorded,
        current_shell=detected.shell.name,
        env_loads=_env_loads(ctx),
    )
    from wizard.commands.consumers import views

    report.consumers, report.cwd = views(ctx, state, report.status), str(ctx.cwd)
    if not report.status.verdict.configured:
        report.exit_code = ExitCode.NOT_CONFIGURED
    known = known_key(ctx)
    findings = history.find(ctx, key=known)
    report.history = [f.to_json() for f in findings]
    if opts.scrub_history and findings:
        report.changes.extend(history.scrub(ctx, findings, key=known))
    if opts.live and not opts.check:  # --check: its own live check, whose failure is a deviation
        key, source, path, store = configured_key(ctx)
        key_report(report, key, source, path=path, store=store)
        result = live_check(ctx, key, None, opts.model, progress)
        report.check = result
        report.key_verified = key_verified(result)
        if not result.ok:
            report.exit_code = result.exit_code
    if opts.check:
        from wizard.commands.compliance import check

        check(ctx, opts, report, progress)
    return report
