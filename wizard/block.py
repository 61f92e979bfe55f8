"""Our marked block in a startup file: pure functions over text.

The contract (property-tested): text outside our marked block never changes; applying twice
equals applying once; removing after applying gives the original back, byte for byte.

Text that was inside our block must never become live code when the block goes. So a body holding
a marker line is a bug we refuse to write, and a file whose markers do not pair up cleanly (a BEGIN
without END, or several blocks with lines between them, as a value carrying our markers once
produced) is refused rather than guessed at: those lines may be what was inside.

A line a user adds inside our block (or a line of ours they change) would be lost when the block is
replaced or removed. So each block ends with a checksum of its lines, and a block whose lines no
longer match it is refused, naming the file, instead of being overwritten. A block without the
checksum line (written before it existed, or the user deleted that line to let us replace the
block as it is) is taken as ours.

A marker counts only on a line the shell reads as a comment from its start (`comments`, from the
shell's own lexer): the same text inside a here-document or a string spanning lines is the user's.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Collection
from pathlib import Path

from wizard.errors import ExitCode, SetupError
from wizard.files import newline_of

BEGIN = "# >>> dashscope-setup >>>"
END = "# <<< dashscope-setup <<<"
_BLANK = " \t\r\n"
_SUM_LINE = "# Written by dashscope-setup (checksum {sum}): add your own lines outside these markers."
_SUM = re.compile(r"^# Written by dashscope-setup \(checksum ([0-9a-f]{12})\)")


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


def _checksum(lines: list[str]) -> str:
    body = "\n".join(line.rstrip("\r\n") for line in lines)
    return hashlib.sha256(body.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _edited(span_text: str) -> bool:
    """Whether the lines of one block no longer match the checksum it was written with."""
    inner = shell_lines(span_text)[1:-1]
    sums = [m.group(1) for m in (_SUM.match(line) for line in inner) if m]
    if not sums:
        return False
    kept = [line for line in inner if not _SUM.match(line)]
    return len(sums) > 1 or sums[0] != _checksum(kept)


def find_blocks(text: str, comments: Collection[int] | None = None) -> list[tuple[int, int]]:
    """(start, end) character spans of our blocks, END's line ending included.
    `comments`: the lines the shell reads as comments (None: every line may hold a marker).

    A BEGIN without its END is a damaged block: we refuse to guess where it ends. Several blocks
    are one block written twice only when nothing but blank space lies between them; lines between
    them may have been inside one block whose value held our markers, so we refuse those too.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for number, line in enumerate(shell_lines(text), start=1):
        marker = comments is None or number in comments
        if marker and _is(line, BEGIN):
            if start is not None:
                raise SetupError(ExitCode.STORE, "err.damaged_block", line=_line_no(text, pos))
            start = pos
        elif marker and _is(line, END):
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


def edited_at(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """The first line of each block whose lines no longer match its checksum."""
    return [_line_no(text, start) for start, end in spans if _edited(text[start:end])]


def _unedited_blocks(text: str, comments: Collection[int] | None) -> list[tuple[int, int]]:
    spans = find_blocks(text, comments)
    for line in edited_at(text, spans):
        raise SetupError(ExitCode.STORE, "err.edited_block", line=line)
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
    if any(_is(line, BEGIN) or _is(line, END) or _SUM.match(line) for line in body_lines):
        raise ValueError("a block body must not contain our marker lines")
    lines = [BEGIN, *body_lines, _SUM_LINE.format(sum=_checksum(body_lines)), END]
    return nl.join(lines) + nl


def remove_block(text: str, comments: Collection[int] | None = None) -> str:
    """Remove every block of ours, leaving every other byte as it was."""
    for start, end in reversed(_unedited_blocks(text, comments)):
        text = _cut(text, start, end)
    return text


def upsert_block(
    text: str, body: str, newline: str | None = None, comments: Collection[int] | None = None
) -> str:
    """Replace our block in place (collapsing duplicates into the first), or append one.
    `newline`: the line ending the shell needs (bash, zsh, dash and fish read a CR as part of the
    line, so a CRLF block would fail at every start); None: the file's own."""
    spans = _unedited_blocks(text, comments)
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
