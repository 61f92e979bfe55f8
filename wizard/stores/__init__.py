"""Where the secret lives. One interface (`Store`), one module per store, one factory.

Each store carries its own behaviour: what it writes and deletes, the block a shell needs to load
the key from it, the lines for an open terminal, its warnings, and what `remove` needs to know
about it later (a `StoreRecord`). Nothing outside this package compares against a store kind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

from wizard import files
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.files import make_dirs as make_dirs  # re-exported: callers import it from here
from wizard.report import Change as Change  # re-exported: stores report their effects as Changes
from wizard.report import Msg
from wizard.shells import KEY_VAR

if TYPE_CHECKING:
    from wizard.shells import Shell

KEY_FILE_VAR = "DASHSCOPE_API_KEY_FILE_PATH"
# The store kinds, as the command line, the manifest and JSON output name them. Code elsewhere that
# must name one (status labelling what a block loads from) uses these, never the strings.
FILE, INLINE, KEYRING, USERENV = "file", "inline", "keyring", "userenv"


@dataclass(frozen=True)
class StoreRecord:
    """What `remove`, `env` and `run` need to find a store again (kept in the manifest)."""

    kind: str
    key_file: str | None = None
    key_file_created: bool = False  # we created the key file, so `remove` may delete it
    registry_values: tuple[str, ...] = ()  # the user-environment variables we wrote


class Store(Protocol):
    kind: ClassVar[str]
    # False: every new process gets the key without a startup file (the Windows user environment).
    writes_blocks: ClassVar[bool]
    # True: the block holds the key itself, so a startup file we create is private (0600).
    secret_in_blocks: ClassVar[bool]
    # The catalogue id telling how new terminals get the key.
    next_step: ClassVar[str]

    @property
    def key_file(self) -> Path | None: ...
    def preflight(self) -> None: ...
    def plan(self, key: str) -> Change | None: ...
    def save(self, key: str) -> tuple[Change | None, list[str]]: ...
    def read(self) -> str | None: ...
    def block_body(self, shell: Shell, extra: Mapping[str, str], key: str) -> str: ...
    def session_lines(
        self, shell: Shell, sources: Sequence[Path], extra: Mapping[str, str], *, placeholder: str = ""
    ) -> list[str]:
        """The lines that load the key into an open terminal. `sources`: the startup files setup
        wrote for this shell; `placeholder`: shown where the key itself would go (`snippet`)."""

    def warnings(self, paths: Sequence[Path]) -> list[Msg]: ...
    def after_save(self) -> list[Msg]: ...
    def record(self, change: Change | None) -> StoreRecord: ...
    def remove(self, *, done: bool) -> tuple[list[Change], list[Msg]]: ...


def _assign_lines(shell: Shell, extra: Mapping[str, str]) -> list[str]:
    return [shell.assign(k, v) for k, v in extra.items()]


def default_key_file(ctx: Context) -> Path:
    """The file the official dashscope SDK reads: DASHSCOPE_API_KEY_FILE_PATH, else ~/.dashscope/api_key.

    Its path is written into the startup blocks, so a control character in it (from the variable,
    HOME or the working directory) is refused."""
    custom = ctx.env.get(KEY_FILE_VAR, "").strip()
    if custom:
        p = ctx.home / custom[2:] if custom.startswith("~/") else Path(custom)
        p = p if p.is_absolute() else ctx.cwd / p
    else:
        p = ctx.home / ".dashscope" / "api_key"
    files.refuse_control(str(p), KEY_FILE_VAR if custom else "HOME")
    return p


class KeyFileStore:
    """The file the official SDK reads, 0600 from its first byte (an owner-only ACL on Windows)."""

    kind: ClassVar[str] = FILE
    writes_blocks: ClassVar[bool] = True
    secret_in_blocks: ClassVar[bool] = False
    next_step: ClassVar[str] = "next.new_terminal"

    def __init__(self, path: Path, ctx: Context | None = None, *, created: bool = False) -> None:
        self.path = path
        self.ctx = ctx
        self.created = created  # recorded at setup: we created it, so `remove` may delete it

    @property
    def key_file(self) -> Path | None:
        return self.path

    def _profile(self) -> str | None:
        """%USERPROFILE% on Windows: shells write a path below it relative to it (see path_word)."""
        if self.ctx is None or self.ctx.os_name != "windows":
            return None
        return self.ctx.env.get("USERPROFILE") or None

    def block_body(self, shell: Shell, extra: Mapping[str, str], key: str) -> str:
        return shell.file_block(self.path, extra, self._profile())

    def session_lines(
        self, shell: Shell, sources: Sequence[Path], extra: Mapping[str, str], *, placeholder: str = ""
    ) -> list[str]:
        return [shell.load_line(self.path, self._profile()), *_assign_lines(shell, extra)]

    def warnings(self, paths: Sequence[Path]) -> list[Msg]:
        return []

    def after_save(self) -> list[Msg]:
        if self.ctx is not None and self.ctx.os_name == "windows":
            from wizard.stores.userenv import restrict_to_current_user

            # chmod does nothing on NTFS: the key file gets a current-user-only ACL instead.
            restrict_to_current_user(self.path, self.ctx.run, platform=self.ctx.platform, env=self.ctx.env)
        return []

    def record(self, change: Change | None) -> StoreRecord:
        # "would-create": the intent recorded before the file exists (the manifest is a journal).
        created = change is not None and change.action in ("created", "would-create")
        return StoreRecord(self.kind, key_file=str(self.path), key_file_created=created)

    def remove(self, *, done: bool) -> tuple[list[Change], list[Msg]]:
        """Delete the key file only when setup created it and it still holds just a key; otherwise
        say it is kept (a hand-edited record must not make remove delete some other file)."""
        real = files.resolve(self.path)
        if not real.exists():
            return [], []
        if not self.created:
            return [], [Msg("warn.key_file_kept", {"path": str(self.path)})]
        if not self.holds_only_a_key():
            return [], [Msg("warn.key_file_changed", {"path": str(self.path)})]
        if done:
            real.unlink()
        return [Change(str(self.path), "deleted" if done else "would-delete", "key-file")], []

    def _owner(self) -> tuple[int, int] | None:
        """Whose key it is: the owner of the HOME it belongs to (so a run as root does not leave
        it to whoever owned a file planted at the key path). None: the running user's."""
        if self.ctx is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
            return None
        try:
            st = self.ctx.home.stat()
        except OSError:
            return None
        return st.st_uid, st.st_gid

    def holds_only_a_key(self) -> bool:
        """One line that is a valid key, and nothing else: the only file this store overwrites or
        deletes."""
        from wizard import keys

        real = files.resolve(self.path)
        try:
            if not real.is_file() or real.stat().st_size > 4096:
                return False
            lines = real.read_text(encoding="utf-8").strip().splitlines()
            keys.validate(lines[0] if len(lines) == 1 else "", persistent=False)
        except (OSError, ValueError, SetupError):
            return False
        return True

    def preflight(self) -> None:
        """The key goes into a file of its own: never through a link (someone could have planted it,
        pointing anywhere), never over a file that holds something else."""
        if self.path.is_symlink():
            raise SetupError(ExitCode.STORE, "err.key_file_link", path=str(self.path))
        if self.path.exists() and not self.holds_only_a_key():
            raise SetupError(ExitCode.STORE, "err.key_file_not_key", path=str(self.path))
        files.check_writable(self.path)

    def read(self) -> str | None:
        try:
            data = files.resolve(self.path).read_text(encoding="utf-8", errors="replace")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
        lines = data.strip().splitlines()
        return lines[0].strip() if lines else None

    def plan(self, key: str) -> Change:
        if not files.resolve(self.path).exists():
            return Change(str(self.path), "would-create", "key-file")
        if self.read() == key and self._mode_ok():
            return Change(str(self.path), "unchanged", "key-file")
        return Change(str(self.path), "would-modify", "key-file")

    def _mode_ok(self) -> bool:
        if os.name == "nt":
            return True
        return (files.resolve(self.path).stat().st_mode & 0o777) == 0o600

    def save(self, key: str) -> tuple[Change, list[str]]:
        """Write `key\\n` atomically, 0600 from the first byte; the directory 0700 if we create it."""
        planned = self.plan(key)
        if planned.action == "unchanged":
            return planned, []
        created_dirs = make_dirs(files.resolve(self.path).parent, mode=0o700)
        try:
            files.atomic_write(self.path, (key + "\n").encode("ascii"), secret=True, owner=self._owner())
        except OSError as exc:
            raise SetupError(
                ExitCode.STORE, "err.write_failed", path=str(self.path), reason=exc.strerror
            ) from None
        action = "created" if planned.action == "would-create" else "modified"
        return Change(str(self.path), action, "key-file"), created_dirs


