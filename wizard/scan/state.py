"""The state one `status` run shares between its parts: each file read once, every source under a
unique ref with its value (kept here, never in the report), each command's effect on the key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wizard import files
from wizard.context import Context, Runner
from wizard.report import Msg
from wizard.scan.model import Source, Winner
from wizard.shells import KEY_VAR, Scenario
from wizard.stores import StoreRecord

MAX_DEPTH = 12
MAX_FILE = 4 * 1024 * 1024


@dataclass(frozen=True)
class Val:
    value: str | None = field(default=None, repr=False)
    dynamic: bool = False
    via: str | None = None  # file:<path> | keyring | stored | env
    missing_file: bool = False  # `read < FILE` / `$(cat FILE)` with no such file


@dataclass
class Eff:
    """What one command does to DASHSCOPE_API_KEY."""

    op: str  # set | unset | export | unexport
    ref: str | None = None
    export: bool | None = None  # True: exports; None: keeps the current export state
    scope: str = "auto"  # fish: global | universal | local | auto; posix: local inside functions
    requires_file: bool = False  # a `read < FILE`: does nothing when FILE is missing


@dataclass
class State:
    ref: str | None
    exported: bool
    certain: bool = True


class Scan:
    def __init__(
        self, ctx: Context, keyring_value: str | None, keyring_tried: bool, recorded: StoreRecord
    ) -> None:
        self.ctx = replace(ctx, run=_asks_once(ctx.run))
        self.recorded = recorded  # our own store, which `eval "$(dashscope-setup env)"` reads
        self.keyring_value = keyring_value
        self.keyring_tried = keyring_tried
        self.sources: dict[str, Source] = {}
        self.values: dict[str, Val] = {}
        self.effects: dict[int, list[Eff]] = {}
        self.trees: dict[tuple[Path, type], Any] = {}
        self.warnings: list[Msg] = []
        self._files: dict[Path, str | None] = {}
        self.executed: dict[str, set[str]] = {}
        self.universal: tuple[str, bool] | None = None  # fish: (ref, exported) of a universal key
        # The source a new terminal starts with, before its startup files run: this process's
        # environment, or on Windows the registry (Explorer starts new windows from it).
        self.inherited: str | None = None

    def start_state(self) -> State | None:
        """What a new shell has before its startup files run."""
        return State(self.inherited, True) if self.inherited else None

    # files

    def read(self, path: Path) -> str | None:
        """Text of a file (None if absent/unreadable), BOM and encoding handled."""
        real = Path(os.path.realpath(path))
        if real in self._files:
            return self._files[real]
        text: str | None = None
        try:
            if real.is_file():
                with real.open("rb") as fh:
                    data = fh.read(MAX_FILE)
                try:
                    text = files.decode(data).text
                except UnicodeDecodeError:
                    text = data.decode("utf-8", "surrogateescape")
        except OSError:
            text = None
        self._files[real] = text
        return text

    def followable(self, path: Path) -> bool:
        """Files of the user are followed; a system file (bash-completion, /etc/…) only when it
        mentions the variable: it cannot change it otherwise, and parsing it is slow and noisy."""
        roots = (self.ctx.home, self.ctx.config_home())
        if any(path == r or r in path.parents for r in roots):
            return True
        text = self.read(path)
        return text is not None and KEY_VAR in text

    def expand_home(self, text: str) -> Path:
        if text == "~" or text.startswith("~/"):
            return self.ctx.home / text[2:]
        p = Path(text)
        return p if p.is_absolute() else self.ctx.home / p

    # sources

    def add(self, src: Source, val: Val | None = None) -> str:
        ref = src.ref
        k = 2
        while ref in self.sources:
            ref = f"{src.ref}#{k}"
            k += 1
        self.sources[ref] = replace(src, ref=ref)
        if val is not None:
            self.values[ref] = val
        return ref

    def key_file_value(self, path: Path, *, first_line_raw: bool) -> Val:
        text = self.read(path)
        if text is None:
            return Val(dynamic=True, via=f"file:{path}", missing_file=True)
        value = text.split("\n", 1)[0] if first_line_raw else text.strip()
        return Val(value, dynamic=True, via=f"file:{path}")


def _asks_once(run: Runner) -> Runner:
    """One `status` asks zsh for its ZDOTDIR once, however many kinds of zsh need it."""
    answers: dict[tuple[str, ...], tuple[int, str]] = {}

    def run_once(argv: list[str], env: Mapping[str, str]) -> tuple[int, str]:
        if tuple(argv) not in answers:
            answers[tuple(argv)] = run(argv, env)
        return answers[tuple(argv)]

    return run_once


class Return(Exception):
    """A `return` at the top of a sourced file: the rest of that file is not read."""


class Exit(Exception):
    """An `exit` in a startup file: the shell reads nothing more."""


def winner(scan: Scan, sc: Scenario, state: State | None, files: list[str], installed: bool) -> Winner:
    if state is None or state.ref is None:
        return Winner(sc.name, None, None, False, False, True, tuple(files), installed)
    src = scan.sources.get(state.ref)
    key = src.key if src else None
    dynamic = src is not None and src.dynamic and key is None
    return Winner(sc.name, state.ref, key, dynamic, state.exported, state.certain, tuple(files), installed)
