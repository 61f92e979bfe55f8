"""The sh/bash/zsh command tree, built from the tokens, plus the flat fallback and the walk over it.

`status` follows the tree to see which branch can define the key; text outside the supported subset
raises `ParseError`, and `flat_posix` then gives every simple command in order, structure ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union

from wizard.shellparse.posix_lex import tokenize_posix
from wizard.shellparse.tokens import ParseError, Tok

_REDIRECTS = frozenset({"<", ">", ">>", "<<", "<<-", "<<<", "<&", ">&", "<>", ">|", "&>", "&>>"})


@dataclass
class Simple:
    words: list[Tok]
    redirs: list[tuple[str, Tok]]
    line: int


@dataclass
class Pipeline:
    cmds: list[Node]
    negated: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)
    background: bool = False


@dataclass
class If:
    branches: list[tuple[list[AndOr], list[AndOr]]]
    orelse: list[AndOr] | None


@dataclass
class Case:
    subject: Tok
    items: list[tuple[list[Tok], list[AndOr]]]


@dataclass
class For:
    var: str
    words: list[Tok] | None
    body: list[AndOr]


@dataclass
class Loop:
    cond: list[AndOr]
    body: list[AndOr]


@dataclass
class Group:
    body: list[AndOr]
    subshell: bool = False


@dataclass
class FuncDef:
    name: str
    body: Node


Node = Union[Simple, If, Case, For, Loop, Group, FuncDef]

_RESERVED_END = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}", "in"})


class _PosixParser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def line(self) -> int:
        t = self.peek()
        return t.line if t else (self.toks[-1].line if self.toks else 1)

    def is_word(self, *texts: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "word" and t.text in texts

    def is_op(self, *texts: str) -> bool:
        t = self.peek()
        return t is not None and t.kind == "op" and t.text in texts

    def take(self) -> Tok:
        t = self.peek()
        if t is None:
            raise ParseError(self.line())
        self.i += 1
        return t

    def expect_word(self, text: str) -> None:
        if not self.is_word(text):
            raise ParseError(self.line())
        self.i += 1

    def skip_nl(self) -> None:
        while (t := self.peek()) is not None and t.kind == "nl":
            self.i += 1

    def program(self) -> list[AndOr]:
        body = self.list_until(frozenset(), frozenset())
        if self.peek() is not None:
            raise ParseError(self.line())
        return body

    def list_until(self, words: frozenset[str], ops: frozenset[str]) -> list[AndOr]:
        out: list[AndOr] = []
        while True:
            while (t := self.peek()) is not None and (t.kind == "nl" or (t.kind == "op" and t.text == ";")):
                self.i += 1
            t = self.peek()
            if t is None or (t.kind == "word" and t.text in words) or (t.kind == "op" and t.text in ops):
                return out
            node = self.and_or()
            if self.is_op("&"):
                self.i += 1
                node.background = True
            elif self.is_op(";") or ((t := self.peek()) is not None and t.kind == "nl"):
                self.i += 1
            out.append(node)

    def and_or(self) -> AndOr:
        node = AndOr(self.pipeline())
        while self.is_op("&&", "||"):
            op = self.take().text
            self.skip_nl()
            node.rest.append((op, self.pipeline()))
        return node

    def pipeline(self) -> Pipeline:
        negated = False
        if self.is_word("!"):
            self.i += 1
            negated = True
        cmds = [self.command()]
        while self.is_op("|", "|&"):
            self.i += 1
            self.skip_nl()
            cmds.append(self.command())
        return Pipeline(cmds, negated)

    def command(self) -> Node:
        t = self.peek()
        if t is None:
            raise ParseError(self.line())
        node: Node
        if t.kind == "word" and t.text == "if":
            node = self.if_()
        elif t.kind == "word" and t.text == "case":
            node = self.case()
        elif t.kind == "word" and t.text in ("for", "select", "foreach"):
            node = self.for_()
        elif t.kind == "word" and t.text in ("while", "until"):
            self.i += 1
            cond = self.list_until(frozenset({"do"}), frozenset())
            self.expect_word("do")
            node = Loop(cond, self.list_until(frozenset({"done"}), frozenset()))
            self.expect_word("done")
        elif t.kind == "word" and t.text == "{":
            self.i += 1
            node = Group(self.list_until(frozenset({"}"}), frozenset()))
            self.expect_word("}")
        elif t.kind == "op" and t.text == "(":
            self.i += 1
            node = Group(self.list_until(frozenset(), frozenset({")"})), subshell=True)
            if not self.is_op(")"):
                raise ParseError(self.line())
            self.i += 1
        elif t.kind == "word" and t.text == "function":
            self.i += 1
            name = self.take().text
            if self.is_op("("):
                self.i += 1
                if not self.is_op(")"):
                    raise ParseError(self.line())
                self.i += 1
            self.skip_nl()
            node = FuncDef(name, self.command())
        elif (
            t.kind == "word"
            and (nxt := self.peek(1)) is not None
            and nxt.kind == "op"
            and nxt.text == "("
            and (nxt2 := self.peek(2)) is not None
            and nxt2.kind == "op"
            and nxt2.text == ")"
        ):
            self.i += 3
            self.skip_nl()
            node = FuncDef(t.text, self.command())
        elif t.kind == "word" and t.text in _RESERVED_END:
            raise ParseError(t.line)
        else:
            return self.simple()
        while self.is_op(*_REDIRECTS):
            self.i += 1
            self.take()
        return node

    def if_(self) -> If:
        self.expect_word("if")
        branches: list[tuple[list[AndOr], list[AndOr]]] = []
        stop = frozenset({"elif", "else", "fi"})
        while True:
            cond = self.list_until(frozenset({"then"}), frozenset())
            self.expect_word("then")
            branches.append((cond, self.list_until(stop, frozenset())))
            if self.is_word("elif"):
                self.i += 1
                continue
            break
        orelse = None
        if self.is_word("else"):
            self.i += 1
            orelse = self.list_until(frozenset({"fi"}), frozenset())
        self.expect_word("fi")
        return If(branches, orelse)

    def case(self) -> Case:
        self.expect_word("case")
        subject = self.take()
        self.skip_nl()
        self.expect_word("in")
        items: list[tuple[list[Tok], list[AndOr]]] = []
        while True:
            self.skip_nl()
            if self.is_word("esac"):
                self.i += 1
                return Case(subject, items)
            if self.is_op("("):
                self.i += 1
            patterns = [self.take()]
            while self.is_op("|"):
                self.i += 1
                patterns.append(self.take())
            if not self.is_op(")") or any(p.kind != "word" for p in patterns):
                raise ParseError(self.line())
            self.i += 1
            body = self.list_until(frozenset({"esac"}), frozenset({";;", ";&", ";;&"}))
            if self.is_op(";;", ";&", ";;&"):
                self.i += 1
            items.append((patterns, body))

    def for_(self) -> For:
        self.i += 1
        var_tok = self.take()
        words: list[Tok] | None = None
        if var_tok.kind != "word":
            raise ParseError(var_tok.line)
        self.skip_nl()
        if self.is_word("in"):
            self.i += 1
            words = []
            while (t := self.peek()) is not None and t.kind == "word":
                words.append(t)
                self.i += 1
        while (t := self.peek()) is not None and (t.kind == "nl" or (t.kind == "op" and t.text == ";")):
            self.i += 1
        self.expect_word("do")
        body = self.list_until(frozenset({"done"}), frozenset())
        self.expect_word("done")
        return For(var_tok.text, words, body)

    def simple(self) -> Simple:
        words: list[Tok] = []
        redirs: list[tuple[str, Tok]] = []
        line = self.line()
        while (t := self.peek()) is not None:
            if t.kind == "word":
                words.append(t)
                self.i += 1
            elif t.kind == "op" and t.text in _REDIRECTS:
                self.i += 1
                target = self.peek()
                if target is not None and target.kind == "word":
                    self.i += 1
                    redirs.append((t.text, target))
            else:
                break
        if not words and not redirs:
            raise ParseError(line)
        return Simple(words, redirs, line)


def parse_posix(text: str) -> list[AndOr]:
    return _PosixParser(tokenize_posix(text)).program()


def flat_posix(text: str) -> list[Simple]:
    """The fallback for text outside the subset: every simple command, in order, structure ignored."""
    out: list[Simple] = []
    words: list[Tok] = []
    redirs: list[tuple[str, Tok]] = []
    pending: str | None = None
    for t in tokenize_posix(text):
        if t.kind == "word" and pending is not None:
            redirs.append((pending, t))
            pending = None
        elif t.kind == "word":
            if not words and t.text in ("then", "else", "do", "{", "}", "if", "elif", "while", "until", "!"):
                continue
            words.append(t)
        elif t.kind == "op" and t.text in _REDIRECTS:
            pending = t.text
        else:
            if words or redirs:
                out.append(Simple(words, redirs, words[0].line if words else t.line))
            words, redirs, pending = [], [], None
    if words or redirs:
        out.append(Simple(words, redirs, words[0].line if words else 1))
    return out


def walk_posix(nodes: list[AndOr]) -> Iterator[Simple]:
    """Every simple command in the tree, function bodies included, in source order."""
    for ao in nodes:
        for pipe in [ao.first, *(p for _, p in ao.rest)]:
            for cmd in pipe.cmds:
                yield from _walk_node(cmd)


def _walk_node(node: Node) -> Iterator[Simple]:
    if isinstance(node, Simple):
        yield node
    elif isinstance(node, If):
        for cond, body in node.branches:
            yield from walk_posix(cond)
            yield from walk_posix(body)
        if node.orelse:
            yield from walk_posix(node.orelse)
    elif isinstance(node, Case):
        for _, body in node.items:
            yield from walk_posix(body)
    elif isinstance(node, (For, Group)):
        yield from walk_posix(node.body)
    elif isinstance(node, Loop):
        yield from walk_posix(node.cond)
        yield from walk_posix(node.body)
    else:
        yield from _walk_node(node.body)
