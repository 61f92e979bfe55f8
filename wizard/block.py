"""Our marked block in a startup file: pure functions over text.

The contract (property-tested): text outside our marked block never changes; applying twice
equals applying once; removing after applying gives the original back, byte for byte.

Text that was inside our block must never become live code when the block goes. So a body holding
a marker line is a bug we refuse to write, and a file whose markers do not pair up cleanly (a BEGIN
without END, or several blocks with lines between them, as a value carrying our markers once
produced) is refused rather than guessed at: those lines may be what was inside.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from wizard.errors import ExitCode, SetupError
from wizard.files import newline_of

BEGIN = "# >>> dashscope-setup >>>"
END = "# <<< dashscope-setup <<<"
_BLANK = " \t\r\n"


def _is(line: str, marker: str) -> bool:
    return line.rstrip("\n").strip(" \t\r") == marker


def shell_lines(text: str) -> list[str]:
    """Lines as a shell sees them: only LF ends a line (str.splitlines also splits on \f, \v…)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _line_no(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def find_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of our blocks, END's line ending included.

    A BEGIN without its END is a damaged block: we refuse to guess where it ends. Several blocks
    are one block written twice only when nothing but blank space lies between them; lines between
    them may have been inside one block whose value held our markers, so we refuse those too.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for line in shell_lines(text):
        if _is(line, BEGIN):
            if start is not None:
                raise SetupError(ExitCode.STORE, "err.damaged_block", line=_line_no(text, pos))
            start = pos
        elif _is(line, END):
            if start is None:
                raise SetupError(ExitCode.STORE, "err.damaged_block", line=_line_no(text, pos))
            spans.append((start, pos + len(line)))
            start = None
        pos += len(line)
    if start is not None:
        raise SetupError(ExitCode.STORE, "err.damaged_block", line=_line_no(text, start))
    for (_, prev_end), (next_start, _) in zip(spans, spans[1:]):
        between = text[prev_end:next_start]
        if between.strip(_BLANK):
            at = prev_end + len(between) - len(between.lstrip(_BLANK))
            raise SetupError(ExitCode.STORE, "err.split_block", line=_line_no(text, at))
    return spans


def _cut(text: str, start: int, end: int) -> str:
    """Cut one block out. A block that ends the file without a final newline was appended to a
    file that had none: then the newline put before it was ours and goes too."""
    end = min(end, len(text))  # a later cut may have taken this block's own final newline
    if end == len(text) and not text.endswith("\n") and start > 0:
        prefix = text[:start]
        ours = "\r\n" if prefix.endswith("\r\n") and newline_of(prefix[:-2]) == "\r\n" else "\n"
        return prefix[: -len(ours)]
    return text[:start] + text[end:]


def make_block(body: str, nl: str) -> str:
    """BEGIN, the body's lines, END. A marker line in the body would end our block early or start
    another: values reaching a body are checked long before (files.refuse_control), so it is a bug."""
    body_lines = re.split(r"\r?\n", body)
    if body_lines[-1] == "":
        body_lines.pop()
    if any(_is(line, BEGIN) or _is(line, END) for line in body_lines):
        raise ValueError("a block body must not contain our marker lines")
    lines = [BEGIN, *body_lines, END]
    return nl.join(lines) + nl


def remove_block(text: str) -> str:
    """Remove every block of ours, leaving every other byte as it was."""
    for start, end in reversed(find_blocks(text)):
        text = _cut(text, start, end)
    return text


def upsert_block(text: str, body: str, newline: str | None = None) -> str:
    """Replace our block in place (collapsing duplicates into the first), or append one.
    `newline`: the line ending the shell needs (bash, zsh, dash and fish read a CR as part of the
    line, so a CRLF block would fail at every start); None: the file's own."""
    spans = find_blocks(text)
    nl = newline or newline_of(text)
    if spans:
        first_start, first_end = spans[0]
        if newline is None:
            # Keep the line ending the block already has, so a second run changes nothing.
            begin_line = shell_lines(text[first_start:first_end])[0]
            nl = "\r\n" if begin_line.endswith("\r\n") else "\n"
    block = make_block(body, nl)
    if spans:
        for start, end in reversed(spans[1:]):
            text = _cut(text, start, end)
        if not text[first_start:first_end].endswith("\n"):
            block = block[: -len(nl)]
        return text[:first_start] + block + text[first_end:]
    if not text or text.endswith("\n"):
        return text + block
    # No final newline: add one before the block and leave none after it, so remove_block
    # can tell that newline was ours.
    return text + nl + block[: -len(nl)]


def unified_diff(path: Path, before: str, after: str) -> str:
    out: list[str] = []
    for line in difflib.unified_diff(
        shell_lines(before), shell_lines(after), fromfile=str(path), tofile=str(path)
    ):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)
