"""The fish start-up simulator: `status is-interactive`/`is-login`, `set -q`, `test`, `source`,
and fish's two scopes for one variable (a global hides a universal of the same name).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

from wizard import shellparse
from wizard.scan.analyze import analyze
from wizard.scan.analyze_fish import FishAnalyzer
from wizard.scan.model import Winner
from wizard.scan.state import MAX_DEPTH, Eff, Exit, Return, Scan, State, winner
from wizard.shellparse import FishCmd, FishNode
from wizard.shells import KEY_VAR, Fish, Scenario, Shell


class FishSim:
    """Runs fish's conf.d files and config.fish in our head, with its global and universal scopes."""

    def __init__(self, scan: Scan, sc: Scenario, shell: Fish, universal: tuple[str, bool] | None) -> None:
        self.scan = scan
        self.sc = sc
        env = scan.ctx.env
        self.glob: State | None = scan.start_state()
        self.univ: State | None = State(universal[0], universal[1]) if universal else None
        self.vars: dict[str, str | None] = {k: v for k, v in env.items() if k != KEY_VAR}
        self.vars["HOME"] = str(scan.ctx.home)
        self.vars["__fish_config_dir"] = str(shell.config_dir(scan.ctx))
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
        if len(self.stack) >= MAX_DEPTH or path in self.stack or not self.scan.followable(path):
            return False
        tree = analyze(self.scan, path, FishAnalyzer)
        if tree is None:
            return False
        self.files.append(str(path))
        self.stack.append(path)
        try:
            if isinstance(tree, tuple):
                self.run_list(list(tree[1]), certain=False)
            else:
                self.run_list(tree, certain)
        except Return:
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
                raise Return if name == "return" else Exit
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

    def apply(self, effects: list[Eff], certain: bool) -> bool | None:
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
            new = State(e.ref, exported, certain)
            if scope == "universal":
                self.univ = new
            else:
                self.glob = new
        return status

    @property
    def visible(self) -> State | None:
        return self.glob if self.glob is not None else self.univ


def simulate(scan: Scan, sc: Scenario, shell: Shell, files: list[Path], installed: bool) -> Winner:
    if not isinstance(shell, Fish):
        raise TypeError(shell)
    sim = FishSim(scan, sc, shell, scan.universal)
    try:
        for p in files:
            sim.run_file(p)
    except Exit:
        pass
    return winner(scan, sc, sim.visible, sim.files, installed)
