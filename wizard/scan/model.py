"""What `status` reports: sources, winners, conflicts. Keys appear here only as a mask, a length and
a fingerprint (the first 8 hex digits of SHA-256 over the key), never as the value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wizard import keys
from wizard.report import Msg

KeyringReader = Callable[[], "str | None"]
RegistryReader = Callable[[str], "str | None"]  # "user" | "machine" -> value

BASE_URL_VARS = (
    "DASHSCOPE_HTTP_BASE_URL",
    "DASHSCOPE_COMPATIBLE_BASE_URL",
    "DASHSCOPE_WEBSOCKET_BASE_URL",
    "DASHSCOPE_API_REGION",
    "DASHSCOPE_WORKSPACE_ID",
)
KEYRING_REF = "keyring"  # the system keyring's source, read only when setup recorded it as the store


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

    def to_json(self, text: Callable[[Msg], str] | None = None) -> dict[str, Any]:
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
            "warnings": [msg_json(m, text) for m in self.warnings],
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
class Verdict:
    """What the sources and winners add up to, for a person: the key new terminals get, whether
    this terminal has it, and each problem with its fix (the problems are `StatusReport.warnings`)."""

    main: str | None = None  # ref of the source holding the key new terminals get
    ours: bool = False  # that key is the one dashscope-setup saved
    # same | different | missing (no key here yet) | only (only here) | none (no key anywhere)
    # | unknown (new shells compute theirs at start-up)
    this_terminal: str = "none"
    reach: tuple[str, ...] = ()  # the scenarios (and "windows", "sdk") that get the main key
    configured: bool = False  # some new shell or program gets a key without this terminal's help

    def to_json(self, report: StatusReport) -> dict[str, Any]:
        src = report.source(self.main) if self.main else None
        main = {"ref": src.ref, **src.key.to_json(), "ours": self.ours} if src and src.key else None
        return {
            "configured": self.configured,
            "main": main,
            "this_terminal": self.this_terminal,
            "reach": list(self.reach),
        }


@dataclass(frozen=True)
class StatusReport:
    sources: tuple[Source, ...]
    winners: dict[str, Winner]
    conflicts: tuple[Conflict, ...]  # one entry per distinct key, present only when there are 2+
    warnings: tuple[Msg, ...]
    env: dict[str, str]  # base-URL variables of the process environment (not secrets)
    key_file: str
    verdict: Verdict = field(default_factory=Verdict)

    def source(self, ref: str) -> Source | None:
        return next((s for s in self.sources if s.ref == ref), None)

    @property
    def main(self) -> Source | None:
        return self.source(self.verdict.main) if self.verdict.main else None

    def to_json(self, text: Callable[[Msg], str] | None = None) -> dict[str, Any]:
        """`text`: renders a message, so that every warning carries its sentence beside its id."""
        return {
            "sources": [s.to_json(text) for s in self.sources],
            "winners": {name: w.to_json() for name, w in self.winners.items()},
            "conflicts": [c.to_json() for c in self.conflicts],
            "warnings": [msg_json(m, text) for m in self.warnings],
            "env": dict(self.env),
            "key_file": self.key_file,
            "fingerprint": "sha256, first 8 hex digits",
            **self.verdict.to_json(self),
        }


def msg_json(m: Msg, text: Callable[[Msg], str] | None = None) -> dict[str, Any]:
    return {"id": m.id, "params": dict(m.params), **({"message": text(m)} if text else {})}
