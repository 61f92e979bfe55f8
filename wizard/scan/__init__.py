"""`status`: every place a DASHSCOPE_API_KEY can come from, and which one a new shell ends up with.

`scan(ctx)` reads the filesystem and `ctx` only: it prints nothing and never imports keyring
(the caller injects a reader). Keys appear in the report only as a mask, a length and a
fingerprint: the first 8 hex digits of SHA-256 over the key. That is enough to tell two keys
apart; for a real key (128 random bits or more) it cannot be turned back into the key. For a
short, guessable value it could be, which is why nothing else about a value is reported. A
user can compare by hand: `printf %s "$DASHSCOPE_API_KEY" | sha256sum | cut -c1-8`.

The winner per shell is predicted by following the startup files the way the shell does
(facts/shells.md §1): the read order of the files, `.`/`source` of other files, early `return`
guards such as Debian's "If not running interactively, don't do anything", `if`/`case` on
`$-`, `$PS1`, `$BASH_VERSION`, `[ -f FILE ]`, and the order of lines. A condition it cannot
decide is assumed true for an assignment and false for a `return`, and the winner is then
marked uncertain. System files (/etc/profile, /etc/zsh/…) are not read.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from wizard import block, files, keys, shellparse
from wizard.context import Context
from wizard.errors import SetupError
from wizard.report import Msg
from wizard.shellparse import AndOr, FishCmd, FishNode, Part, Simple, Tok
from wizard.shells import KEY_VAR, Zsh
from wizard.stores import KEY_FILE_VAR, default_key_file

KeyringReader = Callable[[], "str | None"]
RegistryReader = Callable[[str], "str | None"]  # "user" | "machine" -> value

BASE_URL_VARS = ("DASHSCOPE_HTTP_BASE_URL", "DASHSCOPE_COMPATIBLE_BASE_URL")
DISABLED_MARK = "# disabled by dashscope-setup: "
_KEY_LIKE = re.compile(r"sk-[A-Za-z0-9._-]{16,}")
_MAX_DEPTH = 12
_MAX_FILE = 4 * 1024 * 1024


# --- what the report holds -----------------------------------------------------------------------


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
            "warnings": [_msg_json(m) for m in self.warnings],
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
            "warnings": [_msg_json(m) for m in self.warnings],
            "env": dict(self.env),
            "key_file": self.key_file,
            "fingerprint": "sha256, first 8 hex digits",
        }


def _msg_json(m: Msg) -> dict[str, Any]:
    return {"id": m.id, "params": dict(m.params)}


@dataclass(frozen=True)
class Scenario:
    name: str
    shell: str  # bash | zsh | sh | fish | powershell
    interactive: bool
    login: bool


# What a user opens: a Linux terminal (bash/zsh interactive), a macOS Terminal or ssh login
# (interactive login), and `bash -lc`/`zsh -c`/`fish -c` as used by scripts and IDEs.
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("bash", "bash", interactive=True, login=False),
    Scenario("bash-login", "bash", interactive=True, login=True),
    Scenario("bash-login-noninteractive", "bash", interactive=False, login=True),
    Scenario("sh-login", "sh", interactive=False, login=True),
    Scenario("zsh", "zsh", interactive=True, login=False),
    Scenario("zsh-login", "zsh", interactive=True, login=True),
    Scenario("zsh-noninteractive", "zsh", interactive=False, login=False),
    Scenario("fish", "fish", interactive=True, login=False),
    Scenario("fish-noninteractive", "fish", interactive=False, login=False),
    Scenario("powershell", "powershell", interactive=True, login=False),
)
_BINARIES = {"bash": ("bash",), "sh": ("dash", "sh"), "zsh": ("zsh",), "fish": ("fish",)}


# --- values --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Val:
    value: str | None = field(default=None, repr=False)
    dynamic: bool = False
    via: str | None = None  # file:<path> | keyring | stored | env
    missing_file: bool = False  # `read < FILE` / `$(cat FILE)` with no such file


@dataclass
class _Eff:
    """What one command does to DASHSCOPE_API_KEY."""

    op: str  # set | unset | export | unexport
    ref: str | None = None
    export: bool | None = None  # True: exports; None: keeps the current export state
    scope: str = "auto"  # fish: global | universal | local | auto; posix: local inside functions
    requires_file: bool = False  # a `read < FILE`: does nothing when FILE is missing


@dataclass
class _State:
    ref: str | None
    exported: bool
    certain: bool = True


class _Scan:
    def __init__(self, ctx: Context, keyring_value: str | None, keyring_tried: bool) -> None:
        self.ctx = ctx
        self.keyring_value = keyring_value
        self.keyring_tried = keyring_tried
        self.sources: dict[str, Source] = {}
        self.values: dict[str, _Val] = {}
        self.effects: dict[int, list[_Eff]] = {}
        self.trees: dict[Path, Any] = {}
        self.warnings: list[Msg] = []
        self._files: dict[Path, str | None] = {}
        self.executed: dict[str, set[str]] = {}
        self._zsh_dirs: tuple[Path, Path] | None = None

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
                    data = fh.read(_MAX_FILE)
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

    def zsh_dirs(self) -> tuple[Path, Path]:
        if self._zsh_dirs is None:
            self._zsh_dirs = _zsh_dirs(self.ctx)
        return self._zsh_dirs

    def expand_home(self, text: str) -> Path:
        if text == "~" or text.startswith("~/"):
            return self.ctx.home / text[2:]
        p = Path(text)
        return p if p.is_absolute() else self.ctx.home / p

    # sources

    def add(self, src: Source, val: _Val | None = None) -> str:
        ref = src.ref
        k = 2
        while ref in self.sources:
            ref = f"{src.ref}#{k}"
            k += 1
        self.sources[ref] = replace(src, ref=ref)
        if val is not None:
            self.values[ref] = val
        return ref

    def key_file_value(self, path: Path, *, first_line_raw: bool) -> _Val:
        text = self.read(path)
        if text is None:
            return _Val(dynamic=True, via=f"file:{path}", missing_file=True)
        value = text.split("\n", 1)[0] if first_line_raw else text.strip()
        return _Val(value, dynamic=True, via=f"file:{path}")


# --- startup files -------------------------------------------------------------------------------


def _zsh_dirs(ctx: Context) -> tuple[Path, Path]:
    """(where .zshenv is read, where the other files are read): ZDOTDIR may be set in .zshenv."""
    env_dir = ctx.env.get("ZDOTDIR")
    first = Path(env_dir) if env_dir and Path(env_dir).is_absolute() else ctx.home
    return first, Zsh().zdotdir(ctx)


def _fish_dir(ctx: Context) -> Path:
    return ctx.config_home() / "fish"


def _ps_dirs(ctx: Context) -> list[Path]:
    if ctx.os_name == "windows":
        docs = ctx.home / "Documents"
        return [docs / "PowerShell", docs / "WindowsPowerShell"]
    return [ctx.config_home() / "powershell"]


_PS_NAMES = ("profile.ps1", "Microsoft.PowerShell_profile.ps1")


def _fish_conf_d(ctx: Context) -> list[Path]:
    d = _fish_dir(ctx) / "conf.d"
    try:
        files = [p for p in d.iterdir() if p.name.endswith(".fish")]
    except OSError:
        return []
    return sorted(files, key=lambda p: _natural(p.name))


def _natural(name: str) -> tuple[Any, ...]:
    """fish sorts globs case-insensitively with numbers compared by value ("9-x" before "10-x")."""
    parts: list[tuple[int, int, str]] = []
    for chunk in re.findall(r"\d+|\D+", name):
        parts.append((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk.lower()))
    return (tuple(parts), name)


def startup_files(ctx: Context, zsh_dirs: tuple[Path, Path] | None = None) -> list[tuple[Path, str]]:
    """Every user startup file a shell may read, with its syntax family (posix/fish/powershell)."""
    h = ctx.home
    out: list[tuple[Path, str]] = [
        (h / ".bashrc", "posix"),
        (h / ".bash_profile", "posix"),
        (h / ".bash_login", "posix"),
        (h / ".profile", "posix"),
    ]
    first, zdot = zsh_dirs or _zsh_dirs(ctx)
    out.append((first / ".zshenv", "posix"))
    # $HOME's own files too: with ZDOTDIR elsewhere zsh never reads them, and a key left there
    # is the classic "I set it but zsh does not see it" (oh-my-zsh #10479).
    for d in (zdot, h):
        out.extend((d / name, "posix") for name in (".zshenv", ".zprofile", ".zshrc", ".zlogin"))
    fish = _fish_dir(ctx)
    out.extend((p, "fish") for p in _fish_conf_d(ctx))
    out.append((fish / "config.fish", "fish"))
    out.extend((d / n, "powershell") for d in _ps_dirs(ctx) for n in _PS_NAMES)
    seen: set[Path] = set()
    unique: list[tuple[Path, str]] = []
    for p, fam in out:
        if p not in seen:
            seen.add(p)
            unique.append((p, fam))
    return unique


# --- static analysis: which commands touch the key ----------------------------------------------


def _block_lines(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Line ranges (1-based, inclusive) of our blocks; False when a block is damaged."""
    try:
        spans = block.find_blocks(text)
    except SetupError:
        return [], False
    return [(text.count("\n", 0, s) + 1, text.count("\n", 0, e - 1) + 1) for s, e in spans], True


