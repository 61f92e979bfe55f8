"""Orchestration of the commands: options + context -> plan -> effects -> Report.

Never prints. Raises SetupError for expected failures; cli.py maps them to exit codes.
"""

from __future__ import annotations

import contextlib
import getpass
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import block, files, keys, regions
from wizard import messages as i18n
from wizard.context import Context
from wizard.edits import manifest
from wizard.errors import ExitCode, SetupError
from wizard.options import Options
from wizard.report import Msg, Report
from wizard.shells import KEY_VAR, SHELL_NAMES, SHELLS, Shell, Target
from wizard.shells import detect as platform
from wizard.stores import Change, InlineStore, KeyFileStore, Store, default_key_file, make_dirs
from wizard.ui.progress import Progress

if TYPE_CHECKING:
    from wizard.check import CheckResult

_KEYLIKE = re.compile(r"\b(?:sk|st)-[A-Za-z0-9._-]{12,}")
AUTO_SHELLS = ("bash", "zsh", "fish", "powershell")


# --- the key -----------------------------------------------------------------------------------


def read_key(ctx: Context, opts: Options) -> tuple[str, str]:
    """(raw key, where it came from). Never from argv: there is no such option."""
    sources = [
        s for s, on in (("stdin", opts.key_stdin), ("key-file", opts.key_file), ("env", opts.use_env)) if on
    ]
    if len(sources) > 1:
        raise SetupError(ExitCode.USAGE, "err.key_sources")
    if not sources:
        raise SetupError(ExitCode.USAGE, "err.no_key_source")
    source = sources[0]
    if source == "stdin":
        if ctx.stdin_is_tty():
            return getpass.getpass("DASHSCOPE_API_KEY: ", stream=ctx.stderr), source
        return ctx.stdin.readline().rstrip("\r\n"), source
    if source == "key-file":
        if opts.key_file is None:
            raise SetupError(ExitCode.USAGE, "err.no_key_source")
        try:
            text = opts.key_file.read_text(encoding="utf-8", errors="replace")
            return (text[:-1] if text.endswith("\n") else text).rstrip("\r"), source
        except OSError as exc:
            raise SetupError(
                ExitCode.USAGE, "err.key_file_unreadable", path=str(opts.key_file), reason=exc.strerror
            ) from None
    value = ctx.env.get(KEY_VAR)
    if not value:
        raise SetupError(ExitCode.USAGE, "err.use_env_missing")
    return value, source


# --- shells and targets ------------------------------------------------------------------------


def resolve_shells(requested: tuple[str, ...], detected: platform.Detected) -> list[str]:
    """`auto` = the shell in use plus every other installed interactive shell (as rustup does)."""
    names: list[str] = []
    for name in requested or ("auto",):
        if name == "auto":
            names.append(detected.shell.name)
            names.extend(n for n in detected.installed if n in AUTO_SHELLS)
        else:
            names.append(name)
    return [n for n in SHELL_NAMES if n in names]


@dataclass
class FilePlan:
    target: Target
    real: Path
    existed: bool
    before: bytes
    after: bytes
    diff: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def change(self, *, done: bool) -> Change:
        what = "owned-file" if self.target.owned else "block"
        if not self.changed:
            action = "unchanged"
        elif done:
            action = "modified" if self.existed else "created"
        else:
            action = "would-modify" if self.existed else "would-create"
        return Change(str(self.target.path), action, what, self.target.shell, self.diff or None)


def plan_file(target: Target, body: str | None, secret: str | None = None) -> FilePlan:
    """body=None removes our block. A `secret` in the block is masked in the diff shown to users."""
    real = files.resolve(target.path)
    existed = real.exists()
    try:
        before = real.read_bytes() if existed else b""
    except OSError as exc:
        raise SetupError(
            ExitCode.STORE, "err.unreadable", path=str(target.path), reason=exc.strerror
        ) from None
    dec = files.decode(before)
    text = block.upsert_block(dec.text, body) if body is not None else block.remove_block(dec.text)
    after = files.encode(dec, text)
    diff = block.unified_diff(target.path, dec.text, text) if after != before else ""
    if secret:
        diff = diff.replace(secret, keys.mask(secret))
    diff = _KEYLIKE.sub(lambda m: keys.mask(m.group(0)), diff)  # an older inline key, a foreign one
    return FilePlan(target, real, existed, before, after, diff)


