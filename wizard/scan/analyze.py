"""Which commands of a startup file touch DASHSCOPE_API_KEY: each file is parsed once, every
definition found becomes a Source, and each command's effect on the key is kept for the simulators.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from wizard import block, shellparse, shells, stores
from wizard.errors import SetupError
from wizard.report import Msg
from wizard.scan.model import KeyInfo, Source
from wizard.scan.state import Scan, Val
from wizard.shellparse import Part
from wizard.shells import KEY_VAR, Fish
from wizard.stores import default_key_file

DISABLED_MARK = "# disabled by dashscope-setup: "
_KEY_LIKE = re.compile(r"sk-[A-Za-z0-9._-]{16,}")


def block_lines(text: str, family: str) -> tuple[list[tuple[int, int]], bool, list[int]]:
    """Line ranges (1-based, inclusive) of our blocks; False when a block is damaged; the first
    lines of blocks changed by hand since we wrote them."""
    try:
        spans = block.find_blocks(text, shells.for_family(family).comment_lines(text))
    except SetupError:
        return [], False, []
    ranges = [(text.count("\n", 0, s) + 1, text.count("\n", 0, e - 1) + 1) for s, e in spans]
    return ranges, True, block.edited_at(text, spans)


def in_block(blocks: list[tuple[int, int]], line: int) -> tuple[int, int] | None:
    return next((b for b in blocks if b[0] <= line <= b[1]), None)


KEYRING_CMD = re.compile(r"\b(secret-tool\s+lookup|keyring\s+get|find-generic-password|Get-Secret)\b")
_CAT = re.compile(r"^\s*(?:(?:cat|head\s+-n\s*1|head\s+-1)\s+|<\s*)(\S+)\s*$")


class Analyzer:
    """Turns one file's commands into Sources and per-command effects. One subclass per syntax
    family says how its commands are parsed and what each does to the key."""

    family: ClassVar[str]  # posix | fish | powershell: the `shell` of the Sources found

    def __init__(self, scan: Scan, path: Path, text: str) -> None:
        self.scan = scan
        self.path = path
        self.text = text
        self.blocks, ok, edited = block_lines(text, self.family)
        if not ok:
            scan.warnings.append(Msg("status.warn.damaged_block", {"path": str(path)}))
        for line in edited:
            scan.warnings.append(Msg("status.warn.edited_block", {"path": str(path), "line": line}))
        # Values of the file's other variables, so `K=$(secret-tool …); DASHSCOPE_API_KEY=$K` resolves.
        self.vals: dict[str, Val] = {}
        self.lines_with_sources: set[int] = set()

    def source(self, line: int, kind: str, val: Val, *, exported: bool | None, scope: str | None) -> str:
        block = in_block(self.blocks, line)
        warnings: list[Msg] = []
        store = None
        key_file = val.via[5:] if val.via and val.via.startswith("file:") else None
        if block is not None and kind != "unset":
            kind = "block"
            store = (
                stores.KEYRING if val.via == stores.KEYRING else (stores.FILE if key_file else stores.INLINE)
            )
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

    def value(self, parts: list[Part], *, fish: bool = False) -> Val:
        lit = shellparse.literal(parts)
        if lit is not None:
            return Val(lit)
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
                    return Val(dynamic=True)
                out.append(v)
            return Val("".join(out), dynamic=True)
        return Val(dynamic=True)

    def var_value(self, name: str) -> str | None:
        if name in self.vals:
            return self.vals[name].value
        return self.scan.ctx.env.get(name) if name != KEY_VAR else None

    def command_value(self, cmd: str, *, fish: bool) -> Val:
        if KEYRING_CMD.search(cmd):
            if not self.scan.keyring_tried:
                return Val(dynamic=True, via=stores.KEYRING)
            return Val(self.scan.keyring_value, dynamic=True, via=stores.KEYRING)
        m = _CAT.match(cmd)
        if m:
            parts = shellparse.fish_parts(m.group(1)) if fish else shellparse.posix_parts(m.group(1))
            target = self.path_of(parts)
            if target is not None:
                v = self.scan.key_file_value(target, first_line_raw=cmd.lstrip().startswith("head"))
                if v.value is not None and not cmd.lstrip().startswith("head"):
                    v = replace(v, value=v.value.rstrip("\n"))
                return v
        return Val(dynamic=True)

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
                    v = str(Fish().config_dir(self.scan.ctx))
                if v is None:
                    return None
                out.append(v)
            else:
                return None
        return self.scan.expand_home("".join(out)) if out else None

    def stored_value(self) -> Val:
        """`eval "$(dashscope-setup env)"`: the key from our own store."""
        recorded = self.scan.recorded
        if recorded.kind == stores.KEYRING:
            return Val(self.scan.keyring_value, dynamic=True, via=stores.KEYRING)
        path = Path(recorded.key_file) if recorded.key_file else default_key_file(self.scan.ctx)
        return self.scan.key_file_value(path, first_line_raw=False)

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

    def build(self) -> Any:
        """Parse the file, record each command's effects in `scan.effects`; the tree to run."""
        raise NotImplementedError


def analyze(scan: Scan, path: Path, kind: type[Analyzer]) -> Any:
    """Parse a startup file once; record its Sources and each command's effects on the key."""
    # Per kind too: fish may `source ~/.profile`, which bash also reads, and each parses it its own way.
    real = (Path(os.path.realpath(path)), kind)
    if real in scan.trees:
        return scan.trees[real]
    text = scan.read(path)
    if text is None:
        scan.trees[real] = None
        return None
    az = kind(scan, path, text)
    tree = az.build()
    az.literal_mentions()
    scan.trees[real] = tree
    return tree
