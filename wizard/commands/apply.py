"""Carrying out a checked plan: the store, our blocks, the manifest `remove` reads; and the two
optional clean-ups around it (hand-made exports, keys left in shell history).

Writing takes milliseconds, and a Ctrl-C or SIGTERM in the middle would leave files half
configured: `deferred_signals()` holds them until the writes are done, in every mode.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wizard import files, keys, stores
from wizard.commands.plan import SetupPlan
from wizard.context import Context
from wizard.edits import manifest
from wizard.errors import ExitCode, SetupError
from wizard.report import Msg
from wizard.stores import Change, make_dirs


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends, then take effect as they would have.

    Not a signal mask: a process-directed signal goes to any thread that does not block it, and
    Python then runs the handler in the main thread anyway. Holding the signal in a handler of
    our own works whatever threads exist (and on Windows).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, _frame: object) -> None:
        pending.append(signum)

    wanted = [signal.SIGINT, *([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])]
    previous = {s: signal.signal(s, hold) for s in wanted}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if pending:
            signal.raise_signal(pending[0])


def apply(ctx: Context, plan: SetupPlan, changes: list[Change]) -> list[Msg]:
    """Write the plan, adding each change to `changes` as it is made (so a failure halfway can say
    exactly what was written); returns what the store wants said afterwards.

    The manifest is a journal: everything the plan may touch — the store, each startup file
    (created or edited), each folder that will be made — is recorded before the first effect, and
    each backup before the file it preserves is replaced. Whatever stops this function (Ctrl-C is
    held, but kill -9, a full disk, a crash), `remove` finds a record of every change on disk.
    """
    state = manifest.load(ctx)
    state.add_dirs(make_dirs(ctx.state_dir()))
    _record_intent(ctx, plan, state)
    manifest.save(ctx, state)

    store_change, _created = plan.store.save(plan.key.value)
    if store_change:
        changes.append(store_change)
    warnings = plan.store.after_save()
    stored = plan.store.record(store_change)
    state.key_file_created = state.key_file_created or stored.key_file_created
    for f in plan.files:
        record = state.file(str(f.target.path))
        if f.changed and record is not None:
            # One backup of the user's original; none of a file we created (its original state is
            # "absent", and a copy would keep our block, an inline key with it, after `remove`).
            if f.existed and not (record.backup or record.created):
                record.backup = manifest.backup_once(ctx, f.real, f.before)[0]
                manifest.save(ctx, state)
            make_dirs(f.real.parent)
            try:
                files.atomic_write(
                    f.target.path, f.after, secret=plan.store.secret_in_blocks and not f.existed
                )
            except OSError as exc:
                raise SetupError(
                    ExitCode.STORE, "err.write_failed", path=str(f.target.path), reason=exc.strerror
                ) from None
        changes.append(f.change(done=True))
    _write_consumers(ctx, plan, state, changes)
    from wizard import __version__

    state.tool_version = __version__
    manifest.save(ctx, state)
    return warnings


def _write_consumers(ctx: Context, plan: SetupPlan, state: manifest.Manifest, changes: list[Change]) -> None:
    """The .env files, .gitignore blocks and Qwen Code settings: each original backed up before it
    is replaced where no marked block can take our part out again (JSON), and what we left there
    recorded, so `remove` knows whether someone changed it since."""
    from wizard.edits import consumers

    for cf in plan.consumer_files:
        record = state.consumer(str(cf.path))
        if cf.changed and record is not None:
            real = files.resolve(cf.path)
            if cf.kind == consumers.QWEN and cf.existed and not (record.backup or record.created):
                record.backup = manifest.backup_once(ctx, real, cf.before)[0]
                manifest.save(ctx, state)
            make_dirs(real.parent)
            try:
                files.atomic_write(cf.path, cf.after, secret=cf.secret and not cf.existed)
            except OSError as exc:
                raise SetupError(
                    ExitCode.STORE, "err.write_failed", path=str(cf.path), reason=exc.strerror
                ) from None
            record.written = consumers.sha(cf.after)
            manifest.save(ctx, state)
        changes.append(cf.change(done=True))
        # git itself must now ignore the .env this .gitignore is for, or its key is not written.
        if cf.ignores is not None and consumers.git_state(ctx, cf.ignores) != "ignored":
            raise SetupError(ExitCode.USAGE, "consumer.err.still_not_ignored", path=str(cf.ignores))


def _record_intent(ctx: Context, plan: SetupPlan, state: manifest.Manifest) -> None:
    """Everything `apply` is about to change, as if it had happened (remove copes with a record of
    a file or folder that was never made)."""
    intent = plan.store.record(plan.store.plan(plan.key.value))
    state.store = intent.kind
    if intent.key_file is not None:
        state.key_file = intent.key_file
        state.key_file_created = state.key_file_created or intent.key_file_created
        state.add_dirs(files.missing_dirs(files.resolve(Path(intent.key_file)).parent))
    state.registry_values = sorted(set(state.registry_values) | set(intent.registry_values))
    state.region, state.base_url = plan.endpoint.region, plan.endpoint.compatible_url
    state.openai_env = bool(plan.copies)
    for cf in plan.consumer_files:
        record = state.consumer(str(cf.path))
        if record is None:
            created = cf.changed and not cf.existed
            record = manifest.ConsumerRecord(str(cf.path), cf.kind, created=created)
            state.consumers.append(record)
        record.defaults = sorted(set(record.defaults) | set(cf.defaults))
        if cf.changed:
            state.add_dirs(files.missing_dirs(files.resolve(cf.path).parent))
    for f in plan.files:
        if state.file(str(f.target.path)) is None:
            state.files.append(
                manifest.FileRecord(
                    str(f.target.path),
                    f.target.shell,
                    created=f.changed and not f.existed,
                    owned=f.target.owned,
                )
            )
        if f.changed:
            state.add_dirs(files.missing_dirs(f.real.parent))


def foreign_exports(ctx: Context) -> list[Any]:
    """Lines outside our blocks that set DASHSCOPE_API_KEY and could shadow or contradict us."""
    from wizard.edits import migrate

    return migrate.find_foreign_exports(ctx)


def planned_foreign_changes(ctx: Context, foreign: list[Any]) -> list[Change]:
    from wizard.edits import migrate

    return [
        Change(str(fp.path), "would-modify", "foreign-export", None, fp.diff)
        for fp in migrate.plan(ctx, foreign)
    ]


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


def history_findings(ctx: Context, key: keys.Key) -> list[Any]:
    """Keys typed into a shell stay in its history file."""
    from wizard.edits import history

    return history.find(ctx, key=key.value)


def scrub_history(ctx: Context, findings: list[Any], key: keys.Key) -> list[Change]:
    from wizard.edits import history

    return history.scrub(ctx, findings, key=key.value)


def old_key_file(ctx: Context, plan: SetupPlan) -> Path | None:
    """A key file left from an earlier setup (or by hand) when the key now lives in another store:
    it still holds a key on disk, which the new store was chosen to avoid."""
    if plan.store.key_file is not None:
        return None
    recorded = manifest.load(ctx).key_file
    path = Path(recorded) if recorded else stores.default_key_file(ctx)
    old = stores.KeyFileStore(path, ctx)
    return path if files.resolve(path).is_file() and old.holds_only_a_key() else None