def _in_git_worktree(path: Path) -> bool:
    return any((p / ".git").exists() for p in path.parents)


# --- setup -------------------------------------------------------------------------------------


def default_store(ctx: Context) -> str:
    """The Windows user environment on Windows (what the guide's setx does, without its leaks);
    the SDK's own key file elsewhere."""
    return "userenv" if ctx.os_name == "windows" else "file"


def _store_for(ctx: Context, kind: str, extra: dict[str, str] | None = None) -> Store:
    if kind == "userenv":
        from wizard.stores.userenv import UserEnvStore

        return UserEnvStore(
            extra,
            stale=manifest.load(ctx).registry_values,
            registry=ctx.extra.get("winreg"),
            broadcast=ctx.extra.get("broadcast"),
        )
    if kind == "file":
        return KeyFileStore(default_key_file(ctx))
    if kind == "inline":
        return InlineStore()
    if kind == "keyring":
        from wizard.stores.keyring import KeyringStore

        return KeyringStore(ctx)
    raise SetupError(ExitCode.USAGE, "err.store_pending", store=kind)


def requested_endpoint(ctx: Context, opts: Options) -> tuple[regions.Endpoint | None, str]:
    """(endpoint, how it was chosen). None means: find it by asking every region."""
    if opts.base_url:
        return regions.endpoint_for(regions.DEFAULT_REGION, ctx.env, opts.base_url), "base-url"
    if opts.region != "auto":
        return regions.endpoint_for(opts.region, ctx.env), "flag"
    return None, "detected"


def session_lines(
    shell: Shell, store: Store, key_file: Path | None, sources: list[Path], extra: dict[str, str]
) -> list[str]:
    lines: list[str] = []
    if store.kind == "file" and key_file is not None:
        lines.append(shell.load_line(key_file))
    elif store.kind == "keyring":
        return [shell.eval_env_line()]
    elif sources:
        src = shell.source_line(sources[0])
        if src:
            return [src]
    lines.extend(shell.assign(k, v) for k, v in extra.items())
    return lines


@dataclass
class SetupPlan:
    """Everything setup would write, computed before anything is written."""

    key: keys.Key
    endpoint: regions.Endpoint
    store: Store
    key_file: Path | None
    shells: list[str]
    files: list[FilePlan]
    warnings: list[Msg]

    def planned_changes(self) -> list[Change]:
        store_change = self.store.plan(self.key.value)
        return [c for c in [store_change] if c] + [p.change(done=False) for p in self.files]


def make_plan(
    ctx: Context, *, key: keys.Key, endpoint: regions.Endpoint, shell_names: list[str], store_kind: str
) -> SetupPlan:
    extra = endpoint.sdk_env()
    store = _store_for(ctx, store_kind, extra)
    key_file = store.path if isinstance(store, KeyFileStore) else None
    warnings: list[Msg] = []
    file_plans: list[FilePlan] = []
    if store.kind == "userenv":
        # Every new process on Windows (cmd, PowerShell, Git Bash, IDEs) inherits the user
        # environment: no startup file needs a block.
        return SetupPlan(key, endpoint, store, None, shell_names, [], warnings)
    if ctx.os_name == "windows" and "powershell" in shell_names:
        from wizard.shells import winps

        warnings.extend(winps.policy_warnings(ctx))
    seen: set[Path] = set()
    for name in shell_names:
        shell = SHELLS[name]
        if not shell.has_startup_file:
            warnings.append(Msg("warn.no_startup_file", {"shell": shell.display}))
            continue
        body = shell.block_body(store=store.kind, extra=extra, key_file=key_file, key=key.value)
        for target in shell.targets(ctx):
            real = files.resolve(target.path)
            if real in seen:
                continue
            seen.add(real)
            file_plans.append(plan_file(target, body, secret=key.value))
    if not file_plans:
        raise SetupError(ExitCode.USAGE, "err.no_targets")
    if store.kind == "inline":
        for f in file_plans:
            if f.target.path.is_symlink() and _in_git_worktree(f.real):
                warnings.append(Msg("warn.inline_git", {"path": str(f.target.path)}))
    return SetupPlan(key, endpoint, store, key_file, shell_names, file_plans, warnings)