class InlineStore:
    """The key written into the startup block itself, as the official guide does."""

    kind: ClassVar[str] = INLINE
    writes_blocks: ClassVar[bool] = True
    secret_in_blocks: ClassVar[bool] = True
    next_step: ClassVar[str] = "next.new_terminal"

    @property
    def key_file(self) -> Path | None:
        return None

    def block_body(self, shell: Shell, extra: Mapping[str, str], key: str) -> str:
        return shell.inline_block(key, extra)

    def session_lines(
        self, shell: Shell, sources: Sequence[Path], extra: Mapping[str, str], *, placeholder: str = ""
    ) -> list[str]:
        """No key file to read: source the startup file that now holds the key (setup), or assign
        the placeholder where the key goes (snippet). Never the key itself: it would be printed."""
        src = shell.source_line(sources[0]) if sources else None
        if src:
            return [src]
        head = [shell.assign(KEY_VAR, placeholder)] if placeholder else []
        return [*head, *_assign_lines(shell, extra)]

    def warnings(self, paths: Sequence[Path]) -> list[Msg]:
        """A key inside a dotfile that is a link into a git work tree is one `git push` from public;
        one in a file others may read is readable by them."""
        out = [
            Msg("warn.inline_git", {"path": str(f)})
            for f in paths
            if f.is_symlink() and any((p / ".git").exists() for p in files.resolve(f).parents)
        ]
        for f in paths:
            with contextlib.suppress(OSError):
                if files.resolve(f).stat().st_mode & 0o044:
                    out.append(Msg("warn.inline_readable", {"path": str(f)}))
        return out

    def after_save(self) -> list[Msg]:
        return []

    def record(self, change: Change | None) -> StoreRecord:
        return StoreRecord(self.kind)

    def remove(self, *, done: bool) -> tuple[list[Change], list[Msg]]:
        return [], []  # the key goes with our blocks

    def preflight(self) -> None:
        return None

    def plan(self, key: str) -> None:
        return None

    def save(self, key: str) -> tuple[None, list[str]]:
        return None, []

    def read(self) -> str | None:
        """The key sits in the startup files, which a store does not parse: `stored_key`
        (commands/env.py) reads it back from our blocks, as `status` does."""
        raise TypeError("an inline key is read from the startup files by commands.env.stored_key")