def _in_block(blocks: list[tuple[int, int]], line: int) -> tuple[int, int] | None:
    return next((b for b in blocks if b[0] <= line <= b[1]), None)


_KEYRING_CMD = re.compile(r"\b(secret-tool\s+lookup|keyring\s+get|find-generic-password|Get-Secret)\b")
_CAT = re.compile(r"^\s*(?:(?:cat|head\s+-n\s*1|head\s+-1)\s+|<\s*)(\S+)\s*$")


class _Analyzer:
    """Turns one file's commands into Sources and per-command effects."""

    def __init__(self, scan: _Scan, path: Path, family: str, text: str) -> None:
        self.scan = scan
        self.path = path
        self.family = family
        self.text = text
        self.blocks, ok = _block_lines(text)
        if not ok:
            scan.warnings.append(Msg("status.warn.damaged_block", {"path": str(path)}))
        # Values of the file's other variables, so `K=$(secret-tool …); DASHSCOPE_API_KEY=$K` resolves.
        self.vals: dict[str, _Val] = {}
        self.lines_with_sources: set[int] = set()

    def source(self, line: int, kind: str, val: _Val, *, exported: bool | None, scope: str | None) -> str:
        block = _in_block(self.blocks, line)
        warnings: list[Msg] = []
        store = None
        key_file = val.via[5:] if val.via and val.via.startswith("file:") else None
        if block is not None and kind != "unset":
            kind = "block"
            store = "keyring" if val.via == "keyring" else ("file" if key_file else "inline")
        if val.value is not None and not val.dynamic:
            warnings.append(Msg("status.warn.plaintext", {"path": str(self.path), "line": line}))
        if val.value is not None and "\r" in val.value:
            warnings.append(Msg("status.warn.crlf", {"path": str(self.path), "line": line}))
        if val.missing_file and key_file:
            warnings.append(Msg("status.warn.block_file_missing", {"path": key_file}))
        if val.dynamic and val.value is None and not val.missing_file:
            warnings.append(Msg("status.warn.dynamic", {"path": str(self.path), "line": line}))
        self.lines_with_sources.add(line)
        src = Source(
            ref=f"{self.path}:{line}",
            kind=kind,
            path=str(self.path),
            line=line,
            shell=self.family,
            key=KeyInfo.of(val.value) if val.value is not None else None,
            dynamic=val.dynamic,
            store=store,
            key_file=key_file,
            exported=exported,
            scope=scope,
            warnings=tuple(warnings),
        )
        return self.scan.add(src, val)

    # value of a word

    def value(self, parts: list[Part], *, fish: bool = False) -> _Val:
        lit = shellparse.literal(parts)
        if lit is not None:
            return _Val(lit)
        real = [p for p in parts if not (p.kind == "lit" and p.text == "")]
        if len(real) == 1 and real[0].kind == "cmd":
            return self.command_value(real[0].text, fish=fish)
        if len(real) == 1 and real[0].kind == "var" and not real[0].modifier and real[0].text in self.vals:
            return replace(self.vals[real[0].text], dynamic=True)
        if all(p.kind == "lit" or (p.kind == "var" and not p.modifier) for p in real):
            out: list[str] = []
            for p in real:
                v = p.text if p.kind == "lit" else self.var_value(p.text)
                if v is None:
                    return _Val(dynamic=True)
                out.append(v)
            return _Val("".join(out), dynamic=True)
        return _Val(dynamic=True)

    def var_value(self, name: str) -> str | None:
        if name in self.vals:
            return self.vals[name].value
        return self.scan.ctx.env.get(name) if name != KEY_VAR else None

    def command_value(self, cmd: str, *, fish: bool) -> _Val:
        if _KEYRING_CMD.search(cmd):
            if not self.scan.keyring_tried:
                return _Val(dynamic=True, via="keyring")
            return _Val(self.scan.keyring_value, dynamic=True, via="keyring")
        m = _CAT.match(cmd)
        if m:
            parts = shellparse.fish_parts(m.group(1)) if fish else shellparse.posix_parts(m.group(1))
            target = self.path_of(parts)
            if target is not None:
                v = self.scan.key_file_value(target, first_line_raw=cmd.lstrip().startswith("head"))
                if v.value is not None and not cmd.lstrip().startswith("head"):
                    v = replace(v, value=v.value.rstrip("\n"))
                return v
        return _Val(dynamic=True)

    def path_of(self, parts: list[Part]) -> Path | None:
        out: list[str] = []
        for i, p in enumerate(parts):
            if p.kind == "lit":
                if i == 0 and not p.quoted and (p.text == "~" or p.text.startswith("~/")):
                    out.append(str(self.scan.ctx.home) + p.text[1:])
                else:
                    out.append(p.text)
            elif p.kind == "var" and not p.modifier:
                v = self.var_value(p.text)
                if p.text == "HOME":
                    v = str(self.scan.ctx.home)
                elif p.text == "__fish_config_dir":
                    v = str(_fish_dir(self.scan.ctx))
                if v is None:
                    return None
                out.append(v)
            else:
                return None
        return self.scan.expand_home("".join(out)) if out else None

    # posix

    def posix(self, simple: Simple, in_function: bool) -> list[_Eff]:
        words = simple.words
        effs: list[_Eff] = []
        idx = 0
        while idx < len(words) and shellparse.split_assignment(words[idx].text):
            idx += 1
        if idx == len(words):
            for w in words:
                self.note_literal(w.text)
                effs.extend(self.posix_assign(w, export=None, local=False))
            return effs
        cmd = shellparse.literal(shellparse.posix_parts(words[idx].text))
        args = words[idx + 1 :]
        if cmd in ("export", "declare", "typeset", "readonly", "local", "integer", "float"):
            flags = "".join(
                a.text[1:] for a in args if a.text.startswith("-") and not a.text.startswith("--")
            )
            unflags = "".join(a.text[1:] for a in args if a.text.startswith("+"))
            export: bool | None = True if (cmd == "export" and "n" not in flags) or "x" in flags else None
            if "x" in unflags or (cmd == "export" and "n" in flags):
                export = False
            local = cmd == "local" or (in_function and cmd in ("declare", "typeset") and "g" not in flags)
            for a in args:
                if a.text.startswith(("-", "+")):
                    continue
                self.note_literal(a.text)
                if shellparse.split_assignment(a.text):
                    effs.extend(self.posix_assign(a, export=export, local=local))
                elif a.text == KEY_VAR and export is not None:
                    effs.append(_Eff("export" if export else "unexport"))
        elif cmd == "unset" and "-f" not in [a.text for a in args]:
            for a in args:
                if a.text == KEY_VAR:
                    ref = self.source(a.line, "unset", _Val(), exported=None, scope=None)
                    effs.append(_Eff("unset", ref))
        elif cmd == "read":
            effs.extend(self.posix_read(simple, idx))
        elif cmd == "eval" and any("dashscope-setup" in a.text and "env" in a.text for a in args):
            ref = self.source(args[0].line, "assignment", self.stored_value(), exported=True, scope=None)
            effs.append(_Eff("set", ref, export=True))
        return effs

    def note_literal(self, raw: str) -> None:
        a = shellparse.split_assignment(raw)
        if a is None or a[0] == KEY_VAR:
            return
        self.vals[a[0]] = self.value(shellparse.posix_parts(a[1]))

    def posix_assign(self, w: Tok, *, export: bool | None, local: bool) -> list[_Eff]:
        a = shellparse.split_assignment(w.text)
        if a is None or a[0] != KEY_VAR:
            return []
        parts = shellparse.posix_parts(a[1])
        real = [p for p in parts if p.text or p.kind != "lit"]
        if len(real) == 1 and real[0].kind == "var" and real[0].text == KEY_VAR and not real[0].modifier:
            return [_Eff("export")] if export else []  # DASHSCOPE_API_KEY=$DASHSCOPE_API_KEY
        val = _Val(dynamic=True) if a[2] else self.value(parts)
        ref = self.source(w.line, "assignment", val, exported=export, scope="local" if local else None)
        return [_Eff("set", ref, export=export, scope="local" if local else "auto")]

    def posix_read(self, simple: Simple, idx: int) -> list[_Eff]:
        words = simple.words
        args = words[idx + 1 :]
        names: list[Tok] = []
        raw_mode = False
        skip = False
        for a in args:
            if skip:
                skip = False
                continue
            if a.text.startswith("-") and len(a.text) > 1:
                raw_mode = raw_mode or "r" in a.text
                skip = a.text[-1] in "pdnNtuaAk" and len(a.text) == 2
                continue
            names.append(a)
        key_tok = next((n for n in names if n.text == KEY_VAR), None)
        if key_tok is None:
            return []
        ifs_empty = any(w.text in ("IFS=", "IFS=''", 'IFS=""') for w in words[:idx])
        src = next((t for op, t in simple.redirs if op == "<"), None)
        target = self.path_of(shellparse.posix_parts(src.text)) if src is not None else None
        if target is None:
            val = _Val(dynamic=True)
        else:
            val = self.scan.key_file_value(target, first_line_raw=True)
            if val.value is not None and not (ifs_empty and raw_mode):
                val = replace(val, value=val.value.strip(" \t"))
            if len(names) > 1 and val.value is not None:
                val = replace(val, value=None)
        ref = self.source(key_tok.line, "assignment", val, exported=None, scope=None)
        return [_Eff("set", ref, requires_file=target is not None)]

    def stored_value(self) -> _Val:
        """`eval "$(dashscope-setup env)"`: the key from our own store."""
        from wizard.edits import manifest

        state = manifest.load(self.scan.ctx)
        if state.store == "keyring":
            return _Val(self.scan.keyring_value, dynamic=True, via="keyring")
        path = Path(state.key_file) if state.key_file else default_key_file(self.scan.ctx)
        return self.scan.key_file_value(path, first_line_raw=False)

    # fish

    def fish(self, cmd: FishCmd) -> list[_Eff]:
        words = cmd.words
        name = shellparse.literal(shellparse.fish_parts(words[0].text))
        if name == "set":
            return self.fish_set(cmd)
        if name == "read":
            return self.fish_read(cmd)
        if name == "dashscope-setup" and cmd.piped and any(w.text == "env" for w in words):
            ref = self.source(words[0].line, "assignment", self.stored_value(), exported=True, scope="global")
            return [_Eff("set", ref, export=True, scope="global")]
        return []

    def fish_scope(self, flags: str, longs: list[str]) -> str:
        if "U" in flags or "--universal" in longs:
            return "universal"
        if "g" in flags or "--global" in longs:
            return "global"
        if "l" in flags or "f" in flags or "--local" in longs or "--function" in longs:
            return "local"
        return "auto"

    def fish_set(self, cmd: FishCmd) -> list[_Eff]:
        args = cmd.words[1:]
        flags = ""
        longs: list[str] = []
        i = 0
        while i < len(args) and args[i].text.startswith("-"):
            if args[i].text == "--":
                i += 1
                break
            if args[i].text.startswith("--"):
                longs.append(args[i].text)
            else:
                flags += args[i].text[1:]
            i += 1
        if i >= len(args):
            return []
        name_tok = args[i]
        if shellparse.literal(shellparse.fish_parts(name_tok.text)) != KEY_VAR:
            if (n := shellparse.literal(shellparse.fish_parts(name_tok.text))) and len(args) == i + 2:
                self.vals[n] = self.value(shellparse.fish_parts(args[i + 1].text), fish=True)
            return []
        scope = self.fish_scope(flags, longs)
        if "q" in flags or "--query" in longs or "n" in flags or "S" in flags:
            return []
        export: bool | None = True if "x" in flags or "--export" in longs else None
        if "u" in flags or "--unexport" in longs:
            export = False
        if "e" in flags or "--erase" in longs:
            ref = self.source(name_tok.line, "unset", _Val(), exported=None, scope=scope)
            return [_Eff("unset", ref, scope=scope)]
        if "a" in flags or "p" in flags or "--append" in longs or "--prepend" in longs:
            val = _Val(dynamic=True)
        else:
            values = [self.value(shellparse.fish_parts(a.text), fish=True) for a in args[i + 1 :]]
            if not values:
                val = _Val("")
            elif len(values) == 1:
                val = values[0]
            elif all(v.value is not None for v in values):
                val = _Val(" ".join(v.value or "" for v in values), any(v.dynamic for v in values))
            else:
                val = _Val(dynamic=True)
        ref = self.source(name_tok.line, "assignment", val, exported=export, scope=scope)
        return [_Eff("set", ref, export=export, scope=scope)]

    def fish_read(self, cmd: FishCmd) -> list[_Eff]:
        args = cmd.words[1:]
        flags = ""
        longs: list[str] = []
        names: list[Tok] = []
        skip = False
        for a in args:
            if skip:
                skip = False
            elif a.text.startswith("--"):
                longs.append(a.text)
            elif a.text.startswith("-") and len(a.text) > 1:
                flags += a.text[1:]
                skip = a.text[-1] in "pPdncR" and len(a.text) == 2
            else:
                names.append(a)
        key_tok = next((n for n in names if n.text == KEY_VAR), None)
        if key_tok is None:
            return []
        scope = self.fish_scope(flags, longs)
        export: bool | None = True if "x" in flags or "--export" in longs else None
        src = next((t for op, t in cmd.redirs if op == "<"), None)
        target = self.path_of(shellparse.fish_parts(src.text)) if src is not None else None
        val = _Val(dynamic=True) if target is None else self.scan.key_file_value(target, first_line_raw=True)
        ref = self.source(key_tok.line, "assignment", val, exported=export, scope=scope)
        return [_Eff("set", ref, export=export, scope=scope, requires_file=target is not None)]

    def literal_mentions(self) -> None:
        """Key-like text the commands above did not account for: comments, aliases, disabled lines."""
        for number, line in enumerate(self.text.split("\n"), start=1):
            if number in self.lines_with_sources:
                continue
            m = _KEY_LIKE.search(line)
            if m is None:
                continue
            kind = "disabled" if line.startswith((DISABLED_MARK, ": " + DISABLED_MARK)) else "literal"
            warn = Msg(f"status.warn.{kind}", {"path": str(self.path), "line": number})
            self.scan.add(
                Source(
                    ref=f"{self.path}:{number}",
                    kind=kind,
                    path=str(self.path),
                    line=number,
                    shell=self.family,
                    key=KeyInfo.of(m.group()),
                    warnings=(warn,),
                )
            )