def preflight(ctx: Context, plan: SetupPlan) -> None:
    """Everything is checked before anything is written: a read-only target means no key file either."""
    plan.store.preflight()
    for f in plan.files:
        if f.changed:
            files.check_writable(f.target.path)
    files.check_writable(manifest.path(ctx))


def apply(ctx: Context, plan: SetupPlan) -> list[Change]:
    changes: list[Change] = []
    state = manifest.load(ctx)
    state.add_dirs(make_dirs(ctx.state_dir()))
    store_change, created = plan.store.save(plan.key.value)
    state.add_dirs(created)
    if store_change:
        changes.append(store_change)
    if plan.store.kind == "userenv":
        names = {KEY_VAR, *plan.endpoint.sdk_env()}
        state.registry_values = sorted(set(state.registry_values) | names)
    if plan.key_file is not None and ctx.os_name == "windows":
        from wizard.stores.userenv import restrict_to_current_user

        # chmod does nothing on NTFS: the key file gets a current-user-only ACL instead.
        restrict_to_current_user(plan.key_file, ctx.run, platform=ctx.platform, env=ctx.env)
    state.store = plan.store.kind
    if plan.key_file is not None:
        state.key_file = str(plan.key_file)
        if store_change and store_change.action == "created":
            state.key_file_created = True
    state.region, state.base_url = plan.endpoint.region, plan.endpoint.compatible_url
    secret_blocks = plan.store.kind == "inline"
    for f in plan.files:
        record = state.file(str(f.target.path))
        if f.changed:
            backup = (
                manifest.backup_once(ctx, f.real, f.before)[0]
                if f.existed and not (record and record.backup)
                else None
            )
            state.add_dirs(make_dirs(f.real.parent))
            try:
                files.atomic_write(f.target.path, f.after, secret=secret_blocks and not f.existed)
            except OSError as exc:
                raise SetupError(
                    ExitCode.STORE, "err.write_failed", path=str(f.target.path), reason=exc.strerror
                ) from None
            if record is None:
                state.files.append(
                    manifest.FileRecord(
                        str(f.target.path),
                        f.target.shell,
                        created=not f.existed,
                        owned=f.target.owned,
                        backup=backup,
                    )
                )
            elif backup:
                record.backup = backup
        elif record is None:
            state.files.append(
                manifest.FileRecord(str(f.target.path), f.target.shell, created=False, owned=f.target.owned)
            )
        changes.append(f.change(done=True))
    from wizard import __version__

    state.tool_version = __version__
    manifest.save(ctx, state)
    return changes


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
        raise SetupError(ExitCode.USAGE, "err.timeout_value", value=raw) from None
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
    """Only the region probe (the wizard shows it before the test call)."""
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


def check_failed(report: Report, result: CheckResult) -> Report:
    report.check = result
    report.exit_code = result.exit_code
    report.error = Msg(result.msg_id or "check.network_error", dict(result.params))
    return report


