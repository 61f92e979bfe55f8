"""Editing a user's startup file: pure functions over text, plus one atomic write.

The contract (property-tested): text outside our marked block never changes; applying twice
equals applying once; removing after applying gives the original back, byte for byte.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wizard.errors import ExitCode, SetupError

BEGIN = "# >>> dashscope-setup >>>"
END = "# <<< dashscope-setup <<<"


@dataclass(frozen=True)
class Decoded:
    text: str
    bom: bytes
    encoding: str


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> Decoded:
    """Keep BOM and encoding; bytes that are not valid UTF-8 survive through surrogateescape."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            errors = "surrogateescape" if enc == "utf-8" else "surrogatepass"
            try:
                return Decoded(data[len(bom) :].decode(enc, errors=errors), bom, enc)
            except UnicodeDecodeError:
                break  # odd length: not UTF-16 after all; keep every byte as escaped UTF-8
    return Decoded(data.decode("utf-8", errors="surrogateescape"), b"", "utf-8")


def encode(decoded: Decoded, text: str) -> bytes:
    errors = "surrogateescape" if decoded.encoding == "utf-8" else "surrogatepass"
    return decoded.bom + text.encode(decoded.encoding, errors=errors)


def newline_of(text: str) -> str:
    """The file's own line ending: that of its first line, LF for a file without one."""
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def _is(line: str, marker: str) -> bool:
    return line.rstrip("\n").strip(" \t\r") == marker


def _lines(text: str) -> list[str]:
    """Lines as a shell sees them: only LF ends a line (str.splitlines also splits on \f, \v…)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def find_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of our blocks, END's line ending included.

    A BEGIN without its END is a damaged block: we refuse to guess where it ends.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for line in _lines(text):
        if _is(line, BEGIN):
            if start is not None:
                raise SetupError(ExitCode.STORE, "err.damaged_block")
            start = pos
        elif _is(line, END):
            if start is None:
                raise SetupError(ExitCode.STORE, "err.damaged_block")
            spans.append((start, pos + len(line)))
            start = None
        pos += len(line)
    if start is not None:
        raise SetupError(ExitCode.STORE, "err.damaged_block")
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
    body_lines = re.split(r"\r?\n", body)
    if body_lines[-1] == "":
        body_lines.pop()
    lines = [BEGIN, *body_lines, END]
    return nl.join(lines) + nl


def remove_block(text: str) -> str:
    """Remove every block of ours, leaving every other byte as it was."""
    for start, end in reversed(find_blocks(text)):
        text = _cut(text, start, end)
    return text


def upsert_block(text: str, body: str) -> str:
    """Replace our block in place (collapsing duplicates into the first), or append one."""
    spans = find_blocks(text)
    nl = newline_of(text)
    if spans:
        # Keep the line ending the block already has, so a second run changes nothing.
        first_start, first_end = spans[0]
        begin_line = _lines(text[first_start:first_end])[0]
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
    for line in difflib.unified_diff(_lines(before), _lines(after), fromfile=str(path), tofile=str(path)):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def resolve(path: Path) -> Path:
    """Write through a symlink to its target, so a dotfile manager's link stays a link."""
    return Path(os.path.realpath(path))


def check_writable(path: Path) -> None:
    """Refuse read-only targets up front: as root os.access says yes to everything, so the
    owner's write bit is the user's stated intent."""
    real = resolve(path)
    if real.exists():
        st = real.stat()
        if not (st.st_mode & 0o200) or not os.access(real, os.W_OK):
            raise SetupError(ExitCode.STORE, "err.readonly", path=str(path))
    # atomic_write makes its temp file in the directory and renames it there.
    parent = real.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK) or (parent.stat().st_mode & 0o200) == 0:
        raise SetupError(ExitCode.STORE, "err.dir_unwritable", path=str(real.parent))


def atomic_write(path: Path, data: bytes, *, secret: bool = False) -> None:
    """Temp file in the same directory, fsync, keep mode and owner, then os.replace.

    mkstemp creates the temp file 0600 whatever the umask, so a secret is never readable by
    others, not even for an instant; a non-secret file then gets its old mode (new: 0644).
    """
    real = resolve(path)
    try:
        st: os.stat_result | None = real.stat()
    except FileNotFoundError:
        st = None
    final_mode = 0o600 if secret else (st.st_mode & 0o7777) if st else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    try:
        # Windows has no fchmod (before 3.13) or fchown; there the key file gets an ACL instead.
        if hasattr(os, "fchmod"):
            os.fchmod(fd, final_mode)
        if st is not None and hasattr(os, "fchown"):
            with contextlib.suppress(PermissionError):
                os.fchown(fd, st.st_uid, st.st_gid)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(real)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
