"""`remove`: undo exactly what the manifest recorded, and nothing else; running it twice is harmless.

The report says which outcome it was: something removed (each file either *deleted*, when setup had
created it, or with *our block removed*), or nothing to remove (exit 0 all the same: the state asked
for is the state there is). After a removal it carries the lines that take the variables out of a
terminal already open, for the shell the user is in.
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path

from wizard import block, files, regions, stores
from wizard.context import Context
from wizard.edits import consumers, lock, manifest
from wizard.edits.startup import plan_file
from wizard.options import Options
from wizard.report import Msg, Report
from wizard.shells import KEY_VAR, SHELLS, Target
from wizard.shells import detect as platform
from wizard.stores import Change


def remove(ctx: Context, opts: Options, *, keep_key: bool = False) -> Report:
    """Undo exactly what the manifest recorded; running it twice is harmless. One run at a time
    per HOME (a dry run only reads). `keep_key`: leave the store that holds the key as it is."""
    with contextlib.nullcontext() if opts.dry_run else lock.transaction(ctx):
        return _remove(ctx, opts, keep_key)[0]


def planned(ctx: Context, opts: Options) -> tuple[Report, list[Change]]:
    """What `remove` would do (a dry run), and which of those changes are the key's own store: the
    one thing a person may want to keep, so it is asked about last."""
    return _remove(ctx, dataclasses.replace(opts, dry_run=True), False)


def _remove(ctx: Context, opts: Options, keep_key: bool) -> tuple[Report, list[Change]]:
    report = Report("remove", dry_run=opts.dry_run)
    done = not opts.dry_run
    recorded = manifest.load_record(ctx)
    key_changes: list[Change] = []
    names = [KEY_VAR]
    if recorded is None:
        _by_markers(ctx, report, done)
    else:
        key_changes = _by_record(ctx, recorded, report, done, keep_key)
        if recorded.base_url:
            endpoint = regions.Endpoint(recorded.region or regions.CUSTOM, recorded.base_url)
            names += endpoint.sdk_env()
            if recorded.openai_env:
                names += [regions.OPENAI_KEY_VAR, *endpoint.openai_env()]
    if not any(c.action != "unchanged" for c in report.changes):
        report.outcome = Msg("label.nothing_to_remove")
    elif done:
        # Terminals already open keep the variables the blocks or the store gave them.
        report.current_shell = platform.current_shell(ctx)
        report.session_lines = SHELLS[report.current_shell].unset_lines(names)
    return report, key_changes


def _by_record(
    ctx: Context, state: manifest.Manifest, report: Report, done: bool, keep_key: bool
) -> list[Change]:
    """Follow the record; returns the changes to the key's store (last in the report)."""
    targets = [Target(Path(f.path), f.shell, f.owned) for f in state.files]
    # Every block must be removable before anything is touched: a damaged one stops remove here
    # (exit 8, the file named) with every file as it was.
    for target in targets:
        if plan_file(target, None).changed:
            files.check_writable(target.path)
    undos = _consumer_undos(ctx, state)
    for undo in undos:
        if undo.after is not None and undo.change.action != "unchanged":
            files.check_writable(Path(undo.change.path))
    # Lines we disabled come back first, so the block plans below see the files as they will be.
    from wizard.edits import migrate

    saved = migrate.load_saved_lines(ctx)
    for migrated in state.migrated:
        report.changes.append(_restore_foreign(Path(migrated), saved.get(migrated, []), done))
    if done:
        with contextlib.suppress(FileNotFoundError):
            migrate.saved_lines_path(ctx).unlink()  # it holds the keys those lines had
    plans = [plan_file(target, None) for target in targets]
    for p, record in zip(plans, state.files):
        # Delete only a file that held our block and nothing else: a hand-edited record naming
        # some other file never makes remove delete it.
        delete = record.created and p.changed and not p.after.strip()
        if delete and p.existed:
            if done:
                p.real.unlink()
            what = "owned-file" if record.owned else "block"
            report.changes.append(Change(record.path, _deleted(done), what, record.shell, p.diff or None))
            continue
        if p.changed and done:
            files.atomic_write(p.target.path, p.after)
        action = _removed(done) if p.changed else "unchanged"
        report.changes.append(Change(record.path, action, "block", record.shell, p.diff or None))
        backup = Path(record.backup) if record.backup else None
        if (
            done
            and backup is not None
            and backup.parent == manifest.backups_dir(ctx)  # only a backup of ours
            and backup.exists()
            and backup.read_bytes() == p.after
        ):
            backup.unlink()
    for undo in undos:
        report.changes.append(_undo_consumer(undo, done))
        report.warnings.extend(undo.notes)
    for rec in state.consumers:
        backup = Path(rec.backup) if rec.backup else None
        if done and backup is not None and backup.parent == manifest.backups_dir(ctx):
            with contextlib.suppress(FileNotFoundError):
                backup.unlink()
    # What an interrupted write left next to the files setup touches (a copy of the key among them).
    touched = [Path(f.path) for f in state.files] + [Path(c.path) for c in state.consumers]
    touched += [manifest.path(ctx)]
    touched += [Path(state.key_file)] if state.key_file else []
    report.changes += _stale_temp_files(touched, done)
    key_changes: list[Change] = []
    if (state.store or state.key_file) and not keep_key:
        for store in stores.recorded(ctx, state.store_record()):
            changes, warnings = store.remove(done=done)
            key_changes += changes
            report.warnings += warnings
    elif state.store or state.key_file:
        for store in stores.recorded(ctx, state.store_record()):
            changes, _ = store.remove(done=False)
            report.warnings += [Msg("warn.key_kept", {"path": c.path}) for c in changes[:1]]
    report.changes += key_changes
    if done:
        with contextlib.suppress(FileNotFoundError):
            manifest.path(ctx).unlink()
        _rmdir_if_empty(manifest.backups_dir(ctx))
        for d in sorted(state.created_dirs, key=len, reverse=True):
            if ctx.home in Path(d).parents:  # setup only makes folders under HOME
                _rmdir_if_empty(Path(d))
        _rmdir_if_empty(ctx.state_dir())
    return key_changes


