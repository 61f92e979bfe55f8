"""What each command of a sh/bash/zsh startup file does to the key: assignments, `export`,
`declare -x`, `local`, `unset`, `read < FILE`, `eval "$(dashscope-setup env)"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from wizard import shellparse
from wizard.report import Msg
from wizard.scan.analyze import Analyzer
from wizard.scan.state import Eff, Val
from wizard.shellparse import AndOr, Simple, Tok
from wizard.shells import KEY_VAR, PosixShell


class PosixAnalyzer(Analyzer):
    family = PosixShell.family

    def build(self) -> Any:
        tree: Any
        try:
            tree = shellparse.parse_posix(self.text)
            simples: list[tuple[Simple, bool]] = list(_posix_simples(tree, False))
        except shellparse.ParseError as exc:
            self.scan.warnings.append(Msg("status.warn.unparsed", {"path": str(self.path), "line": exc.line}))
            flat = shellparse.flat_posix(self.text)
            tree = ("flat", flat)
            simples = [(s, False) for s in flat]
        for s, in_fn in simples:
            self.scan.effects[id(s)] = self.posix(s, in_fn)
        return tree

    def posix(self, simple: Simple, in_function: bool) -> list[Eff]:
        words = simple.words
        effs: list[Eff] = []
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
                    effs.append(Eff("export" if export else "unexport"))
        elif cmd == "unset" and "-f" not in [a.text for a in args]:
            for a in args:
                if a.text == KEY_VAR:
                    ref = self.source(a.line, "unset", Val(), exported=None, scope=None)
                    effs.append(Eff("unset", ref))
        elif cmd == "read":
            effs.extend(self.posix_read(simple, idx))
        elif cmd == "eval" and any("dashscope-setup" in a.text and "env" in a.text for a in args):
            ref = self.source(args[0].line, "assignment", self.stored_value(), exported=True, scope=None)
            effs.append(Eff("set", ref, export=True))
        return effs

    def note_literal(self, raw: str) -> None:
        a = shellparse.split_assignment(raw)
        if a is None or a[0] == KEY_VAR:
            return
        self.vals[a[0]] = self.value(shellparse.posix_parts(a[1]))

    def posix_assign(self, w: Tok, *, export: bool | None, local: bool) -> list[Eff]:
        a = shellparse.split_assignment(w.text)
        if a is None or a[0] != KEY_VAR:
            return []
        parts = shellparse.posix_parts(a[1])
        real = [p for p in parts if p.text or p.kind != "lit"]
        if len(real) == 1 and real[0].kind == "var" and real[0].text == KEY_VAR and not real[0].modifier:
            return [Eff("export")] if export else []  # DASHSCOPE_API_KEY=$DASHSCOPE_API_KEY
        val = Val(dynamic=True) if a[2] else self.value(parts)
        ref = self.source(w.line, "assignment", val, exported=export, scope="local" if local else None)
        return [Eff("set", ref, export=export, scope="local" if local else "auto")]

    def posix_read(self, simple: Simple, idx: int) -> list[Eff]:
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
            val = Val(dynamic=True)
        else:
            val = self.scan.key_file_value(target, first_line_raw=True)
            if val.value is not None and not (ifs_empty and raw_mode):
                val = replace(val, value=val.value.strip(" \t"))
            if len(names) > 1 and val.value is not None:
                val = replace(val, value=None)
        ref = self.source(key_tok.line, "assignment", val, exported=None, scope=None)
        return [Eff("set", ref, requires_file=target is not None)]


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
