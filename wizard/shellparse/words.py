"""What a raw word means: its literal and expanded parts, quotes removed the way each shell removes them.

A word's value is known only when every part is literal; a variable or a command substitution makes it
something the shell computes at start-up, which `status` reports rather than guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wizard.shellparse.tokens import skip_backtick, skip_balanced, skip_double, skip_single

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


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
        end = skip_balanced(raw, i + 1)
        inner = raw[i + 2 : end - 1]
        if inner.startswith("(") and inner.endswith(")"):
            out.append(Part("cmd", "", quoted))  # arithmetic: never a key
        else:
            out.append(Part("cmd", inner, quoted))
        return end
    if nxt == "{":
        end = skip_balanced(raw, i + 1)
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
            end = skip_single(raw, i, escapes=False)
            out.append(Part("lit", raw[i + 1 : end - 1] if raw[end - 1 : end] == "'" else raw[i + 1 :], True))
            i = end
        elif ch == "$" and raw[i + 1 : i + 2] == "'":
            end = skip_single(raw, i + 1, escapes=True)
            out.append(Part("lit", _ansi_c(raw[i + 2 : end - 1]), True))
            i = end
        elif ch == '"' or (ch == "$" and raw[i + 1 : i + 2] == '"'):
            start = i + (2 if ch == "$" else 1)
            end = skip_double(raw, start - 1)
            body = raw[start : end - 1] if raw[end - 1 : end] == '"' else raw[start:]
            _double_parts(body, out)
            i = end
        elif ch == "$":
            i = _dollar(raw, i, False, out)
        elif ch == "`":
            end = skip_backtick(raw, i)
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
                end = skip_backtick(body, i)
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
            end = skip_single(raw, i, escapes=True)
            body = raw[i + 1 : end - 1] if raw[end - 1 : end] == "'" else raw[i + 1 :]
            out.append(Part("lit", re.sub(r"\\([\\'])", r"\1", body), True))
            i = end
        elif ch == '"':
            end = skip_double(raw, i)
            body = raw[i + 1 : end - 1] if raw[end - 1 : end] == '"' else raw[i + 1 :]
            _fish_double(body, out)
            i = end
        elif ch == "$" and raw[i + 1 : i + 2] == "(":
            end = skip_balanced(raw, i + 1)
            out.append(Part("cmd", raw[i + 2 : end - 1], False))
            i = end
        elif ch == "(":
            end = skip_balanced(raw, i)
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
                end = skip_balanced(body, i + 1)
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
