"""Splitting fish text into words, operators and newlines, the way fish does.

Unlike sh, fish treats a CR as blank, has no here-documents, and `(…)` is a command substitution anywhere
in a word; words keep their raw text for the parser and the word splitter.
"""

from __future__ import annotations

from wizard.shellparse.tokens import Tok, skip_balanced, skip_double, skip_single


def tokenize_fish(text: str, comments: list[int] | None = None) -> list[Tok]:
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
            if comments is not None and not text[text.rfind("\n", 0, i) + 1 : i].strip(" \t"):
                comments.append(line)  # a comment from its line's start: see tokenize_posix
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch in "'\"(" or (ch == "$" and text[i + 1 : i + 2] == "("):
            start = i
            if ch == "'":
                i = skip_single(text, i, escapes=True)
            elif ch == '"':
                i = skip_double(text, i)
            else:
                i = skip_balanced(text, i + (1 if ch == "$" else 0), fish=True)
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