def setup(ctx: Context, opts: Options, progress: Progress | None = None) -> Report:
    store_kind = opts.store or default_store(ctx)
    report = Report("setup", scope=opts.scope, dry_run=opts.dry_run, store=store_kind)
    if not opts.yes:
        raise SetupError(ExitCode.USAGE, "err.not_interactive")
    detected = platform.detect(ctx)
    report.os_name, report.wsl = detected.os.name, detected.os.wsl
    report.current_shell = detected.shell.name
    if detected.os.wsl:
        report.warnings.append(Msg("warn.wsl"))
    if detected.os.name == "windows":
        from wizard.shells import winps
        from wizard.stores import userenv as winenv

        wsl = winenv.wsl_message(ctx)
        if wsl:
            report.warnings.append(wsl)
        if detected.shell.name == "powershell":
            report.warnings.append(winps.history_warning(ctx))

    raw, source = read_key(ctx, opts)
    key = keys.validate(raw, persistent=opts.scope == "persistent")
    del raw
    key_report(report, key, source)
    endpoint, how = requested_endpoint(ctx, opts)
    current = SHELLS[detected.shell.name]

    plan: SetupPlan | None = None
    if opts.scope == "persistent":
        # Check the targets before the network call: a read-only file fails fast, and offline.
        names = resolve_shells(opts.shells, detected)
        provisional = endpoint or regions.endpoint_for(regions.DEFAULT_REGION, ctx.env)
        plan = make_plan(ctx, key=key, endpoint=provisional, shell_names=names, store_kind=store_kind)
        preflight(ctx, plan)

    if opts.no_test:
        if endpoint is None:
            endpoint, how = regions.endpoint_for(regions.DEFAULT_REGION, ctx.env), "assumed"
            report.warnings.append(Msg("warn.region_assumed", {"region": endpoint.region}))
    else:
        result = live_check(ctx, key, endpoint, opts.model, progress)
        report.check = result
        if result.ok and result.base_url:
            found = regions.Endpoint(result.region or regions.CUSTOM, result.base_url)
            endpoint = endpoint if endpoint and endpoint.compatible_url == found.compatible_url else found
        elif not opts.save_anyway:
            return check_failed(report, result)
        else:
            report.warnings.append(Msg("warn.saved_anyway"))
            if endpoint is None:
                endpoint, how = regions.endpoint_for(regions.DEFAULT_REGION, ctx.env), "assumed"
    if endpoint is None:  # unreachable: every branch above sets it
        raise RuntimeError("no endpoint")
    report.region, report.base_url, report.region_source = endpoint.region, endpoint.compatible_url, how
    extra = endpoint.sdk_env()
    report.samples_for = (endpoint.compatible_url, opts.model)

    if plan is None:
        report.session_lines = [current.prompt_line(), *(current.assign(k, v) for k, v in extra.items())]
        report.next_steps.append(Msg("next.session_only"))
        return report

    if plan.endpoint != endpoint:
        plan = make_plan(ctx, key=key, endpoint=endpoint, shell_names=plan.shells, store_kind=store_kind)
        preflight(ctx, plan)
    report.shells = plan.shells
    report.key_file = str(plan.key_file) if plan.key_file else None
    report.warnings.extend(plan.warnings)
    if plan.store.kind == "keyring":
        from wizard.stores.keyring import loader_warnings

        report.warnings.extend(Msg(w) for w in loader_warnings(ctx))
    foreign = foreign_exports(ctx, report)
    if opts.dry_run:
        report.changes = plan.planned_changes()
        if opts.disable_foreign and foreign:
            report.changes += [
                Change(str(fp.path), "would-modify", "foreign-export", None, fp.diff)
                for fp in migrate_plans(ctx, foreign)
            ]
        return finish_report(report, current, plan, extra)
    if opts.disable_foreign and foreign:
        report.changes += disable_foreign(ctx, foreign)
        # The files changed under the plan: plan again from what is on disk now.
        plan = make_plan(ctx, key=key, endpoint=endpoint, shell_names=plan.shells, store_kind=store_kind)
        preflight(ctx, plan)
    elif foreign:
        report.next_steps.append(Msg("next.disable_foreign", {"count": len(foreign)}))
    report.changes += apply(ctx, plan)
    check_history(ctx, opts, report, key)
    return finish_report(report, current, plan, extra)


def foreign_exports(ctx: Context, report: Report) -> list[Any]:
    """Lines outside our blocks that set DASHSCOPE_API_KEY and could shadow or contradict us."""
    from wizard.edits import migrate

    found = migrate.find_foreign_exports(ctx)
    report.foreign = [f.to_json() for f in found]
    return found


def migrate_plans(ctx: Context, foreign: list[Any]) -> list[Any]:
    from wizard.edits import migrate

    return migrate.plan(ctx, foreign)


