"""Just enough of sh/bash/zsh and fish syntax to follow a startup file the way the shell does.

Pure functions over text: no I/O. `status` uses the trees to predict which line ends up defining
DASHSCOPE_API_KEY; `migrate` uses them to find the lines to disable. Words keep their raw text
(quotes included); `posix_parts` / `fish_parts` split a word into literal and expanded pieces.

Anything outside the supported subset raises `ParseError`, which carries a line number only: the
text it failed on may be a secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union


class ParseError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(f"cannot follow the shell syntax at line {line}")
        self.line = line


@dataclass(frozen=True)
class Tok:
    kind: str  # word | op | nl
    text: str = field(repr=False)
    line: int


# --- scanning helpers shared by both lexers ---------------------------------------------------


def _skip_single(text: str, i: int, escapes: bool) -> int:
    """i is at the opening quote; returns the index after the closing one (or len(text))."""
    i += 1
    n = len(text)
    while i < n:
        ch = text[i]
        if escapes and ch == "\\":
            i += 2
            continue
        if ch == "'":
            return i + 1
        i += 1
    return n


def _skip_double(text: str, i: int) -> int:
    i += 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == '"':
            return i + 1
        elif ch == "$" and i + 1 < n and text[i + 1] in "({":
            i = _skip_balanced(text, i + 1)
        elif ch == "`":
            i = _skip_backtick(text, i)
        else:
            i += 1
    return n


def _skip_backtick(text: str, i: int) -> int:
    i += 1
    n = len(text)
    while i < n:
        if text[i] == "\\":
            i += 2
        elif text[i] == "`":
            return i + 1
        else:
            i += 1
    return n


_PAIRS = {"(": ")", "{": "}"}


def _skip_balanced(text: str, i: int, *, fish: bool = False) -> int:
    """i is at '(' or '{'; returns the index after the matching close, quotes respected
    (fish allows \\' inside single quotes, sh does not)."""
    opener = text[i]
    closer = _PAIRS[opener]
    depth = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "'":
            i = _skip_single(text, i, escapes=fish)
            continue
        if ch == '"':
            i = _skip_double(text, i)
            continue
        if ch == "`" and not fish:
            i = _skip_backtick(text, i)
            continue
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


# --- POSIX-family lexer ------------------------------------------------------------------------

_REDIRECTS = frozenset({"<", ">", ">>", "<<", "<<-", "<<<", "<&", ">&", "<>", ">|", "&>", "&>>"})


def _unquote_delim(raw: str) -> str:
    return raw.replace("'", "").replace('"', "").replace("\\", "")


def tokenize_posix(text: str) -> list[Tok]:
    """Words, operators and newlines, each with the line it starts on. Here-documents are skipped."""
    toks: list[Tok] = []
    buf: list[str] = []
    buf_line = 1
    line = 1
    i = 0
    n = len(text)
    dbracket = False
    expect_delim = False
    heredocs: list[tuple[str, bool]] = []

    def flush() -> None:
        nonlocal dbracket, expect_delim
        if not buf:
            return
        raw = "".join(buf)
        buf.clear()
        toks.append(Tok("word", raw, buf_line))
        if expect_delim:
            heredocs[-1] = (_unquote_delim(raw), heredocs[-1][1])
            expect_delim = False
        if raw == "[[":
            dbracket = True
        elif raw == "]]":
            dbracket = False

    def add(s: str) -> None:
        nonlocal buf_line
        if not buf:
            buf_line = line
        buf.append(s)

    def op(s: str) -> None:
        flush()
        toks.append(Tok("op", s, line))

    while i < n:
        ch = text[i]
        if ch in " \t":  # not \r: sh, bash and zsh keep a CR as part of the word (CRLF files break)
            flush()
            i += 1
        elif ch == "\n":
            flush()
            toks.append(Tok("nl", "\n", line))
            line += 1
            i += 1
            for delim, strip_tabs in heredocs:
                while i < n:
                    end = text.find("\n", i)
                    end = n if end < 0 else end
                    body_line = text[i:end].rstrip("\r")
                    i = end + 1
                    line += 1
                    if (body_line.lstrip("\t") if strip_tabs else body_line) == delim:
                        break
            heredocs.clear()
        elif ch == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                line += 1
                i += 2
            else:
                add(text[i : i + 2])
                i += 2
        elif ch == "#" and not buf:
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch in "'\"`$" or (ch == "(" and buf):
            start = i
            if ch == "'":
                i = _skip_single(text, i, escapes=False)
            elif ch == '"':
                i = _skip_double(text, i)
            elif ch == "`":
                i = _skip_backtick(text, i)
            elif ch == "(":
                if i + 1 < n and text[i + 1] == ")" and not "".join(buf).endswith("="):
                    op("(")  # name() — a function definition
                    i += 1
                    continue
                i = _skip_balanced(text, i)  # NAME=(array), a zsh glob qualifier or a bash extglob
            elif i + 1 < n and text[i + 1] in "({":
                i = _skip_balanced(text, i + 1)
            elif i + 1 < n and text[i + 1] == "'":
                i = _skip_single(text, i + 1, escapes=True)
            elif i + 1 < n and text[i + 1] == '"':
                i = _skip_double(text, i + 1)
            else:
                i += 1
            add(text[start:i])
            line += text.count("\n", start, i)
        elif dbracket and ch not in ";":
            add(ch)
            i += 1
        elif ch == "(":
            if i + 1 < n and text[i + 1] == "(":
                start = i
                i = _skip_balanced(text, i)
                add(text[start:i])
                line += text.count("\n", start, i)
            else:
                op("(")
                i += 1
        elif ch == ")":
            op(")")
            i += 1
        elif ch == ";":
            if text.startswith(";;&", i):
                op(";;&")
                i += 3
            elif text.startswith(";;", i) or text.startswith(";&", i):
                op(text[i : i + 2])
                i += 2
            else:
                op(";")
                i += 1
        elif ch == "&":
            for s in ("&&", "&>>", "&>", "&"):
                if text.startswith(s, i):
                    op(s)
                    i += len(s)
                    break
        elif ch == "|":
            s = text[i : i + 2] if text[i : i + 2] in ("||", "|&") else "|"
            op(s)
            i += len(s)
        elif ch in "<>":
            if i + 1 < n and text[i + 1] == "(":
                flush()
                start = i
                i = _skip_balanced(text, i + 1)
                add(text[start:i])
                line += text.count("\n", start, i)
                continue
            if buf and "".join(buf).isdigit():
                buf.clear()  # a file descriptor number (2>/dev/null)
            for s in ("<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"):
                if text.startswith(s, i):
                    op(s)
                    i += len(s)
                    if s in ("<<", "<<-"):
                        heredocs.append(("", s == "<<-"))
                        expect_delim = True
                    break
        else:
            add(ch)
            i += 1
    flush()
    return toks


# --- POSIX-family tree -------------------------------------------------------------------------


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
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


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


# --- POSIX words ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A piece of a word: literal text (quoted or not), a variable, or a command substitution."""

    kind: str  # lit | var | cmd
    text: str = field(repr=False)  # literal text, variable name, or the command's source
    quoted: bool = False
    modifier: str = field(default="", repr=False)  # ${NAME<modifier>}


_ANSI = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
}


