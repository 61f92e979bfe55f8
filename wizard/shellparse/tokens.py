"""The pieces both lexers and both word splitters share: the token, the one error, quote-aware skipping.

A quote or a `$(…)` can hide any character the lexer would otherwise act on, so every scanner steps over
them with the same helpers. `ParseError` carries a line number only: the text it failed on may be a secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ParseError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(f"cannot follow the shell syntax at line {line}")
        self.line = line


@dataclass(frozen=True)
class Tok:
    kind: str  # word | op | nl
    text: str = field(repr=False)
    line: int


def skip_single(text: str, i: int, escapes: bool) -> int:
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


def skip_double(text: str, i: int) -> int:
    i += 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == '"':
            return i + 1
        elif ch == "$" and i + 1 < n and text[i + 1] in "({":
            i = skip_balanced(text, i + 1)
        elif ch == "`":
            i = skip_backtick(text, i)
        else:
            i += 1
    return n


def skip_backtick(text: str, i: int) -> int:
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


def skip_balanced(text: str, i: int, *, fish: bool = False) -> int:
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
            i = skip_single(text, i, escapes=fish)
            continue
        if ch == '"':
            i = skip_double(text, i)
            continue
        if ch == "`" and not fish:
            i = skip_backtick(text, i)
            continue
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n