def disable_foreign(ctx: Context, foreign: list[Any]) -> list[Change]:
    """Comment the foreign lines out (reversibly, backed up) and record the files for `remove`."""
    from wizard.edits import migrate

    changes = migrate.apply(ctx, migrate.plan(ctx, foreign))
    state = manifest.load(ctx)
    state.add_dirs(make_dirs(ctx.state_dir()))
    for c in changes:
        if c.what == "foreign-export" and c.action == "modified" and c.path not in state.migrated:
            state.migrated.append(c.path)
    manifest.save(ctx, state)
    return changes


def check_history(ctx: Context, opts: Options, report: Report, key: keys.Key) -> None:
    """Keys typed into a shell stay in its history file: report them, scrub them on request."""
    from wizard.edits import history

    findings = history.find(ctx, key=key.value)
    report.history = [f.to_json() for f in findings]
    if findings and opts.scrub_history:
        report.changes += history.scrub(ctx, findings)
    elif findings:
        report.next_steps.append(Msg("next.scrub_history", {"count": len(findings)}))


def finish_report(report: Report, current: Shell, plan: SetupPlan, extra: dict[str, str]) -> Report:
    sources = [f.target.path for f in plan.files if f.target.shell == current.name]
    report.session_lines = session_lines(current, plan.store, plan.key_file, sources, extra)
    if plan.store.kind == "userenv":
        from wizard.stores.userenv import userenv_session_line

        line = userenv_session_line(current.name)
        report.session_lines = [line] if line else []
        report.next_steps.append(Msg("next.win_new_terminals"))
    else:
        report.next_steps.append(Msg("next.new_terminal"))
    report.next_steps.append(Msg("next.remove"))
    return report


# --- test --------------------------------------------------------------------------------------


def configured_key(ctx: Context) -> tuple[keys.Key, str, str | None]:
    """(key, where it came from, path) as a program started now would see it: the environment
    first (what the SDKs read first), else the store recorded at setup, else the SDK's key file."""
    value = ctx.env.get(KEY_VAR, "").strip()
    if value:
        return keys.validate(value, persistent=False), "env", None
    from wizard.commands import env as keyenv

    state = manifest.load(ctx)
    stored, _extra = keyenv.stored_key(ctx)
    source = "keyring" if state.store == "keyring" else "file"
    path = None if source == "keyring" else (state.key_file or str(default_key_file(ctx)))
    return keys.validate(stored, persistent=False), source, path


def test(ctx: Context, opts: Options, progress: Progress | None = None) -> Report:
    report = Report("test")
    key, source, path = configured_key(ctx)
    key_report(report, key, source)
    report.key_file = path
    endpoint, how = requested_endpoint(ctx, opts)
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


# --- snippet -----------------------------------------------------------------------------------

PLACEHOLDER = "sk-your-api-key"


def snippet(ctx: Context, opts: Options) -> Report:
    """Print the lines for a shell and scope; read no key, write nothing."""
    store_kind = opts.store or "file"
    report = Report("snippet", scope=opts.scope, store=store_kind)
    detected = platform.detect(ctx)
    names = [n for n in opts.shells if n != "auto"] or [detected.shell.name]
    endpoint = requested_endpoint(ctx, opts)[0] or regions.endpoint_for(regions.DEFAULT_REGION, ctx.env)
    report.region, report.base_url = endpoint.region, endpoint.compatible_url
    extra = endpoint.sdk_env()
    key_file = default_key_file(ctx)
    out: list[str] = []
    for name in names:
        shell = SHELLS[name]
        if len(names) > 1:
            out.append(f"# {shell.display}")
        if opts.scope == "session":
            if store_kind == "inline":
                out.append(shell.assign(KEY_VAR, PLACEHOLDER))
            elif store_kind == "keyring":
                out.append(shell.eval_env_line())
                continue
            else:
                out.append(shell.load_line(key_file))
            out.extend(shell.assign(k, v) for k, v in extra.items())
        elif not shell.has_startup_file:
            # CMD has no startup file: the guide's setx line, offered as text with its caveats.
            from wizard.stores.userenv import manual_lines

            lines = manual_lines(PLACEHOLDER)
            lang = i18n.detect_lang(opts.lang, ctx.env)
            out.extend(f"rem {i18n.t(lang, m.id, **m.params)}" for m in lines.notes)
            out.extend(line for line in (lines.setx, lines.cmd_session) if line)
        else:
            body = shell.block_body(store=store_kind, extra=extra, key_file=key_file, key=PLACEHOLDER)
            for target in shell.targets(ctx):
                out.append(f"# -> {target.path}")
            out.append(block.make_block(body, "\n").rstrip("\n"))
    report.shells = names
    report.snippet = "\n".join(out)
    return report