def _analyze(scan: _Scan, path: Path, family: str) -> Any:
    """Parse a startup file once; record its Sources and each command's effects on the key."""
    real = Path(os.path.realpath(path))
    if real in scan.trees:
        return scan.trees[real]
    text = scan.read(path)
    if text is None:
        scan.trees[real] = None
        return None
    az = _Analyzer(scan, path, family, text)
    tree: Any
    if family == "posix":
        try:
            tree = shellparse.parse_posix(text)
            simples: list[tuple[Simple, bool]] = list(_posix_simples(tree, False))
        except shellparse.ParseError as exc:
            scan.warnings.append(Msg("status.warn.unparsed", {"path": str(path), "line": exc.line}))
            flat = shellparse.flat_posix(text)
            tree = ("flat", flat)
            simples = [(s, False) for s in flat]
        for s, in_fn in simples:
            scan.effects[id(s)] = az.posix(s, in_fn)
    elif family == "fish":
        try:
            tree = shellparse.parse_fish(text)
            cmds = list(shellparse.walk_fish(tree))
        except shellparse.ParseError as exc:
            scan.warnings.append(Msg("status.warn.unparsed", {"path": str(path), "line": exc.line}))
            cmds = shellparse.flat_fish(text)
            tree = ("flat", cmds)
        for c in cmds:
            scan.effects[id(c)] = az.fish(c)
    else:
        tree = _powershell(az)
    az.literal_mentions()
    scan.trees[real] = tree
    return tree


