"""Runs a sh/bash/zsh shell's startup files in our head: the read order of the files, `.`/`source`
of other files, early `return` guards such as Debian's "If not running interactively, don't do
anything", `if`/`case` on `$-`, `$PS1`, `$BASH_VERSION`, `[ -f FILE ]`, and the order of lines. A
condition it cannot decide is assumed true for an assignment and false for a `return`, and the
result is then marked uncertain.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path

from wizard import shellparse
from wizard.scan.analyze import analyze
from wizard.scan.analyze_posix import PosixAnalyzer
from wizard.scan.model import Winner
from wizard.scan.state import MAX_DEPTH, Eff, Exit, Return, Scan, State, winner
from wizard.shellparse import AndOr, Simple
from wizard.shells import KEY_VAR, PosixShell, Scenario, Shell


class PosixSim:
    """Runs a POSIX-family shell's startup files in our head, tracking only what matters."""

    def __init__(self, scan: Scan, sc: Scenario, shell: PosixShell) -> None:
        self.scan = scan
        self.sc = sc
        self.shell = shell
        self.special = shell.startup_vars(sc)
        env = scan.ctx.env
        self.vars: dict[str, str | None] = {k: v for k, v in env.items() if k != KEY_VAR}
        self.vars["HOME"] = str(scan.ctx.home)
        self.state = scan.start_state() or State(None, False)
        self.allexport = False
        self.files: list[str] = []
        self.functions: dict[str, shellparse.Node] = {}
        self.stack: list[Path] = []
        self.fn_depth = 0

    # expansion

    def var(self, name: str) -> str | None:
        if name in self.special:
            return self.special[name]
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
        if len(self.stack) >= MAX_DEPTH or path in self.stack or not self.scan.followable(path):
            return False
        tree = analyze(self.scan, path, PosixAnalyzer)
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
        except Return:
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
        if len(pipe.cmds) > 1 and not self.shell.pipeline_last_in_shell:
            return None  # every part of the pipeline runs in a subshell
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
            raise Exit if cmd == "exit" and self.fn_depth == 0 else Return
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
            except Return:
                return True
            finally:
                self.fn_depth -= 1
        return None

    def assign_vars(self, raws: Iterator[str] | list[str]) -> None:
        for raw in raws:
            kv = shellparse.split_assignment(raw)
            if kv and kv[0] != KEY_VAR:
                self.vars[kv[0]] = self.expand(kv[1])

    def apply(self, effects: list[Eff], certain: bool) -> bool | None:
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
                self.state = State(e.ref, exported, certain)
            elif e.op == "unset":
                self.state = State(None, False, certain)
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


def simulate(scan: Scan, sc: Scenario, shell: Shell, files: list[Path], installed: bool) -> Winner:
    if not isinstance(shell, PosixShell):
        raise TypeError(shell)
    sim = PosixSim(scan, sc, shell)
    try:
        for p in files:
            sim.run_file(p)
    except Exit:
        pass
    return winner(scan, sc, sim.state if sim.state.ref else None, sim.files, installed)