# --- remove ------------------------------------------------------------------------------------


def remove(ctx: Context, opts: Options) -> Report:
    """Undo exactly what the manifest recorded; running it twice is harmless."""
    report = Report("remove", dry_run=opts.dry_run)
    state = manifest.load(ctx)
    done = not opts.dry_run
    # Lines we disabled come back first, so the block plans below see the files as they will be.
    for migrated in state.migrated:
        report.changes.append(_restore_foreign(Path(migrated), done))
    plans = [plan_file(Target(Path(f.path), f.shell, f.owned), None) for f in state.files]
    for p in plans:
        if p.changed:
            files.check_writable(p.target.path)
    for p, record in zip(plans, state.files):
        delete = record.created and not p.after.strip()
        if delete and p.existed:
            if done:
                p.real.unlink()
            report.changes.append(
                Change(
                    record.path, "removed" if done else "would-remove", "block", record.shell, p.diff or None
                )
            )
            continue
        if p.changed and done:
            files.atomic_write(p.target.path, p.after)
        report.changes.append(
            p.change(done=done) if p.changed else Change(record.path, "unchanged", "block", record.shell)
        )
        if (
            done
            and record.backup
            and Path(record.backup).exists()
            and Path(record.backup).read_bytes() == p.after
        ):
            Path(record.backup).unlink()
    if state.key_file and state.key_file_created:
        kf = Path(state.key_file)
        if files.resolve(kf).exists():
            if done:
                files.resolve(kf).unlink()
            report.changes.append(Change(state.key_file, "removed" if done else "would-remove", "key-file"))
    elif state.key_file and Path(state.key_file).exists():
        report.warnings.append(Msg("warn.key_file_kept", {"path": state.key_file}))
    if state.store == "userenv":
        from wizard.stores.userenv import UserEnvStore

        userenv = UserEnvStore(
            stale=state.registry_values,
            registry=ctx.extra.get("winreg"),
            broadcast=ctx.extra.get("broadcast"),
        )
        if done:
            userenv.delete()
            report.changes.extend(userenv.last_changes)
        else:
            report.changes.extend(userenv.plan_delete())
    if state.store == "keyring":
        from wizard.stores.keyring import LOCATION, KeyringStore

        keyring = KeyringStore(ctx)
        if done:
            if keyring.delete():
                report.changes.append(Change(LOCATION, "removed", "keyring"))
        elif keyring.read() is not None:
            report.changes.append(Change(LOCATION, "would-remove", "keyring"))
    if done:
        with contextlib.suppress(FileNotFoundError):
            manifest.path(ctx).unlink()
        _rmdir_if_empty(manifest.backups_dir(ctx))
        for d in sorted(state.created_dirs, key=len, reverse=True):
            _rmdir_if_empty(Path(d))
        _rmdir_if_empty(ctx.state_dir())
    if not state.files and not state.key_file:
        report.warnings.append(Msg("warn.nothing_recorded"))
    return report


def _restore_foreign(path: Path, done: bool) -> Change:
    """Give back the lines `--disable-foreign` commented out (only our own prefix is removed)."""
    from wizard.edits import migrate

    real = files.resolve(path)
    try:
        data = real.read_bytes()
    except OSError:
        return Change(str(path), "unchanged", "foreign-export")
    dec = files.decode(data)
    after = files.encode(dec, migrate.restore(dec.text))
    if after == data:
        return Change(str(path), "unchanged", "foreign-export")
    if done:
        files.atomic_write(path, after)
    return Change(str(path), "modified" if done else "would-modify", "foreign-export")


def _rmdir_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()