def _posix_simples(nodes: list[AndOr], in_fn: bool) -> Iterator[tuple[Simple, bool]]:
    for ao in nodes:
        for pipe in [ao.first, *(p for _, p in ao.rest)]:
            for cmd in pipe.cmds:
                if isinstance(cmd, shellparse.FuncDef):
                    for s in shellparse.walk_posix([AndOr(shellparse.Pipeline([cmd.body]))]):
                        yield s, True
                elif isinstance(cmd, Simple):
                    yield cmd, in_fn
                else:
                    yield from _node_simples(cmd, in_fn)


def _node_simples(node: shellparse.Node, in_fn: bool) -> Iterator[tuple[Simple, bool]]:
    if isinstance(node, shellparse.If):
        for cond, body in node.branches:
            yield from _posix_simples(cond, in_fn)
            yield from _posix_simples(body, in_fn)
        if node.orelse:
            yield from _posix_simples(node.orelse, in_fn)
    elif isinstance(node, shellparse.Case):
        for _, body in node.items:
            yield from _posix_simples(body, in_fn)
    elif isinstance(node, (shellparse.For, shellparse.Group)):
        yield from _posix_simples(node.body, in_fn)
    elif isinstance(node, shellparse.Loop):
        yield from _posix_simples(node.cond, in_fn)
        yield from _posix_simples(node.body, in_fn)


# --- PowerShell: line by line ---------------------------------------------------------------------

_PS_ASSIGN = re.compile(
    r"(?:^|[{;])\s*(?:\$env:|\$\{env:)DASHSCOPE_API_KEY\}?\s*=\s*(?P<v>[^;}]+?)\s*(?:[;}]|$)", re.IGNORECASE
)
_PS_VAR = re.compile(r"^\s*\$(?P<n>[A-Za-z_]\w*)\s*=\s*(?P<v>.+?)\s*;?\s*$")
_PS_EVAL = re.compile(r"dashscope-setup\s+env\b.*\bInvoke-Expression\b", re.IGNORECASE)
_PS_SETITEM = re.compile(
    r"^\s*Set-Item\s+(?:-Path\s+)?['\"]?env:[\\/]?DASHSCOPE_API_KEY['\"]?\s+(?:-Value\s+)?(?P<v>.+?)\s*;?\s*$",
    re.IGNORECASE,
)
_PS_SETENV = re.compile(
    r"\[(?:System\.)?Environment\]::SetEnvironmentVariable\(\s*(['\"])DASHSCOPE_API_KEY\1\s*,\s*(?P<v>.+?)"
    r"(?:\s*,\s*(?P<t>[^)]*))?\)\s*;?\s*$",
    re.IGNORECASE,
)
_PS_REMOVE = re.compile(r"^\s*Remove-Item\s+(?:-Path\s+)?['\"]?env:[\\/]?DASHSCOPE_API_KEY\b", re.IGNORECASE)
_PS_GETCONTENT = re.compile(
    r"^\(?\s*Get-Content\s+(?:-LiteralPath\s+|-Path\s+)?(?P<p>'[^']*'|\"[^\"]*\"|\S+)[^)]*\)?(?:\.Trim\(\))?$",
    re.IGNORECASE,
)


_PS_Q = "'\u2018\u2019\u201a\u201b"  # PowerShell treats the curly single quotes like '


def _ps_value(az: _Analyzer, expr: str) -> _Val | None:
    """The value of a PowerShell expression; None for $null / '' (which removes the variable)."""
    expr = expr.strip()
    if expr.lower() == "$null" or expr in ("''", '""'):
        return None
    if len(expr) >= 2 and expr[0] in _PS_Q and expr[-1] in _PS_Q:
        return _Val(re.sub(f"([{_PS_Q}])[{_PS_Q}]", r"\1", expr[1:-1]))
    if len(expr) >= 2 and expr[0] == expr[-1] == '"' and not re.search(r"[$`]", expr):
        return _Val(expr[1:-1])
    ref = re.fullmatch(r'"?\$(\w+)"?(?:\.Trim\(\))?', expr)
    if ref and not ref.group(1).lower().startswith("env"):
        known = az.vals.get(ref.group(1))
        return replace(known, dynamic=True) if known is not None else _Val(dynamic=True)
    m = _PS_GETCONTENT.match(expr)
    if m:
        raw = m.group("p").strip("'\"")
        home = str(az.scan.ctx.home)
        raw = raw.replace("$HOME", home).replace("$env:USERPROFILE", home)
        path = az.scan.expand_home(raw.replace("\\", "/") if az.scan.ctx.os_name != "windows" else raw)
        v = az.scan.key_file_value(path, first_line_raw=True)
        return replace(v, value=v.value.strip()) if v.value is not None else v
    if _KEYRING_CMD.search(expr):
        return _Val(az.scan.keyring_value if az.scan.keyring_tried else None, dynamic=True, via="keyring")
    return _Val(dynamic=True)


@dataclass
class _PsStmt:
    eff: _Eff
    line: int
    certain: bool
    in_function: bool


