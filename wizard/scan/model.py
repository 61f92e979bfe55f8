"""What `status` reports: sources, winners, conflicts. Keys appear here only as a mask, a length and
a fingerprint (the first 8 hex digits of SHA-256 over the key), never as the value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wizard import keys
from wizard.report import Msg

KeyringReader = Callable[[], "str | None"]
RegistryReader = Callable[[str], "str | None"]  # "user" | "machine" -> value

BASE_URL_VARS = ("DASHSCOPE_HTTP_BASE_URL", "DASHSCOPE_COMPATIBLE_BASE_URL")


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()[:8]


@dataclass(frozen=True)
class KeyInfo:
    """Everything the report says about a value: never the value itself."""

    mask: str
    length: int
    fingerprint: str

    @classmethod
    def of(cls, value: str) -> KeyInfo:
        return cls(keys.mask(value), len(value), fingerprint(value))

    def to_json(self) -> dict[str, Any]:
        return {"mask": self.mask, "length": self.length, "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class Source:
    """One place a key is defined (or removed). `ref` names it in winners and conflicts."""

    ref: str
    # env | block | assignment | unset | fish-universal | key-file | keyring | dotenv | registry
    # | literal (key-like text outside any assignment) | disabled (a line `migrate` commented out)
    kind: str
    path: str | None = None
    line: int | None = None
    shell: str | None = None  # syntax family of the file: posix | fish | powershell
    key: KeyInfo | None = None
    dynamic: bool = False  # the value is computed when the shell runs ($(…), $VAR, read …)
    store: str | None = None  # for our blocks: file | inline | keyring
    key_file: str | None = None  # the file a block or `read`/`$(cat …)` loads
    exported: bool | None = None
    # fish: global | universal; registry and PowerShell SetEnvironmentVariable: user | machine;
    # posix: local (inside a function); key-file: shadowed (DASHSCOPE_API_KEY_FILE_PATH wins)
    scope: str | None = None
    read_by: tuple[str, ...] = ()  # scenarios (see SCENARIOS) that execute this line
    warnings: tuple[Msg, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "kind": self.kind,
            "path": self.path,
            "line": self.line,
            "shell": self.shell,
            **(self.key.to_json() if self.key else {"mask": None, "length": None, "fingerprint": None}),
            "dynamic": self.dynamic,
            "store": self.store,
            "key_file": self.key_file,
            "exported": self.exported,
            "scope": self.scope,
            "read_by": list(self.read_by),
            "warnings": [msg_json(m) for m in self.warnings],
        }


@dataclass(frozen=True)
class Winner:
    """What a new shell of one kind ends up with, and which source put it there."""

    scenario: str
    source: str | None  # a Source.ref; None: the variable is not set
    key: KeyInfo | None
    dynamic: bool
    exported: bool
    certain: bool
    files: tuple[str, ...]  # the startup files the shell reads, in order
    installed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            **(self.key.to_json() if self.key else {"mask": None, "length": None, "fingerprint": None}),
            "dynamic": self.dynamic,
            "exported": self.exported,
            "certain": self.certain,
            "files": list(self.files),
            "installed": self.installed,
        }


@dataclass(frozen=True)
class Conflict:
    key: KeyInfo
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {**self.key.to_json(), "sources": list(self.sources)}


@dataclass(frozen=True)
class StatusReport:
    sources: tuple[Source, ...]
    winners: dict[str, Winner]
    conflicts: tuple[Conflict, ...]  # one entry per distinct key, present only when there are 2+
    warnings: tuple[Msg, ...]
    env: dict[str, str]  # base-URL variables of the process environment (not secrets)
    key_file: str

    def source(self, ref: str) -> Source | None:
        return next((s for s in self.sources if s.ref == ref), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "sources": [s.to_json() for s in self.sources],
            "winners": {name: w.to_json() for name, w in self.winners.items()},
            "conflicts": [c.to_json() for c in self.conflicts],
            "warnings": [msg_json(m) for m in self.warnings],
            "env": dict(self.env),
            "key_file": self.key_file,
            "fingerprint": "sha256, first 8 hex digits",
        }


def msg_json(m: Msg) -> dict[str, Any]:
    return {"id": m.id, "params": dict(m.params)}
