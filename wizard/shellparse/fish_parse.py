"""The fish command tree, built from the tokens, plus the flat fallback and the walk over it.

fish joins jobs with `and`/`or` as commands as well as `&&`/`||`, so each node records the conjunction
that decides whether it runs; text outside the supported subset raises `ParseError`, and `flat_fish`
then gives every command in order, structure ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union

from wizard.shellparse.fish_lex import tokenize_fish
from wizard.shellparse.tokens import ParseError, Tok


@dataclass
class FishCmd:
    words: list[Tok]
    redirs: list[tuple[str, Tok]]
    line: int
    conj: str = ""  # "" | and | or (from `and`/`or`/`&&`/`||`)
    negated: bool = False
    piped: bool = False  # part of a pipeline (runs in this shell in fish, but reads no file)


@dataclass
class FishIf:
    branches: list[tuple[list[FishNode], list[FishNode]]]
    orelse: list[FishNode] | None
    conj: str = ""


@dataclass
class FishBlock:
    kind: str  # begin | for | while | function | switch
    head: list[Tok]
    body: list[FishNode]
    cases: list[tuple[list[Tok], list[FishNode]]] = field(default_factory=list)
    conj: str = ""


FishNode = Union[FishCmd, FishIf, FishBlock]

_FISH_REDIRECTS = frozenset({"<", ">", ">>", ">?", ">&", "<&", "&>"})


class _FishParser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def line(self) -> int:
        t = self.peek()
        return t.line if t else (self.toks[-1].line if self.toks else 1)

    def is_word(self, *texts: str) -> bool:
        t = self.peek()
        return t is not None and t.kind == "word" and t.text in texts

    def skip_seps(self) -> None:
        while (t := self.peek()) is not None and (t.kind == "nl" or (t.kind == "op" and t.text == ";")):
            self.i += 1

    def end_stmt(self) -> None:
        t = self.peek()
        if t is not None and (t.kind == "nl" or (t.kind == "op" and t.text in (";", "&"))):
            self.i += 1

    def program(self) -> list[FishNode]:
        body = self.job_list(frozenset())
        if self.peek() is not None:
            raise ParseError(self.line())
        return body

    def job_list(self, stop: frozenset[str]) -> list[FishNode]:
        out: list[FishNode] = []
        conj = ""
        while True:
            self.skip_seps()
            t = self.peek()
            if t is None or (t.kind == "word" and t.text in stop):
                return out
            node = self.statement(conj)
            out.append(node)
            conj = ""
            t = self.peek()
            if t is not None and t.kind == "op" and t.text in ("&&", "||"):
                conj = "and" if t.text == "&&" else "or"
                self.i += 1
                self.skip_seps()
            else:
                self.end_stmt()

    def statement(self, conj: str) -> FishNode:
        negated = False
        while self.is_word("and", "or", "not", "!", "command", "builtin"):
            w = self.toks[self.i].text
            self.i += 1
            if w in ("and", "or"):
                conj = w
            elif w in ("not", "!"):
                negated = not negated
            elif w in ("command", "builtin") and not self.is_word("-q", "-s", "--query", "--search"):
                continue
            else:
                self.i -= 1
                break
        t = self.peek()
        if t is None:
            raise ParseError(self.line())
        if t.kind == "word" and t.text == "if":
            node: FishNode = self.if_()
            node.conj = conj
            return node
        if t.kind == "word" and t.text in ("begin", "for", "while", "function", "switch"):
            block = self.block()
            block.conj = conj
            return block
        if t.kind == "word" and t.text in ("end", "else", "case"):
            raise ParseError(t.line)
        cmd = self.simple()
        cmd.conj = conj
        cmd.negated = negated
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "|":
            self.i += 1
            self.skip_seps()
            cmd.piped = True
            self.statement("")
        return cmd

    def head(self) -> list[Tok]:
        out: list[Tok] = []
        while (t := self.peek()) is not None and t.kind == "word":
            out.append(t)
            self.i += 1
        return out

    def cond(self) -> list[FishNode]:
        """An if/while condition: one job, plus `and`/`or` jobs that follow it."""
        nodes: list[FishNode] = [self.statement("")]
        while True:
            t = self.peek()
            if t is not None and t.kind == "op" and t.text in ("&&", "||"):
                self.i += 1
                self.skip_seps()
                nodes.append(self.statement("and" if t.text == "&&" else "or"))
                continue
            save = self.i
            self.end_stmt()
            self.skip_seps()
            if self.is_word("and", "or"):
                nodes.append(self.statement(""))
                continue
            self.i = save
            self.end_stmt()
            return nodes

    def if_(self) -> FishIf:
        self.i += 1
        branches: list[tuple[list[FishNode], list[FishNode]]] = []
        stop = frozenset({"else", "end"})
        cond = self.cond()
        branches.append((cond, self.job_list(stop)))
        orelse: list[FishNode] | None = None
        while self.is_word("else"):
            self.i += 1
            if self.is_word("if"):
                self.i += 1
                cond = self.cond()
                branches.append((cond, self.job_list(stop)))
                continue
            orelse = self.job_list(frozenset({"end"}))
            break
        self.expect_end()
        return FishIf(branches, orelse)

    def expect_end(self) -> None:
        """`end`, with redirections or a pipe into further commands (`end | string …`)."""
        if not self.is_word("end"):
            raise ParseError(self.line())
        self.i += 1
        while (t := self.peek()) is not None and t.kind == "op" and t.text in _FISH_REDIRECTS:
            self.i += 1
            self.i += 1 if self.peek() is not None else 0
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "|":
            self.i += 1
            self.skip_seps()
            self.statement("")

    def block(self) -> FishBlock:
        kind = self.toks[self.i].text
        self.i += 1
        if kind == "while":
            self.cond()  # a full job (`while count $x >/dev/null`, `while a || b`); never decided
            head: list[Tok] = []
        else:
            head = self.head()
            while (t := self.peek()) is not None and t.kind == "op" and t.text in _FISH_REDIRECTS:
                self.i += 2
            self.end_stmt()
        if kind == "switch":
            cases: list[tuple[list[Tok], list[FishNode]]] = []
            self.skip_seps()
            while self.is_word("case"):
                self.i += 1
                pats = self.head()
                self.end_stmt()
                cases.append((pats, self.job_list(frozenset({"case", "end"}))))
            self.expect_end()
            return FishBlock(kind, head, [], cases)
        body = self.job_list(frozenset({"end"}))
        self.expect_end()
        return FishBlock(kind, head, body)

    def simple(self) -> FishCmd:
        words: list[Tok] = []
        redirs: list[tuple[str, Tok]] = []
        line = self.line()
        while (t := self.peek()) is not None:
            if t.kind == "word":
                words.append(t)
                self.i += 1
            elif t.kind == "op" and t.text in _FISH_REDIRECTS:
                self.i += 1
                target = self.peek()
                if target is not None and target.kind == "word":
                    self.i += 1
                    redirs.append((t.text, target))
            else:
                break
        if not words:
            raise ParseError(line)
        return FishCmd(words, redirs, line)


def parse_fish(text: str) -> list[FishNode]:
    return _FishParser(tokenize_fish(text)).program()


def flat_fish(text: str) -> list[FishCmd]:
    out: list[FishCmd] = []
    words: list[Tok] = []
    for t in tokenize_fish(text):
        if t.kind == "word":
            if not words and t.text in ("and", "or", "not", "begin", "end", "else", "if"):
                continue
            words.append(t)
        elif words:
            out.append(FishCmd(words, [], words[0].line))
            words = []
    if words:
        out.append(FishCmd(words, [], words[0].line))
    return out


def walk_fish(nodes: list[FishNode]) -> Iterator[FishCmd]:
    for node in nodes:
        if isinstance(node, FishCmd):
            yield node
        elif isinstance(node, FishIf):
            for cond, body in node.branches:
                yield from walk_fish(cond)
                yield from walk_fish(body)
            if node.orelse:
                yield from walk_fish(node.orelse)
        else:
            yield from walk_fish(node.body)
            for _, body in node.cases:
                yield from walk_fish(body)