def _consumer_undos(ctx: Context, state: manifest.Manifest) -> list[consumers.Undo]:
    """What taking out each consumer file's part means, the .env before its .gitignore line."""
    out: list[consumers.Undo] = []
    for rec in reversed(state.consumers):
        backup = Path(rec.backup) if rec.backup else None
        if backup is not None and backup.parent != manifest.backups_dir(ctx):
            backup = None  # only a backup of ours is ever copied back
        undo = consumers.plan_undo(
            kind=rec.kind,
            path=Path(rec.path),
            created=rec.created,
            backup=backup,
            written=rec.written,
            defaults=rec.defaults,
            key_var=KEY_VAR,
        )
        if undo is not None:
            out.append(undo)
    return out


def _undo_consumer(undo: consumers.Undo, done: bool) -> Change:
    change = undo.change
    if change.action == "unchanged":
        return change
    path = Path(change.path)
    if done and undo.after is None:
        files.resolve(path).unlink()
    elif done and undo.after is not None:
        files.atomic_write(path, undo.after)
    action = (
        change.action
        if done
        else "would-" + {"deleted": "delete", "removed": "remove"}.get(change.action, "restore")
    )
    return Change(change.path, action, change.what, None, change.diff)


def _deleted(done: bool) -> str:
    return "deleted" if done else "would-delete"


def _removed(done: bool) -> str:
    return "removed" if done else "would-remove"


def _stale_temp_files(paths: list[Path], done: bool) -> list[Change]:
    out: list[Change] = []
    for tmp in (t for p in paths for t in files.stale_temp_files(p)):
        if done:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        out.append(Change(str(tmp), _deleted(done), "temp"))
    return out


def _by_markers(ctx: Context, report: Report, done: bool) -> None:
    """No record to follow (setup was stopped before its first record, or the record is damaged):
    take our block out of every startup file a shell reads, and our folder if it is empty. A key
    file is never deleted on a guess: it is named, and kept."""
    from wizard.edits import migrate

    # Lines --disable-foreign commented out come back from our own 0600 copy of them (the record of
    # which files they are in is gone, the copy names them), in files under HOME only.
    for path, lines in migrate.load_saved_lines(ctx).items():
        if ctx.home in Path(path).parents:
            report.changes.append(_restore_foreign(Path(path), lines, done))
    if done:
        with contextlib.suppress(FileNotFoundError):
            migrate.saved_lines_path(ctx).unlink()  # it holds the keys those lines had
    for shell in SHELLS.values():
        for target in shell.targets(ctx):
            real = files.resolve(target.path)
            try:
                has_block = real.is_file() and block.BEGIN.encode() in real.read_bytes()
            except OSError:
                continue
            if not has_block:
                continue
            p = plan_file(target, None)
            if not p.changed:
                continue
            if target.owned and not p.after.strip():
                if done:
                    real.unlink()
                report.changes.append(Change(str(target.path), _deleted(done), "owned-file", shell.name))
                continue
            files.check_writable(target.path)
            if done:
                files.atomic_write(target.path, p.after)
            report.changes.append(
                Change(str(target.path), _removed(done), "block", shell.name, p.diff or None)
            )
    report.changes += _stale_temp_files([manifest.path(ctx)], done)
    qwen = consumers.plan_undo(
        kind=consumers.QWEN,
        path=consumers.qwen_settings_path(ctx),
        created=False,
        backup=None,
        written=None,
        defaults=[],
        key_var=KEY_VAR,
    )
    if qwen is not None:
        report.changes.append(_undo_consumer(qwen, done))
    key_file = stores.default_key_file(ctx)
    if files.resolve(key_file).exists():
        report.warnings.append(Msg("warn.key_file_unrecorded", {"path": str(key_file)}))
    if done:
        for d in (manifest.backups_dir(ctx), ctx.state_dir()):
            _rmdir_if_empty(d)
        # The folders above ours are removed only when empty: setup makes them if they are missing.
        for d in ctx.state_dir().parents:
            if d == ctx.home or ctx.home not in d.parents:
                break
            _rmdir_if_empty(d)


def _restore_foreign(path: Path, saved: list[str], done: bool) -> Change:
    """Give back the lines `--disable-foreign` commented out (only our own prefix is removed)."""
    from wizard.edits import migrate

    real = files.resolve(path)
    try:
        data = real.read_bytes()
    except OSError:
        return Change(str(path), "unchanged", "foreign-export")
    dec = files.decode(data)
    after = files.encode(dec, migrate.restore(dec.text, saved))
    if after == data:
        return Change(str(path), "unchanged", "foreign-export")
    if done:
        files.atomic_write(path, after)
    return Change(str(path), "restored" if done else "would-restore", "foreign-export")


def _rmdir_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()
