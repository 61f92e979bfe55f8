"""What each command of a fish startup file does to the key: `set` with its scope and export
flags, `set -e`, `read < FILE`, `dashscope-setup env | source`.
"""

from __future__ import annotations

from typing import Any

from wizard import shellparse
from wizard.report import Msg
from wizard.scan.analyze import Analyzer
from wizard.scan.state import Eff, Val
from wizard.shellparse import FishCmd, Tok
from wizard.shells import KEY_VAR, Fish


class FishAnalyzer(Analyzer):
    family = Fish.family

    def build(self) -> Any:
        tree: Any
        try:
            tree = shellparse.parse_fish(self.text)
            cmds = list(shellparse.walk_fish(tree))
        except shellparse.ParseError as exc:
            self.scan.warnings.append(Msg("status.warn.unparsed", {"path": str(self.path), "line": exc.line}))
            cmds = shellparse.flat_fish(self.text)
            tree = ("flat", cmds)
        for c in cmds:
            self.scan.effects[id(c)] = self.fish(c)
        return tree

    def fish(self, cmd: FishCmd) -> list[Eff]:
        words = cmd.words
        name = shellparse.literal(shellparse.fish_parts(words[0].text))
        if name == "set":
            return self.fish_set(cmd)
        if name == "read":
            return self.fish_read(cmd)
        if name == "dashscope-setup" and cmd.piped and any(w.text == "env" for w in words):
            ref = self.source(words[0].line, "assignment", self.stored_value(), exported=True, scope="global")
            return [Eff("set", ref, export=True, scope="global")]
        return []

    def fish_scope(self, flags: str, longs: list[str]) -> str:
        if "U" in flags or "--universal" in longs:
            return "universal"
        if "g" in flags or "--global" in longs:
            return "global"
        if "l" in flags or "f" in flags or "--local" in longs or "--function" in longs:
            return "local"
        return "auto"

    def fish_set(self, cmd: FishCmd) -> list[Eff]:
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
            ref = self.source(name_tok.line, "unset", Val(), exported=None, scope=scope)
            return [Eff("unset", ref, scope=scope)]
        if "a" in flags or "p" in flags or "--append" in longs or "--prepend" in longs:
            val = Val(dynamic=True)
        else:
            values = [self.value(shellparse.fish_parts(a.text), fish=True) for a in args[i + 1 :]]
            if not values:
                val = Val("")
            elif len(values) == 1:
                val = values[0]
            elif all(v.value is not None for v in values):
                val = Val(" ".join(v.value or "" for v in values), any(v.dynamic for v in values))
            else:
                val = Val(dynamic=True)
        ref = self.source(name_tok.line, "assignment", val, exported=export, scope=scope)
        return [Eff("set", ref, export=export, scope=scope)]

    def fish_read(self, cmd: FishCmd) -> list[Eff]:
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
        val = Val(dynamic=True) if target is None else self.scan.key_file_value(target, first_line_raw=True)
        ref = self.source(key_tok.line, "assignment", val, exported=export, scope=scope)
        return [Eff("set", ref, export=export, scope=scope, requires_file=target is not None)]
