"""Reading and writing a user's files without damaging them.

A startup file may carry a BOM, be UTF-16 (as Windows tools may save it), end its lines with CRLF or
hold bytes that are not UTF-8: what we do not change must come back byte for byte. A symlinked dotfile
stays a link, a write never leaves a half-written file, and a secret is 0600 from its first byte.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wizard.errors import ExitCode, SetupError


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


def resolve(path: Path) -> Path:
    """Write through a symlink to its target, so a dotfile manager's link stays a link."""
    return Path(os.path.realpath(path))


# What ends a line for some shell, editor or terminal, or drives a terminal: C0 controls, DEL, NEL and
# the Unicode line and paragraph separators. A value written into a user's file never holds one, so
# it can never start a line of its own (a marker line, a command) inside our block.
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def shown(value: str) -> str:
    """The value safe to print: each control character as its escape (\\n, \\x1b, \\u2028)."""

    def escape(m: re.Match[str]) -> str:
        c = m.group(0)
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
            f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
        )

    return _CONTROL.sub(escape, value)


# `scheme://user:password@`: what a URL must never show of itself in a message.
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/@\s]*@")


def refuse_control(value: str, name: str) -> str:
    """`value` back when it is one line of printable text, else a usage error naming where it came
    from (`name`: a variable or an option) and showing it escaped, with any password of a URL in it
    masked. Not for a key: it is shown."""
    m = _CONTROL.search(value)
    if m:
        visible = _USERINFO.sub(lambda u: u.group(1) + "***@", shown(value))
        raise SetupError(ExitCode.USAGE, "err.control_char", name=name, pos=m.start() + 1, value=visible)
    return value


def check_writable(path: Path) -> None:
    """Refuse read-only targets up front: as root os.access says yes to everything, so the
    owner's write bit is the user's stated intent."""
    # A symlink loop reads as "no such file": the write would replace the user's link with a file.
    if path.is_symlink():
        try:
            path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise SetupError(ExitCode.STORE, "err.symlink_loop", path=str(path)) from None
    real = resolve(path)
    if real.exists():
        st = real.stat()
        if not (st.st_mode & 0o200) or not os.access(real, os.W_OK):
            raise SetupError(ExitCode.STORE, "err.readonly", path=str(path))
    # atomic_write makes its temp file in the directory (creating the missing ones) and renames it
    # there: the nearest existing one must be a folder we may write in.
    parent = real.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise SetupError(ExitCode.STORE, "err.not_a_dir", path=str(parent))
    if not os.access(parent, os.W_OK | os.X_OK) or (parent.stat().st_mode & 0o200) == 0:
        raise SetupError(ExitCode.STORE, "err.dir_unwritable", path=str(real.parent))


def atomic_write(
    path: Path, data: bytes, *, secret: bool = False, owner: tuple[int, int] | None = None
) -> None:
    """Temp file in the same directory, fsync, keep mode and owner, then os.replace.

    mkstemp creates the temp file 0600 whatever the umask, so a secret is never readable by
    others, not even for an instant; a non-secret file then gets its old mode (new: 0644). A
    secret never takes the owner of the file it replaces: it is `owner`'s (uid, gid), else the
    running user's.
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
        keep = owner if secret else ((st.st_uid, st.st_gid) if st is not None else None)
        if keep is not None and hasattr(os, "fchown"):
            with contextlib.suppress(PermissionError):
                os.fchown(fd, *keep)
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


def stale_temp_files(path: Path) -> list[Path]:
    """What an interrupted `atomic_write(path, …)` leaves next to it (a kill -9 between creating the
    temp file and renaming it): `.NAME.XXXXXXXX.tmp`, as mkstemp names them above."""
    real = resolve(path)
    pattern = re.compile(r"\." + re.escape(real.name) + r"\.[A-Za-z0-9_]{8}\.tmp")
    try:
        return sorted(p for p in real.parent.iterdir() if pattern.fullmatch(p.name) and p.is_file())
    except OSError:
        return []


def missing_dirs(path: Path) -> list[str]:
    """The folders `make_dirs(path)` would create, outermost first (recorded before they are made)."""
    missing: list[Path] = []
    p = path
    while not p.exists() and p.parent != p:
        missing.append(p)
        p = p.parent
    return [str(d) for d in reversed(missing)]


def make_dirs(path: Path, *, mode: int = 0o755) -> list[str]:
    """mkdir -p that reports which directories it created, so `remove` can take them away."""
    created: list[str] = []
    for d in map(Path, missing_dirs(path)):
        try:
            d.mkdir(mode=mode)
        except FileExistsError:
            continue
        except OSError as exc:
            raise SetupError(ExitCode.STORE, "err.write_failed", path=str(d), reason=exc.strerror) from None
        created.append(str(d))
    return created