def _powershell(az: _Analyzer) -> list[_PsStmt]:
    out: list[_PsStmt] = []
    depth = 0
    fn_depth: int | None = None
    in_comment = False
    for number, raw in enumerate(az.text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if in_comment:
            if "#>" in line:
                in_comment = False
                line = line.split("#>", 1)[1]
            else:
                continue
        if "<#" in line:
            before, _, after = line.partition("<#")
            if "#>" not in after:
                in_comment = True
            line = before
        code = line.split("#", 1)[0] if "'" not in line and '"' not in line else line
        if re.match(r"^\s*function\s", code, re.IGNORECASE) and fn_depth is None:
            fn_depth = depth
        eff: _Eff | None = None
        at = depth
        var = _PS_VAR.match(code)
        if var and not var.group("n").lower().startswith("env"):
            az.vals[var.group("n")] = _ps_value(az, var.group("v")) or _Val()
        if _PS_EVAL.search(code):
            ref = az.source(number, "assignment", az.stored_value(), exported=True, scope=None)
            eff = _Eff("set", ref, export=True)
        elif _PS_REMOVE.match(code):
            ref = az.source(number, "unset", _Val(), exported=None, scope=None)
            eff = _Eff("unset", ref)
        else:
            m = _PS_ASSIGN.search(code) or _PS_SETITEM.match(code)
            at = depth + (code[: m.start("v")].count("{") - code[: m.start("v")].count("}") if m else 0)
            target = "process"
            if m is None and (m := _PS_SETENV.search(code)):
                target = (m.group("t") or "process").strip().strip("'\"").rsplit(":", 1)[-1].lower()
            if m is not None:
                val = _ps_value(az, m.group("v"))
                if val is None:
                    ref = az.source(number, "unset", _Val(), exported=None, scope=None)
                    eff = _Eff("unset", ref)
                else:
                    scope = None if target == "process" else target
                    ref = az.source(number, "assignment", val, exported=True, scope=scope)
                    eff = _Eff(
                        "set",
                        ref,
                        export=True,
                        scope="persistent" if scope else "auto",
                        requires_file=bool(val.via and val.via.startswith("file:")),
                    )
        if eff is not None:
            in_block = _in_block(az.blocks, number) is not None
            certain = at == 0 or (in_block and eff.requires_file)  # Test-Path guards our file block
            out.append(_PsStmt(eff, number, certain=certain, in_function=fn_depth is not None))
        depth += code.count("{") - code.count("}")
        if fn_depth is not None and depth <= fn_depth and "}" in code:
            fn_depth = None
    return out


# --- simulation -----------------------------------------------------------------------------------


class _Return(Exception):
    pass


class _Exit(Exception):
    pass


class _PosixSim:
    """Runs a POSIX-family shell's startup files in our head, tracking only what matters."""

    def __init__(self, scan: _Scan, sc: Scenario) -> None:
        self.scan = scan
        self.sc = sc
        env = scan.ctx.env
        self.vars: dict[str, str | None] = {k: v for k, v in env.items() if k != KEY_VAR}
        self.vars["HOME"] = str(scan.ctx.home)
        self.state = _State("env:" + KEY_VAR, True) if env.get(KEY_VAR) else _State(None, False)
        self.allexport = False
        self.files: list[str] = []
        self.functions: dict[str, shellparse.Node] = {}
        self.stack: list[Path] = []
        self.fn_depth = 0

    # expansion

    def var(self, name: str) -> str | None:
        sh, inter = self.sc.shell, self.sc.interactive
        special = {
            "-": ("569X" if sh == "zsh" else "hB")
            + ("i" if inter else "")
            + ("l" if sh == "zsh" and self.sc.login else ""),
            "PS1": "$ " if inter or sh == "sh" else "",
            "BASH_VERSION": "5" if sh == "bash" else "",
            "ZSH_VERSION": "5.9" if sh == "zsh" else "",
            "ZSH_NAME": "zsh" if sh == "zsh" else "",
        }
        if name in special:
            return special[name]
        if name == KEY_VAR:
            return self.key_placeholder()
        if name in self.vars:
            return self.vars[name]
        if name in ("?", "$", "!", "@", "*", "#") or name.isdigit():
            return None
        return ""

    def key_placeholder(self) -> str | None:
        """Stands in for the key's value in tests like [ -z "$DASHSCOPE_API_KEY" ]: only its length."""
        if self.state.ref is None:
            return ""
        if self.state.ref.startswith("env:"):
            return "x" * len(self.scan.ctx.env.get(KEY_VAR, ""))
        v = self.scan.values.get(self.state.ref)
        return None if v is None or v.value is None else "x" * len(v.value)

    def expand(self, raw: str) -> str | None:
        out: list[str] = []
        for i, p in enumerate(shellparse.posix_parts(raw)):
            if p.kind == "lit":
                tilde = i == 0 and not p.quoted and (p.text == "~" or p.text.startswith("~/"))
                out.append(str(self.scan.ctx.home) + p.text[1:] if tilde else p.text)
                continue
            if p.kind != "var":
                return None
            v = self.var(p.text)
            if v is None:
                return None
            mod = p.modifier
            if mod:
                colon = mod.startswith(":")
                kind, rest = mod[1 if colon else 0], mod[2 if colon else 1 :]
                is_unset = p.text not in self.vars and v == ""
                empty = v == "" if colon else is_unset
                if kind in "-=":
                    v = self.expand(rest) if empty else v
                elif kind == "+":
                    v = "" if empty else self.expand(rest)
                else:
                    return None
                if v is None:
                    return None
            out.append(v)
        return "".join(out)

    def pattern(self, raw: str) -> str | None:
        """A case/[[ pattern as an fnmatch pattern (quoted parts matched literally)."""
        out: list[str] = []
        for p in shellparse.posix_parts(raw):
            if p.kind == "cmd" or p.modifier:
                return None
            text = p.text if p.kind == "lit" else self.var(p.text)
            if text is None:
                return None
            out.append(re.sub(r"([\[\]*?])", r"[\1]", text) if p.quoted else text)
        return "".join(out)

    def path(self, raw: str) -> Path | None:
        v = self.expand(raw)
        return self.scan.expand_home(v) if v else None

    # running

    def run_file(self, path: Path, certain: bool = True) -> bool:
        if len(self.stack) >= _MAX_DEPTH or path in self.stack or not self.scan.followable(path):
            return False
        tree = _analyze(self.scan, path, "posix")
        if tree is None:
            return False
        self.files.append(str(path))
        self.stack.append(path)
        try:
            if isinstance(tree, tuple):
                for s in tree[1]:
                    self.simple(s, certain=False)
            else:
                self.run_list(tree, certain)
        except _Return:
            pass
        finally:
            self.stack.pop()
        return True

    def run_list(self, nodes: list[AndOr], certain: bool) -> bool | None:
        status: bool | None = True
        for ao in nodes:
            status = self.and_or(ao, certain)
        return status

    def and_or(self, ao: AndOr, certain: bool) -> bool | None:
        if ao.background:
            return None
        status = self.pipeline(ao.first, certain)
        for op, pipe in ao.rest:
            if status is None:
                status = self.pipeline(pipe, False)
            elif status == (op == "&&"):
                status = self.pipeline(pipe, certain)
        return status

    def pipeline(self, pipe: shellparse.Pipeline, certain: bool) -> bool | None:
        if len(pipe.cmds) > 1 and self.sc.shell != "zsh":
            return None  # bash and dash run every part of a pipeline in a subshell
        status = self.command(pipe.cmds[-1], certain)
        if pipe.negated:
            return None if status is None else not status
        return status

    def command(self, node: shellparse.Node, certain: bool) -> bool | None:
        if isinstance(node, Simple):
            return self.simple(node, certain)
        if isinstance(node, shellparse.If):
            for cond, body in node.branches:
                st = self.run_list(cond, certain)
                if st is True:
                    return self.run_list(body, certain)
                if st is None:
                    return self.run_list(body, False)
            return self.run_list(node.orelse, certain) if node.orelse is not None else True
        if isinstance(node, shellparse.Case):
            subject = self.expand(node.subject.text)
            for pats, body in node.items:
                compiled = [self.pattern(p.text) for p in pats]
                if subject is None or None in compiled:
                    return None
                if any(fnmatchcase(subject, c) for c in compiled if c is not None):
                    return self.run_list(body, certain)
            return True
        if isinstance(node, shellparse.For):
            return self.for_(node, certain)
        if isinstance(node, shellparse.Loop):
            self.run_list(node.cond, False)
            self.run_list(node.body, False)
            return None
        if isinstance(node, shellparse.Group):
            return None if node.subshell else self.run_list(node.body, certain)
        self.functions[node.name] = node.body
        return True

    def for_(self, node: shellparse.For, certain: bool) -> bool | None:
        items: list[str] = []
        for w in node.words or []:
            v = self.expand(w.text)
            if v is None:
                self.run_list(node.body, False)
                return None
            parts = shellparse.posix_parts(w.text)
            if any(p.kind == "lit" and not p.quoted and re.search(r"[*?\[]", p.text) for p in parts):
                items.extend(self.glob(re.sub(r"\([^)]*\)$", "", v)))  # drop a zsh qualifier like (N)
            else:
                items.append(v)
        for item in items[:64]:
            self.vars[node.var] = item
            self.run_list(node.body, certain)
        return True

    def glob(self, pattern: str) -> list[str]:
        p = self.scan.expand_home(pattern)
        if re.search(r"[*?\[]", str(p.parent)):
            return []
        try:
            names = [x for x in p.parent.iterdir() if fnmatchcase(x.name, p.name)]
        except OSError:
            return []
        return sorted(str(x) for x in names if p.name.startswith(".") or not x.name.startswith("."))

    def simple(self, s: Simple, certain: bool) -> bool | None:
        words = s.words
        idx = 0
        while idx < len(words) and shellparse.split_assignment(words[idx].text):
            idx += 1
        effects = self.scan.effects.get(id(s), [])
        if idx == len(words):
            self.assign_vars(w.text for w in words)
            self.apply(effects, certain)
            return True
        cmd = self.expand(words[idx].text)
        args = [w.text for w in words[idx + 1 :]]
        if cmd in ("export", "declare", "typeset", "readonly", "local"):
            self.assign_vars(args)
            self.apply(effects, certain)
            return True
        if cmd in ("unset", "read", "eval"):
            return self.apply(effects, certain) if effects else None
        if cmd in (".", "source") and args:
            target = self.path(args[0])
            if target is None:
                return None
            if not target.is_file():
                return False
            return self.run_file(target, certain)
        if cmd == "set":
            if "-a" in args or ("-o" in args and "allexport" in args):
                self.allexport = True
            if "+a" in args or ("+o" in args and "allexport" in args):
                self.allexport = False
            return True
        if cmd in ("return", "exit"):
            if not certain:
                return None  # an undecided `return` is assumed not to happen
            raise _Exit if cmd == "exit" and self.fn_depth == 0 else _Return
        if cmd in ("[", "test", "[["):
            return self.test(args[:-1] if args and args[-1] in ("]", "]]") else args, double=cmd == "[[")
        if cmd in ("true", ":"):
            return True
        if cmd == "false":
            return False
        if cmd in ("command", "type", "hash", "which") and args:
            names = [a for a in args if not a.startswith("-")]
            if cmd != "command" or (args[0] in ("-v", "-V") and names):
                return all(self.scan.ctx.which(n) for n in names[:1]) if names else None
        if cmd is not None and cmd in self.functions and self.fn_depth < 8:
            self.fn_depth += 1
            try:
                return self.command(self.functions[cmd], certain)
            except _Return:
                return True
            finally:
                self.fn_depth -= 1
        return None

    def assign_vars(self, raws: Iterator[str] | list[str]) -> None:
        for raw in raws:
            kv = shellparse.split_assignment(raw)
            if kv and kv[0] != KEY_VAR:
                self.vars[kv[0]] = self.expand(kv[1])

    def apply(self, effects: list[_Eff], certain: bool) -> bool | None:
        status: bool | None = True
        for e in effects:
            if e.ref is not None:
                self.scan.executed.setdefault(e.ref, set()).add(self.sc.name)
            if e.op == "set" and e.scope == "local":
                continue
            if e.op == "set":
                v = self.scan.values.get(e.ref or "")
                if e.requires_file and v is not None and v.missing_file:
                    status = False
                    continue
                exported = e.export if e.export is not None else (self.state.exported or self.allexport)
                self.state = _State(e.ref, exported, certain)
            elif e.op == "unset":
                self.state = _State(None, False, certain)
            else:
                self.state.exported = e.op == "export"
        return status

    def test(self, args: list[str], *, double: bool) -> bool | None:
        """`[`/`test`/`[[` in three-valued logic: None when we cannot know."""
        ors, ands = ("||",) if double else ("-o",), ("&&",) if double else ("-a",)
        for ops, is_or in ((ors, True), (ands, False)):
            for i, a in enumerate(args):
                if a in ops and 0 < i < len(args) - 1 and (double or len(args) > 3):
                    x, y = self.test(args[:i], double=double), self.test(args[i + 1 :], double=double)
                    if is_or:
                        return True if (x or y) else (None if None in (x, y) else False)
                    return False if False in (x, y) else (None if None in (x, y) else True)
        if args and args[0] == "!":
            r = self.test(args[1:], double=double)
            return None if r is None else not r
        if len(args) == 1:
            v = self.expand(args[0])
            return None if v is None else v != ""
        if len(args) == 2:
            return self.unary(args[0], args[1], double)
        if len(args) == 3 and args[1] in ("=", "==", "!="):
            left = self.expand(args[0])
            right = self.pattern(args[2]) if double else self.expand(args[2])
            if left is None or right is None:
                return None
            hit = fnmatchcase(left, right) if double else left == right
            return hit if args[1] != "!=" else not hit
        return None

    def unary(self, op: str, arg: str, double: bool) -> bool | None:
        if op == "-o" and double:
            return {"interactive": self.sc.interactive, "login": self.sc.login}.get(arg)
        if op in ("-n", "-z"):
            v = self.expand(arg)
            return None if v is None else (v != "") == (op == "-n")
        if op not in ("-f", "-e", "-r", "-s", "-d", "-x", "-h", "-L"):
            return None
        p = self.path(arg)
        if p is None:
            return None
        if op in ("-h", "-L"):
            return p.is_symlink()
        try:
            st = p.stat()
        except OSError:
            return False
        checks = {
            "-f": stat.S_ISREG(st.st_mode),
            "-d": stat.S_ISDIR(st.st_mode),
            "-s": st.st_size > 0,
            "-x": os.access(p, os.X_OK),
            "-r": os.access(p, os.R_OK),
        }
        return checks.get(op, True)


class _FishSim:
    def __init__(self, scan: _Scan, sc: Scenario, universal: tuple[str, bool] | None) -> None:
        self.scan = scan
        self.sc = sc
        env = scan.ctx.env
        self.glob: _State | None = _State("env:" + KEY_VAR, True) if env.get(KEY_VAR) else None
        self.univ: _State | None = _State(universal[0], universal[1]) if universal else None
        self.vars: dict[str, str | None] = {k: v for k, v in env.items() if k != KEY_VAR}
        self.vars["HOME"] = str(scan.ctx.home)
        self.vars["__fish_config_dir"] = str(_fish_dir(scan.ctx))
        self.files: list[str] = []
        self.stack: list[Path] = []
        self.functions: set[str] = set()

    def expand(self, raw: str) -> str | None:
        out: list[str] = []
        for i, p in enumerate(shellparse.fish_parts(raw)):
            if p.kind == "lit":
                if i == 0 and not p.quoted and (p.text == "~" or p.text.startswith("~/")):
                    out.append(str(self.scan.ctx.home) + p.text[1:])
                else:
                    out.append(p.text)
            elif p.kind == "var":
                if p.text == KEY_VAR:
                    return None
                v = self.vars.get(p.text, "")
                if v is None:
                    return None
                out.append(v)
            else:
                return None
        return "".join(out)

    def run_file(self, path: Path, certain: bool = True) -> bool:
        if len(self.stack) >= _MAX_DEPTH or path in self.stack or not self.scan.followable(path):
            return False
        tree = _analyze(self.scan, path, "fish")
        if tree is None:
            return False
        self.files.append(str(path))
        self.stack.append(path)
        try:
            if isinstance(tree, tuple):
                self.run_list(list(tree[1]), certain=False)
            else:
                self.run_list(tree, certain)
        except _Return:
            pass
        finally:
            self.stack.pop()
        return True

    def run_list(self, nodes: list[FishNode], certain: bool) -> bool | None:
        status: bool | None = True
        for node in nodes:
            if (node.conj == "and" and status is False) or (node.conj == "or" and status is True):
                continue
            node_certain = certain and not (node.conj and status is None)
            status = self.node(node, node_certain)
        return status

    def node(self, node: FishNode, certain: bool) -> bool | None:
        if isinstance(node, FishCmd):
            st = self.cmd(node, certain)
            return (None if st is None else not st) if node.negated else st
        if isinstance(node, shellparse.FishIf):
            for cond, body in node.branches:
                st = self.run_list(cond, certain)
                if st is True:
                    return self.run_list(body, certain)
                if st is None:
                    return self.run_list(body, False)
            return self.run_list(node.orelse, certain) if node.orelse is not None else True
        if node.kind == "function":
            if node.head:
                self.functions.add(node.head[0].text)
            return True
        if node.kind == "begin":
            return self.run_list(node.body, certain)
        if node.kind == "switch":
            subject = self.expand(node.head[0].text) if node.head else None
            for pats, body in node.cases:
                exp = [self.expand(p.text) for p in pats]
                if subject is None or any(e is None for e in exp):
                    return None
                if any(fnmatchcase(subject, e) for e in exp if e is not None):
                    return self.run_list(body, certain)
            return True
        if node.kind == "for" and len(node.head) >= 2 and node.head[1].text == "in":
            values = [self.expand(w.text) for w in node.head[2:]]
            if all(v is not None for v in values) and not any("*" in (v or "") for v in values):
                for v in values[:64]:
                    self.vars[node.head[0].text] = v
                    self.run_list(node.body, certain)
                return True
        self.run_list(node.body, False)
        return None

    def cmd(self, c: FishCmd, certain: bool) -> bool | None:
        name = self.expand(c.words[0].text)
        args = [w.text for w in c.words[1:]]
        effects = self.scan.effects.get(id(c), [])
        if name == "set" and any(a in ("-q", "--query") for a in args):
            names = [a for a in args if not a.startswith("-")]
            if names == [KEY_VAR]:
                return self.glob is not None or self.univ is not None
            return None if not names else all(self.vars.get(n) is not None for n in names)
        if name in ("set", "read"):
            if name == "set" and not effects:
                self.note_var(args)
            return self.apply(effects, certain)
        if name == "status" and args:
            sub = args[0].lstrip("-")
            if sub in ("is-interactive", "i"):
                return self.sc.interactive
            if sub in ("is-login", "l"):
                return self.sc.login
            return None
        if name in ("source", ".") and args:
            v = self.expand(args[0])
            if v is None:
                return None
            target = self.scan.expand_home(v)
            if not target.is_file():
                return False
            return self.run_file(target, certain)
        if name in ("return", "exit"):
            if certain:
                raise _Return if name == "return" else _Exit
            return None
        if name in ("test", "["):
            return self.test([a for a in args if a != "]"])
        if name in ("command", "type") and args and args[0] in ("-q", "-sq", "-qs", "--query", "-s"):
            names = [a for a in args if not a.startswith("-")]
            return bool(names) and all(self.scan.ctx.which(n) for n in names)
        if effects:
            return self.apply(effects, certain)
        if name == "true":
            return True
        if name == "false":
            return False
        return None

    def note_var(self, args: list[str]) -> None:
        rest = [a for a in args if not a.startswith("-")]
        if not rest:
            return
        if any(a in ("-e", "--erase") for a in args):
            self.vars.pop(rest[0], None)
            return
        values = [self.expand(a) for a in rest[1:]]
        self.vars[rest[0]] = None if None in values else " ".join(v or "" for v in values)

    def test(self, args: list[str]) -> bool | None:
        if args and args[0] == "!":
            r = self.test(args[1:])
            return None if r is None else not r
        if len(args) == 2 and args[0] in ("-n", "-z"):
            v = self.expand(args[1])
            return None if v is None else (v != "") == (args[0] == "-n")
        if len(args) == 2 and args[0] in ("-f", "-e", "-r", "-d", "-s"):
            v = self.expand(args[1])
            if v is None:
                return None
            p = self.scan.expand_home(v)
            return {"-f": p.is_file(), "-d": p.is_dir(), "-s": p.is_file() and p.stat().st_size > 0}.get(
                args[0], p.exists()
            )
        if len(args) == 3 and args[1] in ("=", "!="):
            a, b = self.expand(args[0]), self.expand(args[2])
            return None if a is None or b is None else (a == b) == (args[1] == "=")
        return None

    def apply(self, effects: list[_Eff], certain: bool) -> bool | None:
        status: bool | None = True
        for e in effects:
            if e.ref is not None:
                self.scan.executed.setdefault(e.ref, set()).add(self.sc.name)
            scope = e.scope
            if scope == "local":
                continue
            if scope == "auto":
                scope = "global" if self.glob is not None or self.univ is None else "universal"
            if e.op == "unset":
                if scope == "universal":
                    self.univ = None
                elif self.glob is not None or e.scope == "global":
                    self.glob = None
                else:
                    self.univ = None
                continue
            v = self.scan.values.get(e.ref or "")
            if e.requires_file and v is not None and v.missing_file:
                status = False
                continue
            old = self.univ if scope == "universal" else self.glob
            exported = e.export if e.export is not None else (old.exported if old else False)
            new = _State(e.ref, exported, certain)
            if scope == "universal":
                self.univ = new
            else:
                self.glob = new
        return status

    @property
    def visible(self) -> _State | None:
        return self.glob if self.glob is not None else self.univ


# --- the other sources ----------------------------------------------------------------------------


def _key_file_sources(scan: _Scan) -> None:
    """The SDK's key file (DASHSCOPE_API_KEY_FILE_PATH or ~/.dashscope/api_key) and its mode."""
    ctx = scan.ctx
    path = default_key_file(ctx)
    via_env = bool(ctx.env.get(KEY_FILE_VAR, "").strip())
    default = ctx.home / ".dashscope" / "api_key"
    if via_env and not path.exists():
        scan.warnings.append(Msg("status.warn.key_file_path_missing", {"path": str(path)}))
    for p in [path, default] if via_env and default != path else [path]:
        shadowed = p != path
        warnings: list[Msg] = []
        if shadowed:
            warnings.append(Msg("status.warn.key_file_shadowed", {"path": str(p), "env_path": str(path)}))
        value = _inspect_key_file(ctx, p, warnings)
        if value is None and not warnings:
            continue
        if value is None and shadowed and len(warnings) == 1:
            continue
        scan.add(
            Source(
                f"key-file:{p}",
                "key-file",
                str(p),
                key=KeyInfo.of(value) if value else None,
                scope="shadowed" if shadowed else None,
                warnings=tuple(warnings),
            ),
            _Val(value) if value else None,
        )


def _inspect_key_file(ctx: Context, p: Path, warnings: list[Msg]) -> str | None:
    """The key as the SDK reads it (whole file, stripped); problems go to `warnings`."""
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            warnings.append(Msg("status.warn.key_file_dir", {"path": str(p)}))
            return None
        with p.open("rb") as fh:
            data = fh.read(64 * 1024)
    except FileNotFoundError:
        return None
    except OSError as exc:
        warnings.append(
            Msg("status.warn.key_file_unreadable", {"path": str(p), "reason": exc.strerror or ""})
        )
        return None
    if ctx.os_name != "windows" and st.st_mode & 0o077:
        warnings.append(
            Msg("status.warn.key_file_mode", {"path": str(p), "mode": f"{st.st_mode & 0o777:04o}"})
        )
    text = data.decode("utf-8", "replace")
    value = text.strip()
    if not value:
        warnings.append(Msg("status.warn.key_file_empty", {"path": str(p)}))
        return None
    if any(ch.isspace() for ch in value):
        warnings.append(Msg("status.warn.key_file_lines", {"path": str(p)}))
    elif text.split("\n", 1)[0] != value:
        warnings.append(Msg("status.warn.key_file_whitespace", {"path": str(p)}))
    return value


_DOTENV = re.compile(r"^\s*(?:export\s+)?DASHSCOPE_API_KEY\s*=\s*(?P<v>.*?)\s*$")


def _dotenv_source(scan: _Scan) -> None:
    path = scan.ctx.cwd / ".env"
    text = scan.read(path)
    if text is None:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        m = _DOTENV.match(line.rstrip("\r"))
        if m is None:
            continue
        raw = m.group("v")
        dynamic = False
        if raw[:1] in ("'", '"') and raw.find(raw[0], 1) > 0:
            value = raw[1 : raw.find(raw[0], 1)]
            dynamic = raw[0] == '"' and "${" in value
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
            dynamic = "${" in value
        warn = (Msg("status.warn.dotenv", {"path": str(path), "line": number}),)
        val = _Val(None if dynamic else value, dynamic=dynamic)
        scan.add(
            Source(
                f"dotenv:{path}:{number}",
                "dotenv",
                str(path),
                number,
                key=KeyInfo.of(value) if value and not dynamic else None,
                dynamic=dynamic,
                warnings=warn,
            ),
            val,
        )


def _fish_universal(scan: _Scan) -> tuple[str, bool] | None:
    path = _fish_dir(scan.ctx) / "fish_variables"
    text = scan.read(path)
    if text is None:
        return None
    found: tuple[str, bool] | None = None
    for number, name, value, exported in shellparse.fish_universal(text):
        if name != KEY_VAR:
            continue
        warn = (Msg("status.warn.fish_universal", {"path": str(path)}),)
        ref = scan.add(
            Source(
                f"fish-universal:{path}:{number}",
                "fish-universal",
                str(path),
                number,
                "fish",
                key=KeyInfo.of(value) if value else None,
                exported=exported,
                scope="universal",
                warnings=warn,
            ),
            _Val(value),
        )
        found = (ref, exported)
    return found


# --- putting it together ------------------------------------------------------------------------


def _installed(ctx: Context, shell: str) -> bool:
    if shell == "powershell":
        return bool(ctx.which("pwsh") or ctx.which("powershell"))
    return any(ctx.which(b) for b in _BINARIES[shell])


def _simulate(scan: _Scan, sc: Scenario, universal: tuple[str, bool] | None) -> Winner:
    ctx = scan.ctx
    h = ctx.home
    installed = _installed(ctx, sc.shell)
    if sc.shell == "fish":
        fsim = _FishSim(scan, sc, universal)
        try:
            for p in [*_fish_conf_d(ctx), _fish_dir(ctx) / "config.fish"]:
                fsim.run_file(p)
        except _Exit:
            pass
        return _winner(scan, sc, fsim.visible, fsim.files, installed)
    if sc.shell == "powershell":
        return _simulate_ps(scan, sc, installed)
    sim = _PosixSim(scan, sc)
    files: list[Path] = []
    if sc.shell == "bash":
        if sc.login:
            files = [
                next(
                    (
                        p
                        for p in (h / ".bash_profile", h / ".bash_login", h / ".profile")
                        if p.is_file() and os.access(p, os.R_OK)
                    ),
                    h / ".profile",
                )
            ]
        elif sc.interactive:
            files = [h / ".bashrc"]
    elif sc.shell == "sh":
        files = [h / ".profile"] if sc.login else []
    else:
        first, zdot = scan.zsh_dirs()
        files = [first / ".zshenv"]
        if sc.login:
            files.append(zdot / ".zprofile")
        if sc.interactive:
            files.append(zdot / ".zshrc")
        if sc.login:
            files.append(zdot / ".zlogin")
    try:
        for p in files:
            sim.run_file(p)
    except _Exit:
        pass
    return _winner(scan, sc, sim.state if sim.state.ref else None, sim.files, installed)


def _simulate_ps(scan: _Scan, sc: Scenario, installed: bool) -> Winner:
    env = scan.ctx.env
    state = _State("env:" + KEY_VAR, True) if env.get(KEY_VAR) else None
    files: list[str] = []
    for d in _ps_dirs(scan.ctx):
        for name in _PS_NAMES:
            p = d / name
            stmts = _analyze(scan, p, "powershell")
            if stmts is None:
                continue
            files.append(str(p))
            for st in stmts:
                if st.in_function:
                    continue
                e = st.eff
                if e.ref is not None:
                    scan.executed.setdefault(e.ref, set()).add(sc.name)
                v = scan.values.get(e.ref or "")
                if e.op == "unset":
                    state = None
                elif e.scope != "persistent" and not (e.requires_file and v is not None and v.missing_file):
                    state = _State(e.ref, True, st.certain)
        if scan.ctx.os_name != "windows":
            break
    return _winner(scan, sc, state, files, installed)


def _winner(scan: _Scan, sc: Scenario, state: _State | None, files: list[str], installed: bool) -> Winner:
    if state is None or state.ref is None:
        return Winner(sc.name, None, None, False, False, True, tuple(files), installed)
    src = scan.sources.get(state.ref)
    key = src.key if src else None
    dynamic = src is not None and src.dynamic and key is None
    return Winner(sc.name, state.ref, key, dynamic, state.exported, state.certain, tuple(files), installed)


def scan(
    ctx: Context,
    *,
    keyring_reader: KeyringReader | None = None,
    registry_reader: RegistryReader | None = None,
) -> StatusReport:
    """Every place a key is defined, masked; the winner per kind of new shell; the conflicts."""
    keyring_value: str | None = None
    pre_warnings: list[Msg] = []
    if keyring_reader is not None:
        try:
            keyring_value = keyring_reader()
        except Exception as exc:  # a third-party keyring backend must not break `status`
            pre_warnings.append(Msg("status.warn.keyring_error", {"error": type(exc).__name__}))
    s = _Scan(ctx, keyring_value, keyring_reader is not None)
    s.warnings.extend(pre_warnings)

    env_key = ctx.env.get(KEY_VAR)
    if env_key:
        s.add(Source("env:" + KEY_VAR, "env", key=KeyInfo.of(env_key), exported=True), _Val(env_key))
    if keyring_value:
        s.add(Source("keyring", "keyring", key=KeyInfo.of(keyring_value)), _Val(keyring_value))
    _key_file_sources(s)
    universal = _fish_universal(s)
    if registry_reader is not None:
        for scope in ("user", "machine"):
            try:
                value = registry_reader(scope)
            except Exception as exc:  # the registry is read best-effort, like the keyring
                s.warnings.append(
                    Msg("status.warn.registry_error", {"scope": scope, "error": type(exc).__name__})
                )
                continue
            if value:
                s.add(
                    Source(f"registry:{scope}", "registry", key=KeyInfo.of(value), scope=scope), _Val(value)
                )

    winners: dict[str, Winner] = {}
    for sc in SCENARIOS:
        winners[sc.name] = _simulate(s, sc, universal)
    if registry_reader is not None:
        ref = "registry:user" if "registry:user" in s.sources else "registry:machine"
        src = s.sources.get(ref)
        winners["windows"] = Winner(
            "windows",
            source=src.ref if src else None,
            key=src.key if src else None,
            dynamic=False,
            exported=src is not None,
            certain=True,
            files=(),
            installed=ctx.os_name == "windows",
        )
    winners["sdk"] = _sdk_winner(s)
    for path, family in startup_files(ctx, s.zsh_dirs()):
        _analyze(s, path, family)
    _dotenv_source(s)

    sources = tuple(
        replace(
            src, read_by=tuple(n for n in (sc.name for sc in SCENARIOS) if n in s.executed.get(ref, set()))
        )
        for ref, src in s.sources.items()
    )
    return StatusReport(
        sources=sources,
        winners=winners,
        conflicts=_conflicts(sources),
        warnings=tuple(s.warnings) + _overall_warnings(sources, winners),
        env={k: ctx.env[k] for k in BASE_URL_VARS if ctx.env.get(k)},
        key_file=str(default_key_file(ctx)),
    )


def _sdk_winner(s: _Scan) -> Winner:
    """A program started now from this environment, in the official SDK's order (facts/dashscope.md §5)."""
    for ref in ["env:" + KEY_VAR, f"key-file:{default_key_file(s.ctx)}"]:
        src = s.sources.get(ref)
        if src is not None and src.key is not None:
            return Winner("sdk", ref, src.key, False, True, True, (), True)
    return Winner("sdk", None, None, False, False, True, (), True)


def _conflicts(sources: tuple[Source, ...]) -> tuple[Conflict, ...]:
    groups: dict[str, list[Source]] = {}
    for src in sources:
        if src.key is not None and src.kind not in ("literal", "disabled") and src.scope != "shadowed":
            groups.setdefault(src.key.fingerprint, []).append(src)
    if len(groups) < 2:
        return ()
    return tuple(Conflict(g[0].key, tuple(x.ref for x in g)) for g in groups.values() if g[0].key)


def _overall_warnings(sources: tuple[Source, ...], winners: dict[str, Winner]) -> tuple[Msg, ...]:
    out: list[Msg] = []
    prints = {w.key.fingerprint for n, w in winners.items() if w.key and w.installed and n != "sdk"}
    if len(prints) > 1:
        out.append(Msg("status.warn.winners_differ", {"count": len(prints)}))
    shell_names = [sc.name for sc in SCENARIOS]
    if any(s.kind == "env" for s in sources) and all(
        winners[n].source in (None, "env:" + KEY_VAR) for n in shell_names if winners[n].installed
    ):
        out.append(Msg("status.warn.env_only", {}))
    unexported: dict[str, list[str]] = {}
    for w in winners.values():
        if w.source and w.installed and not w.exported:
            unexported.setdefault(w.source, []).append(w.scenario)
    for ref, names in unexported.items():
        out.append(Msg("status.warn.not_exported", {"scenarios": ", ".join(names), "source": ref}))
    for src in sources:
        if src.kind in ("assignment", "block", "unset") and not src.read_by and src.path:
            out.append(Msg("status.warn.not_read", {"path": src.path, "line": src.line}))
    if not any(
        s.key is not None or s.dynamic for s in sources if s.kind not in ("unset", "literal", "disabled")
    ):
        out.append(Msg("status.none", {}))
    return tuple(out)
