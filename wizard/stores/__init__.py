"""Where the secret lives (product.md §4). One interface; the keyring and the Windows user
environment slot in beside these two."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

from wizard import files
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.files import make_dirs as make_dirs  # re-exported: callers import it from here

KEY_FILE_VAR = "DASHSCOPE_API_KEY_FILE_PATH"


@dataclass(frozen=True)
class Change:
    """One effect on the user's machine, as reported to the user and recorded for `remove`."""

    path: str
    action: str  # created | modified | unchanged | removed | would-create | would-modify | would-remove
    what: str  # key-file | block | owned-file | manifest | keyring
    shell: str | None = None
    diff: str | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, str | None]:
        return {"path": self.path, "action": self.action, "what": self.what, "shell": self.shell}


class Store(Protocol):
    kind: ClassVar[str]

    def preflight(self) -> None: ...
    def plan(self, key: str) -> Change | None: ...
    def save(self, key: str) -> tuple[Change | None, list[str]]: ...
    def read(self) -> str | None: ...


def default_key_file(ctx: Context) -> Path:
    """The file the official dashscope SDK reads: DASHSCOPE_API_KEY_FILE_PATH, else ~/.dashscope/api_key."""
    custom = ctx.env.get(KEY_FILE_VAR, "").strip()
    if custom:
        p = ctx.home / custom[2:] if custom.startswith("~/") else Path(custom)
        return p if p.is_absolute() else ctx.cwd / p
    return ctx.home / ".dashscope" / "api_key"


class KeyFileStore:
    kind: ClassVar[str] = "file"

    def __init__(self, path: Path) -> None:
        self.path = path

    def preflight(self) -> None:
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
            files.atomic_write(self.path, (key + "\n").encode("ascii"), secret=True)
        except OSError as exc:
            raise SetupError(
                ExitCode.STORE, "err.write_failed", path=str(self.path), reason=exc.strerror
            ) from None
        action = "created" if planned.action == "would-create" else "modified"
        return Change(str(self.path), action, "key-file"), created_dirs

    def delete(self) -> bool:
        try:
            files.resolve(self.path).unlink()
        except FileNotFoundError:
            return False
        return True


class InlineStore:
    """The key written into the startup block itself, as the official guide does."""

    kind: ClassVar[str] = "inline"

    def preflight(self) -> None:
        return None

    def plan(self, key: str) -> None:
        return None

    def save(self, key: str) -> tuple[None, list[str]]:
        return None, []

    def read(self) -> str | None:
        return None
