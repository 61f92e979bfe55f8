"""Orchestration of the commands: options + context -> plan -> effects -> Report.

Never prints. Raises SetupError for expected failures; cli.py maps them to exit codes.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
from dataclasses import dataclass
from pathlib import Path

from wizard import keys, manifest, platform, rcfile, regions
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.options import Options
from wizard.report import Msg, Report
from wizard.shells import KEY_VAR, SHELL_NAMES, SHELLS, Shell, Target
from wizard.store import Change, InlineStore, KeyFileStore, Store, default_key_file, make_dirs

AUTO_SHELLS = ("bash", "zsh", "fish", "powershell")


# --- the key -----------------------------------------------------------------------------------


def read_key(ctx: Context, opts: Options) -> tuple[str, str]:
    """(raw key, where it came from). Never from argv: there is no such option."""
    sources = [
        s for s, on in (("stdin", opts.key_stdin), ("file", opts.key_file), ("env", opts.use_env)) if on
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
    if source == "file":
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


def plan_file(target: Target, body: str | None) -> FilePlan:
    """body=None removes our block."""
    real = rcfile.resolve(target.path)
    existed = real.exists()
    try:
        before = real.read_bytes() if existed else b""
    except OSError as exc:
        raise SetupError(
            ExitCode.STORE, "err.unreadable", path=str(target.path), reason=exc.strerror
        ) from None
    dec = rcfile.decode(before)
    text = rcfile.upsert_block(dec.text, body) if body is not None else rcfile.remove_block(dec.text)
    after = rcfile.encode(dec, text)
    diff = rcfile.unified_diff(target.path, dec.text, text) if after != before else ""
    return FilePlan(target, real, existed, before, after, diff)


def _in_git_worktree(path: Path) -> bool:
    return any((p / ".git").exists() for p in path.parents)


def _backup(ctx: Context, real: Path, data: bytes) -> str:
    name = real.name.lstrip(".") + "-" + hashlib.sha256(str(real).encode()).hexdigest()[:8] + ".bak"
    dest = manifest.backups_dir(ctx) / name
    if not dest.exists():
        make_dirs(dest.parent, mode=0o700)
        rcfile.atomic_write(dest, data, secret=True)
    return str(dest)


# --- setup -------------------------------------------------------------------------------------


def _store_for(ctx: Context, kind: str) -> Store:
    if kind == "file":
        return KeyFileStore(default_key_file(ctx))
    if kind == "inline":
        return InlineStore()
    raise SetupError(ExitCode.USAGE, "err.store_pending", store=kind)


def _endpoint(ctx: Context, opts: Options, report: Report) -> regions.Endpoint:
    if opts.base_url:
        report.region_source = "base-url"
        return regions.endpoint_for(regions.DEFAULT_REGION, ctx.env, opts.base_url)
    if opts.region != "auto":
        report.region_source = "flag"
        return regions.endpoint_for(opts.region, ctx.env)
    report.region_source = "assumed"
    return regions.endpoint_for(regions.DEFAULT_REGION, ctx.env)


def session_lines(
    shell: Shell, store: Store, key_file: Path | None, sources: list[Path], extra: dict[str, str]
) -> list[str]:
    lines: list[str] = []
    if store.kind == "file" and key_file is not None:
        lines.append(shell.load_line(key_file))
    elif sources:
        src = shell.source_line(sources[0])
        if src:
            return [src]
    lines.extend(shell.assign(k, v) for k, v in extra.items())
    return lines


def setup(ctx: Context, opts: Options) -> Report:
    report = Report("setup", scope=opts.scope, dry_run=opts.dry_run, store=opts.store)
    if not opts.yes:
        raise SetupError(ExitCode.USAGE, "err.not_interactive")
    detected = platform.detect(ctx)
    report.os_name, report.wsl = detected.os.name, detected.os.wsl
    report.current_shell = detected.shell.name
    if detected.os.wsl:
        report.warnings.append(Msg("warn.wsl"))

    raw, source = read_key(ctx, opts)
    key = keys.validate(raw, persistent=opts.scope == "persistent")
    del raw
    report.key_mask, report.key_length, report.key_kind, report.key_source = (
        key.mask,
        key.length,
        key.kind,
        source,
    )
    report.key_notes = list(key.notes)
    if key.kind == "coding-plan":
        report.warnings.append(Msg("warn.coding_plan"))

    endpoint = _endpoint(ctx, opts, report)
    report.region, report.base_url = endpoint.region, endpoint.compatible_url
    if report.region_source == "assumed" and opts.no_test:
        report.warnings.append(Msg("warn.region_assumed", {"region": endpoint.region}))
    extra = endpoint.sdk_env()

    current = SHELLS[detected.shell.name]
    if opts.scope == "session":
        report.session_lines = [current.prompt_line(), *(current.assign(k, v) for k, v in extra.items())]
        report.next_steps.append(Msg("next.session_only"))
        return report

    store = _store_for(ctx, opts.store)
    key_file = store.path if isinstance(store, KeyFileStore) else None
    report.key_file = str(key_file) if key_file else None
    names = resolve_shells(opts.shells, detected)
    report.shells = names

    plans: list[FilePlan] = []
    seen: set[Path] = set()
    for name in names:
        shell = SHELLS[name]
        if not shell.has_startup_file:
            report.warnings.append(Msg("warn.no_startup_file", {"shell": shell.display}))
            continue
        body = shell.block_body(store=store.kind, extra=extra, key_file=key_file, key=key.value)
        for target in shell.targets(ctx):
            real = rcfile.resolve(target.path)
            if real in seen:
                continue
            seen.add(real)
            plans.append(plan_file(target, body))
    if not plans:
        raise SetupError(ExitCode.USAGE, "err.no_targets")

    if store.kind == "inline":
        for p in plans:
            if p.target.path.is_symlink() and _in_git_worktree(p.real):
                report.warnings.append(Msg("warn.inline_git", {"path": str(p.target.path)}))

    # Everything is checked before anything is written: a read-only target means no key file either.
    store.preflight()
    for p in plans:
        if p.changed:
            rcfile.check_writable(p.target.path)
    rcfile.check_writable(manifest.path(ctx))

    if opts.dry_run:
        store_change = store.plan(key.value)
        report.changes = [c for c in [store_change] if c] + [p.change(done=False) for p in plans]
        return _finish(report, current, store, key_file, plans, extra)

    # (the live check slots in here: nothing is written when it fails)

    state = manifest.load(ctx)
    state.add_dirs(make_dirs(ctx.state_dir()))
    store_change, created = store.save(key.value)
    state.add_dirs(created)
    if store_change:
        report.changes.append(store_change)
    state.store = store.kind
    if key_file is not None:
        state.key_file = str(key_file)
        if store_change and store_change.action == "created":
            state.key_file_created = True
    state.region, state.base_url = endpoint.region, endpoint.compatible_url
    for p in plans:
        record = state.file(str(p.target.path))
        if p.changed:
            backup = _backup(ctx, p.real, p.before) if p.existed and not (record and record.backup) else None
            state.add_dirs(make_dirs(p.real.parent))
            try:
                rcfile.atomic_write(p.target.path, p.after, secret=store.kind == "inline" and not p.existed)
            except OSError as exc:
                raise SetupError(
                    ExitCode.STORE, "err.write_failed", path=str(p.target.path), reason=exc.strerror
                ) from None
            if record is None:
                state.files.append(
                    manifest.FileRecord(
                        str(p.target.path),
                        p.target.shell,
                        created=not p.existed,
                        owned=p.target.owned,
                        backup=backup,
                    )
                )
            elif backup:
                record.backup = backup
        elif record is None:
            state.files.append(
                manifest.FileRecord(str(p.target.path), p.target.shell, created=False, owned=p.target.owned)
            )
        report.changes.append(p.change(done=True))
    from wizard import __version__

    state.tool_version = __version__
    manifest.save(ctx, state)
    return _finish(report, current, store, key_file, plans, extra)


def _finish(
    report: Report,
    current: Shell,
    store: Store,
    key_file: Path | None,
    plans: list[FilePlan],
    extra: dict[str, str],
) -> Report:
    sources = [p.target.path for p in plans if p.target.shell == current.name]
    report.session_lines = session_lines(current, store, key_file, sources, extra)
    report.next_steps.append(Msg("next.new_terminal"))
    report.next_steps.append(Msg("next.remove"))
    return report


# --- snippet -----------------------------------------------------------------------------------

PLACEHOLDER = "sk-your-api-key"


def snippet(ctx: Context, opts: Options) -> Report:
    """Print the lines for a shell and scope; read no key, write nothing."""
    report = Report("snippet", scope=opts.scope, store=opts.store)
    detected = platform.detect(ctx)
    names = [n for n in opts.shells if n != "auto"] or [detected.shell.name]
    endpoint = _endpoint(ctx, opts, report)
    report.region, report.base_url = endpoint.region, endpoint.compatible_url
    extra = endpoint.sdk_env()
    key_file = default_key_file(ctx)
    out: list[str] = []
    for name in names:
        shell = SHELLS[name]
        if len(names) > 1:
            out.append(f"# {shell.display}")
        if opts.scope == "session":
            if opts.store == "inline":
                out.append(shell.assign(KEY_VAR, PLACEHOLDER))
            else:
                out.append(shell.load_line(key_file))
            out.extend(shell.assign(k, v) for k, v in extra.items())
        elif not shell.has_startup_file:
            out.append(shell.assign(KEY_VAR, PLACEHOLDER))
        else:
            body = shell.block_body(store=opts.store, extra=extra, key_file=key_file, key=PLACEHOLDER)
            for target in shell.targets(ctx):
                out.append(f"# -> {target.path}")
            out.append(rcfile.make_block(body, "\n").rstrip("\n"))
    report.shells = names
    report.snippet = "\n".join(out)
    return report


# --- remove ------------------------------------------------------------------------------------


def remove(ctx: Context, opts: Options) -> Report:
    """Undo exactly what the manifest recorded; running it twice is harmless."""
    report = Report("remove", dry_run=opts.dry_run)
    state = manifest.load(ctx)
    done = not opts.dry_run
    plans = [plan_file(Target(Path(f.path), f.shell, f.owned), None) for f in state.files]
    for p in plans:
        if p.changed:
            rcfile.check_writable(p.target.path)
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
            rcfile.atomic_write(p.target.path, p.after)
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
        if rcfile.resolve(kf).exists():
            if done:
                rcfile.resolve(kf).unlink()
            report.changes.append(Change(state.key_file, "removed" if done else "would-remove", "key-file"))
    elif state.key_file and Path(state.key_file).exists():
        report.warnings.append(Msg("warn.key_file_kept", {"path": state.key_file}))
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


def _rmdir_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()