def _ansi_c(body: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in _ANSI:
            out.append(_ANSI[nxt])
            i += 2
        elif nxt == "x" and (m := re.match(r"[0-9A-Fa-f]{1,2}", body[i + 2 :])):
            out.append(chr(int(m.group(), 16)))
            i += 2 + len(m.group())
        elif nxt in "01234567" and (m := re.match(r"[0-7]{1,3}", body[i + 1 :])):
            out.append(chr(int(m.group(), 8)))
            i += 1 + len(m.group())
        else:
            out.append(nxt)
            i += 2
    return "".join(out)


def _dollar(raw: str, i: int, quoted: bool, out: list[Part]) -> int:
    """raw[i] == '$'; appends the expansion and returns the index after it."""
    n = len(raw)
    if i + 1 >= n:
        out.append(Part("lit", "$", quoted))
        return i + 1
    nxt = raw[i + 1]
    if nxt == "(":
        end = _skip_balanced(raw, i + 1)
        inner = raw[i + 2 : end - 1]
        if inner.startswith("(") and inner.endswith(")"):
            out.append(Part("cmd", "", quoted))  # arithmetic: never a key
        else:
            out.append(Part("cmd", inner, quoted))
        return end
    if nxt == "{":
        end = _skip_balanced(raw, i + 1)
        inner = raw[i + 2 : end - 1]
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*|[-?#@*!$0-9]", inner)
        if m is None:
            out.append(Part("var", "", quoted, inner))
        else:
            out.append(Part("var", m.group(), quoted, inner[m.end() :]))
        return end
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*|[-?#@*!$0-9]", raw[i + 1 :])
    if m is None:
        out.append(Part("lit", "$", quoted))
        return i + 1
    out.append(Part("var", m.group(), quoted))
    return i + 1 + m.end()


def posix_parts(raw: str) -> list[Part]:
    """Split a raw word into parts, removing quotes the way the shell does."""
    out: list[Part] = []
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            out.append(Part("lit", raw[i + 1 : i + 2], True))
            i += 2
        elif ch == "'":
            end = _skip_single(raw, i, escapes=False)
            out.append(Part("lit", raw[i + 1 : end - 1] if raw[end - 1 : end] == "'" else raw[i + 1 :], True))
            i = end
        elif ch == "$" and raw[i + 1 : i + 2] == "'":
            end = _skip_single(raw, i + 1, escapes=True)
            out.append(Part("lit", _ansi_c(raw[i + 2 : end - 1]), True))
            i = end
        elif ch == '"' or (ch == "$" and raw[i + 1 : i + 2] == '"'):
            start = i + (2 if ch == "$" else 1)
            end = _skip_double(raw, start - 1)
            body = raw[start : end - 1] if raw[end - 1 : end] == '"' else raw[start:]
            _double_parts(body, out)
            i = end
        elif ch == "$":
            i = _dollar(raw, i, False, out)
        elif ch == "`":
            end = _skip_backtick(raw, i)
            out.append(Part("cmd", raw[i + 1 : end - 1], False))
            i = end
        else:
            j = i
            while j < n and raw[j] not in "\\'\"$`":
                j += 1
            out.append(Part("lit", raw[i:j], False))
            i = j
    return out


def _double_parts(body: str, out: list[Part]) -> None:
    i = 0
    buf: list[str] = []
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in '$`"\\\n':
            if body[i + 1] != "\n":
                buf.append(body[i + 1])
            i += 2
        elif ch in "$`":
            if buf:
                out.append(Part("lit", "".join(buf), True))
                buf = []
            if ch == "$":
                i = _dollar(body, i, True, out)
            else:
                end = _skip_backtick(body, i)
                out.append(Part("cmd", body[i + 1 : end - 1], True))
                i = end
        else:
            buf.append(ch)
            i += 1
    out.append(Part("lit", "".join(buf), True))


def literal(parts: list[Part]) -> str | None:
    """The word's value when it has no expansion at all."""
    if any(p.kind != "lit" for p in parts):
        return None
    return "".join(p.text for p in parts)


def is_name(text: str) -> bool:
    return _NAME.match(text) is not None


_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=")


def split_assignment(raw: str) -> tuple[str, str, bool] | None:
    """`NAME=value` (raw value kept) → (name, raw value, append); None for other words."""
    m = _ASSIGN.match(raw)
    if m is None or m.group(2):
        return None
    return m.group(1), raw[m.end() :], bool(m.group(3))


# --- fish ----------------------------------------------------------------------------------------


def tokenize_fish(text: str) -> list[Tok]:
    toks: list[Tok] = []
    buf: list[str] = []
    buf_line = 1
    line = 1
    i = 0
    n = len(text)

    def flush() -> None:
        if buf:
            toks.append(Tok("word", "".join(buf), buf_line))
            buf.clear()

    def add(s: str) -> None:
        nonlocal buf_line
        if not buf:
            buf_line = line
        buf.append(s)

    def op(s: str) -> None:
        flush()
        toks.append(Tok("op", s, line))

    while i < n:
        ch = text[i]
        if ch in " \t\r":
            flush()
            i += 1
        elif ch == "\n":
            flush()
            toks.append(Tok("nl", "\n", line))
            line += 1
            i += 1
        elif ch == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                line += 1
                i += 2
            else:
                add(text[i : i + 2])
                i += 2
        elif ch == "#" and not buf:
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch in "'\"(" or (ch == "$" and text[i + 1 : i + 2] == "("):
            start = i
            if ch == "'":
                i = _skip_single(text, i, escapes=True)
            elif ch == '"':
                i = _skip_double(text, i)
            else:
                i = _skip_balanced(text, i + (1 if ch == "$" else 0), fish=True)
            add(text[start:i])
            line += text.count("\n", start, i)
        elif ch == ";":
            op(";")
            i += 1
        elif ch == "&":
            s = "&&" if text.startswith("&&", i) else ("&>" if text.startswith("&>", i) else "&")
            op(s)
            i += len(s)
        elif ch == "|":
            s = "||" if text.startswith("||", i) else "|"
            op(s)
            i += len(s)
        elif ch in "<>":
            if buf and "".join(buf).isdigit():
                buf.clear()
            for s in (">>", ">?", ">&", "<&", "<", ">"):
                if text.startswith(s, i):
                    op(s)
                    i += len(s)
                    break
        else:
            add(ch)
            i += 1
    flush()
    return toks


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


def fish_parts(raw: str) -> list[Part]:
    """Split a fish word: '…' (escapes \\' and \\\\), "…" (escapes \\" \\\\ \\$), bare escapes."""
    out: list[Part] = []
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            nxt = raw[i + 1 : i + 2]
            if nxt in _ANSI:
                out.append(Part("lit", _ANSI[nxt], True))
                i += 2
            elif nxt == "x" and (m := re.match(r"[0-9A-Fa-f]{1,2}", raw[i + 2 :])):
                out.append(Part("lit", chr(int(m.group(), 16)), True))
                i += 2 + len(m.group())
            elif nxt in ("u", "U") and (m := re.match(r"[0-9A-Fa-f]{1,8}", raw[i + 2 :])):
                out.append(Part("lit", chr(min(int(m.group(), 16), 0x10FFFF)), True))
                i += 2 + len(m.group())
            else:
                out.append(Part("lit", nxt, True))
                i += 2
        elif ch == "'":
            end = _skip_single(raw, i, escapes=True)
            body = raw[i + 1 : end - 1] if raw[end - 1 : end] == "'" else raw[i + 1 :]
            out.append(Part("lit", re.sub(r"\\([\\'])", r"\1", body), True))
            i = end
        elif ch == '"':
            end = _skip_double(raw, i)
            body = raw[i + 1 : end - 1] if raw[end - 1 : end] == '"' else raw[i + 1 :]
            _fish_double(body, out)
            i = end
        elif ch == "$" and raw[i + 1 : i + 2] == "(":
            end = _skip_balanced(raw, i + 1)
            out.append(Part("cmd", raw[i + 2 : end - 1], False))
            i = end
        elif ch == "(":
            end = _skip_balanced(raw, i)
            out.append(Part("cmd", raw[i + 1 : end - 1], False))
            i = end
        elif ch == "$":
            m = re.match(r"\$+([A-Za-z0-9_]+)", raw[i:])
            if m is None:
                out.append(Part("lit", "$", False))
                i += 1
            else:
                out.append(Part("var", m.group(1), False))
                i += m.end()
        else:
            j = i
            while j < n and raw[j] not in "\\'\"$(":
                j += 1
            out.append(Part("lit", raw[i:j], False))
            i = j
    return out


def _fish_double(body: str, out: list[Part]) -> None:
    buf: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in '"\\$\n':
            if body[i + 1] != "\n":
                buf.append(body[i + 1])
            i += 2
        elif ch == "$":
            if buf:
                out.append(Part("lit", "".join(buf), True))
                buf = []
            if body[i + 1 : i + 2] == "(":
                end = _skip_balanced(body, i + 1)
                out.append(Part("cmd", body[i + 2 : end - 1], True))
                i = end
                continue
            m = re.match(r"\$+([A-Za-z0-9_]+)", body[i:])
            if m is None:
                buf.append("$")
                i += 1
            else:
                out.append(Part("var", m.group(1), True))
                i += m.end()
        else:
            buf.append(ch)
            i += 1
    out.append(Part("lit", "".join(buf), True))


def fish_universal(text: str) -> Iterator[tuple[int, str, str, bool]]:
    """(line, name, value, exported) for each SETUVAR line of fish_variables.

    fish writes every byte that is not alphanumeric as \\xHH (UTF-8 bytes), and list items
    separated by \\x1e; an exported list reaches children joined with spaces.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        m = re.match(r"SETUVAR\s+((?:--\w+\s+)*)([A-Za-z0-9_]+):(.*)$", line.rstrip("\r"))
        if m is None:
            continue
        raw = m.group(3)
        data = bytearray()
        i = 0
        while i < len(raw):
            if (
                raw[i] == "\\"
                and raw[i + 1 : i + 2] == "x"
                and re.match(r"[0-9A-Fa-f]{2}", raw[i + 2 : i + 4])
            ):
                data.append(int(raw[i + 2 : i + 4], 16))
                i += 4
            elif raw[i] == "\\" and i + 1 < len(raw):
                data.extend(raw[i + 1].encode("utf-8", "surrogateescape"))
                i += 2
            else:
                data.extend(raw[i].encode("utf-8", "surrogateescape"))
                i += 1
        value = data.decode("utf-8", "replace").replace("\x1e", " ")
        yield number, m.group(2), value, "--export" in m.group(1)
