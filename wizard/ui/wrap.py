"""Text wrapped to the terminal's width at word boundaries, for English and Chinese alike.

A terminal breaks a long line wherever the column runs out, mid-word and mid-URL; a URL or a
command split that way can no longer be copied. So lines are broken here, before they reach the
terminal, and only where a reader would break them:

- between words (at spaces), never inside a run of non-space ASCII: a word, a URL, a path, a
  flag, a key mask;
- never inside a `back-quoted` span, nor inside a command that starts with this tool's own name
  (`commands`), up to the punctuation that ends it: "To undo everything: dashscope-setup remove";
- in Chinese, which has no spaces, between any two wide characters (two columns each), but not
  before closing punctuation (full-width comma, full stop, closing bracket) nor after opening
  punctuation;
- a line indented by four spaces or more is shown as it is: that is how commands, code and the
  key's console links are printed, and a command broken over two lines no longer works; unless
  the caller says it is prose (a planned change, a note under a line).

A token wider than the line is put on a line of its own, whole: the terminal will fold it, but it
stays one string to copy. Continuation lines keep the line's indent and its mark (✓, ✗, !, •, ?).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

VERBATIM_INDENT = "    "
_MARKS = ("✓ ", "✗ ", "! ", "• ", "? ", "… ", "- ")
# Full-width and ASCII punctuation that may not begin a line, and that may not end one.
_NO_LINE_START = set(
    "\uff0c\u3002\u3001\uff1b\uff1a\uff1f\uff01\uff09\u300d\u300f\u300b\u3011\u3009\u201d\u2019\u2026%,.;:?!)]}"
)
_WORD = re.compile(r" +([^ ]+)")
_COMMAND_ENDS = set("`,;)\uff0c\uff1b\uff09")
_NO_LINE_END = set("\uff08\u300c\u300e\u300a\u3010\u3008\u201c\u2018([{")


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width_of(text: str) -> int:
    """Display columns of `text`: a wide (east-asian) character takes two."""
    return sum(char_width(ch) for ch in text)


def _command_end(text: str, start: int, commands: Sequence[str]) -> int:
    """Where a command whose program ends at `start` ends: after up to two words (a command and
    its argument: "remove", "completion bash"), its flags, and all that follows a bare "--"; not
    past punctuation or Chinese text."""
    end, plain, rest = start, 0, False
    for match in _WORD.finditer(text, start):
        if match.start() != end or any(c and text.startswith(c, match.start(1)) for c in commands):
            break
        raw = match.group(1)
        cut = next((i for i, ch in enumerate(raw) if ch in _COMMAND_ENDS or char_width(ch) == 2), len(raw))
        word = raw[:cut].rstrip(".")  # a full stop ends the sentence, not the command
        if not word:
            break
        if not (rest or word.startswith("-")):
            plain += 1
            if plain > 2:
                break
        rest = rest or word == "--"
        end = match.start(1) + len(word)
        if len(word) < len(raw):
            break
    return end


def _atoms(text: str, commands: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(space before, atom) pairs: the units between which a line may break."""
    atoms: list[tuple[str, str]] = []
    i, space = 0, ""
    while i < len(text):
        ch = text[i]
        if ch == " ":
            space += ch
            i += 1
            continue
        command = next((c for c in commands if c and text.startswith(c, i)), None)
        if command is not None:
            end = max(_command_end(text, i + len(command), commands), i + len(command))
        elif ch == "`" and "`" in text[i + 1 :]:
            end = text.index("`", i + 1) + 1
        elif char_width(ch) == 2:
            end = i + 1
        else:
            end = i + 1
            while end < len(text) and text[end] != " " and char_width(text[end]) < 2 and text[end] != "`":
                end += 1
        atom = text[i:end]
        i = end
        before = atoms[-1][1][-1] if atoms else ""
        # Without a space, only a wide character (Chinese) is a place to break, and not at punctuation.
        glue = (
            before
            and not space
            and (
                atom[0] in _NO_LINE_START
                or before in _NO_LINE_END
                or (char_width(atom[0]) < 2 and char_width(before) < 2)
            )
        )
        if glue:
            atoms[-1] = (atoms[-1][0], atoms[-1][1] + atom)
        else:
            atoms.append((space, atom))
        space = ""
    if space and atoms:  # trailing spaces stay with the last atom
        atoms[-1] = (atoms[-1][0], atoms[-1][1] + space)
    return atoms


def wrap_line(line: str, width: int, commands: Sequence[str] = (), *, prose: bool = False) -> list[str]:
    """One line as the lines that fit `width` columns (see the module docstring). `prose`: an
    indented line that is text, not a command (a planned change, a note under a line), is wrapped
    too, its continuation lines under its first word."""
    if width <= 0 or width_of(line) <= width or (line.startswith(VERBATIM_INDENT) and not prose):
        return [line]
    body = line.lstrip(" ")
    indent = line[: len(line) - len(body)]
    mark = next((m for m in _MARKS if body.startswith(m)), "")
    first = indent + mark
    hang = " " * width_of(first)
    if width_of(hang) > width // 2:  # a deep indent would leave no room: continue at the margin
        hang = ""
    out: list[str] = []
    current, used = first, width_of(first)
    empty = True
    for space, atom in _atoms(body[len(mark) :], commands):
        w = width_of(atom)
        if empty:
            current, used, empty = current + atom, used + w, False
        elif used + len(space) + w <= width:
            current, used = current + space + atom, used + len(space) + w
        else:
            out.append(current.rstrip(" "))
            current, used = hang + atom, width_of(hang) + w
    out.append(current)
    return out


def wrap(text: str, width: int, commands: Sequence[str] = (), *, prose: bool = False) -> str:
    """Every line of `text` wrapped to `width` columns; 0 or less: unchanged. `commands`: how
    this tool was started (`{prog}`): a command beginning with it is never broken. `prose`: see
    `wrap_line`."""
    if width <= 0:
        return text
    pieces = (piece for line in text.split("\n") for piece in wrap_line(line, width, commands, prose=prose))
    return "\n".join(pieces)
