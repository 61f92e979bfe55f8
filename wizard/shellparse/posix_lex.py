"""Splitting sh/bash/zsh text into words, operators and newlines, the way those shells do.

Words keep their raw text (quotes included) so the parser and the word splitter decide what they mean;
here-document bodies are skipped because nothing in them runs.
"""

from __future__ import annotations

from wizard.shellparse.tokens import Tok, skip_backtick, skip_balanced, skip_double, skip_single


def _unquote_delim(raw: str) -> str:
    return raw.replace("'", "").replace('"', "").replace("\\", "")


def tokenize_posix(text: str, comments: list[int] | None = None) -> list[Tok]:
    """Words, operators and newlines, each with the line it starts on. Here-documents are skipped.
    `comments` collects the lines that are a comment from their start (not inside a here-document
    or a quoted string spanning lines): only there is a marker line really a marker."""
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
            if comments is not None and not text[text.rfind("\n", 0, i) + 1 : i].strip(" \t"):
                comments.append(line)
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch in "'\"`$" or (ch == "(" and buf):
            start = i
            if ch == "'":
                i = skip_single(text, i, escapes=False)
            elif ch == '"':
                i = skip_double(text, i)
            elif ch == "`":
                i = skip_backtick(text, i)
            elif ch == "(":
                if i + 1 < n and text[i + 1] == ")" and not "".join(buf).endswith("="):
                    op("(")  # name() — a function definition
                    i += 1
                    continue
                i = skip_balanced(text, i)  # NAME=(array), a zsh glob qualifier or a bash extglob
            elif i + 1 < n and text[i + 1] in "({":
                i = skip_balanced(text, i + 1)
            elif i + 1 < n and text[i + 1] == "'":
                i = skip_single(text, i + 1, escapes=True)
            elif i + 1 < n and text[i + 1] == '"':
                i = skip_double(text, i + 1)
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
                i = skip_balanced(text, i)
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
                i = skip_balanced(text, i + 1)
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