def create(
    ctx: Context,
    kind: str,
    extra: Mapping[str, str] | None = None,
    *,
    record: StoreRecord | None = None,
    key_copies: tuple[str, ...] = (),
) -> Store:
    """The one factory: a store to save into (`extra`: the base-URL variables written beside the
    key; `key_copies`: variables that hold the key too, where no block can copy it), or, from a
    `record` of an earlier setup, the store to read or remove."""
    if kind == FILE:
        path = Path(record.key_file) if record and record.key_file else default_key_file(ctx)
        return KeyFileStore(path, ctx, created=bool(record and record.key_file_created))
    if kind == INLINE:
        return InlineStore()
    if kind == KEYRING:
        from wizard.stores.keyring import KeyringStore

        return KeyringStore(ctx)
    if kind == USERENV:
        from wizard.stores.userenv import UserEnvStore

        return UserEnvStore(
            extra,
            key_copies=key_copies,
            stale=record.registry_values if record else (),
            registry=ctx.windows.registry,
            broadcast=ctx.windows.broadcast,
        )
    raise SetupError(ExitCode.USAGE, "err.store_pending", store=kind)


def default_kind_for_reading() -> str:
    """With no record of a setup, a key can still be read from the SDK's own key file."""
    return KeyFileStore.kind


def recorded(ctx: Context, record: StoreRecord) -> list[Store]:
    """Every store an earlier setup left something in: the store it saved into last, and the key
    file it created, which stays on record when a later run chose another store."""
    found: list[Store] = []
    if record.key_file:
        found.append(KeyFileStore(Path(record.key_file), ctx, created=record.key_file_created))
    if record.kind != KeyFileStore.kind:
        found.append(create(ctx, record.kind, record=record))
    return found


def default_kind(ctx: Context, allowed: Sequence[str] = ()) -> str:
    """The Windows user environment on Windows (what the guide's setx does, without its leaks);
    the SDK's own key file elsewhere. `allowed`: the stores a team file allows, preferred first
    (empty: any); the platform's default only when it is one of them."""
    kind = USERENV if ctx.os_name == "windows" else FILE
    return kind if not allowed or kind in allowed else allowed[0]
