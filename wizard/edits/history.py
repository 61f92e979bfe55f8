"""History hygiene: find a key typed at a prompt, and remove exactly those history entries.

Following the official guide by hand leaves `export DASHSCOPE_API_KEY=sk-…` in shell history
(PSReadLine's filter catches `apikey` but not `API_KEY`). `find` reports the entries, masked;
`scrub` removes those entries and nothing else: every other byte of the file stays as it was
(CRLF, invalid UTF-8, zsh's metafied bytes), written atomically with its mode.

An entry is the unit a shell writes (its class in `wizard.shells` knows where the files are and
how an entry ends): one line for bash (plus its `#<epoch>` line when HISTTIMEFORMAT is on), zsh
lines joined by a trailing backslash, a fish `- cmd:` item with its `when:`/`paths:` lines,
PowerShell lines joined by a trailing backtick. Removing part of an entry would glue its rest
onto a neighbour.

The backup `scrub` keeps is the original with those entries masked, not a copy of the key: the
history is there to recover if an entry was split wrongly, and the key must not outlive the
scrub in a file `remove` does not know about. Our own backups folder is searched too (a backup
written by an older version, or of a startup file that held a hand-made key); a key found there
is masked in place, since those files are there to restore the rest of their text.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import block, files, keys, shells
from wizard.context import Context
from wizard.edits import manifest
from wizard.errors import ExitCode, SetupError
from wizard.stores import Change

# An assignment of a literal sk- key, in any shell's syntax: `export K=sk-…`, `K="sk-…" cmd`,
# `set -gx K 'sk-…'`, `$env:K = 'sk-…'`, `Set-Item Env:K -Value sk-…`, `SetEnvironmentVariable('K', 'sk-…')`,
# `setx K "sk-…"`.
_ASSIGN = re.compile(
    r"""DASHSCOPE_API_KEY['"]?\s*(?:=|,|\s)\s*(?:-Value\s+)?["'‘’]?(sk-[A-Za-z0-9._-]{6,})"""
)
# A key given to this tool as an argument (`dashscope-setup --key sk-…`), which it refuses and
# tells the user to scrub: so the scrub must find it even when it is not the configured key.
_OUR_ARGV = re.compile(r"(?:dashscope-setup|-m\s+wizard)\b[^\n]*?(?<![A-Za-z0-9._-])(sk-[A-Za-z0-9._-]{6,})")
_SK = re.compile(r"sk-[A-Za-z0-9._-]{6,}")
# The value of any assignment, sk- or not; `$(…)`/`$VAR` are not secrets and stay readable.
_VALUE_OF = re.compile(
    r"""(DASHSCOPE_API_KEY['"]?\s*(?:=|,|\s)\s*(?:-Value\s+)?["'‘’]?)([^\s'"‘’;)$(][^\s'"‘’;)]*)"""
)
MIN_EXACT = 8  # a shorter "key" would match ordinary text
SAVED_LINES = "disabled-lines.json"  # see wizard.edits.migrate


@dataclass(frozen=True)
class HistoryFile:
    path: Path
    shell: str  # whose format: a name in SHELLS; for one of our backups, any (its entries are lines)
    backup: bool = False


@dataclass(frozen=True)
class Finding:
    """One history entry that holds a key. `digest` (SHA-256 of the entry) lets `scrub` find it again
    after the shell appended or truncated the file; it is never shown."""

    path: Path
    shell: str
    lines: tuple[int, ...]  # 1-based physical lines of the entry
    masks: tuple[str, ...]
    exact: bool  # holds the very key given to `find`
    digest: str = field(repr=False)
    backup: bool = False  # in our own backups folder: masked in place, not removed

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "shell": self.shell,
            "lines": list(self.lines),
            "masks": list(self.masks),
            "exact": self.exact,
            "backup": self.backup,
        }


def history_files(ctx: Context) -> list[HistoryFile]:
    """The history files that exist, each once (symlinks resolved)."""
    seen: set[str] = set()
    out: list[HistoryFile] = []
    for path, shell in shells.history_files(ctx):
        real = os.path.realpath(path)
        if real not in seen and path.is_file():
            seen.add(real)
            out.append(HistoryFile(path, shell.name))
    any_shell = next(iter(shells.SHELLS))
    with contextlib.suppress(OSError):
        for path in sorted(manifest.backups_dir(ctx).iterdir()):
            # The originals of lines `--disable-foreign` masked: kept on purpose, 0600, for `remove`.
            if path.is_file() and path.name != SAVED_LINES:
                out.append(HistoryFile(path, any_shell, backup=True))
    return out


# --- entries -------------------------------------------------------------------------------------


def entries(lines: list[str], shell: str, *, backup: bool = False) -> list[tuple[int, int]]:
    """(start, end) line-index ranges covering every line exactly once, in order."""
    if backup:
        return [(i, i + 1) for i in range(len(lines))]
    return shells.get(shell).history_entries(lines)


def _digest(chunk: str) -> str:
    return hashlib.sha256(chunk.encode("utf-8", "surrogatepass")).hexdigest()


def _read(path: Path) -> tuple[bytes, files.Decoded] | None:
    try:
        data = files.resolve(path).read_bytes()
        return data, files.decode(data)
    except (OSError, UnicodeDecodeError):
        return None


def find(ctx: Context, key: str | None = None) -> list[Finding]:
    """Entries with the given key anywhere, with an assignment of any literal sk- key, or with one
    given to this tool as an argument."""
    exact = key if key and len(key) >= MIN_EXACT else None
    out: list[Finding] = []
    for hf in history_files(ctx):
        read = _read(hf.path)
        if read is None:
            continue
        lines = block.shell_lines(read[1].text)
        for start, end in entries(lines, hf.shell, backup=hf.backup):
            chunk = "".join(lines[start:end])
            found = [m.group(1) for pattern in (_ASSIGN, _OUR_ARGV) for m in pattern.finditer(chunk)]
            is_exact = exact is not None and exact in chunk
            if not found and not is_exact:
                continue
            masks = ([keys.mask(exact)] if is_exact and exact else []) + [keys.mask(v) for v in found]
            out.append(
                Finding(
                    hf.path,
                    hf.shell,
                    tuple(range(start + 1, end + 1)),
                    tuple(dict.fromkeys(masks)),
                    is_exact,
                    _digest(chunk),
                    hf.backup,
                )
            )
    return out


# --- removing ------------------------------------------------------------------------------------


def redact(text: str, key: str | None = None) -> str:
    """Text safe to show: every sk-… token and every value assigned to DASHSCOPE_API_KEY masked."""
    if key and len(key) >= MIN_EXACT:
        text = text.replace(key, keys.mask(key))
    text = _VALUE_OF.sub(lambda m: m.group(1) + keys.mask(m.group(2)), text)
    return _SK.sub(lambda m: keys.mask(m.group()), text)


def scrub(
    ctx: Context,
    findings: Iterable[Finding],
    *,
    key: str | None = None,
    backup: bool = True,
    dry_run: bool = False,
) -> list[Change]:
    """Remove exactly the entries found (in our own backups: mask them). One Change per file
    (what="history"), plus one for a backup created now (what="backup": the original with those
    entries masked). `key` is the key `find` was given, so that it is masked too."""
    by_path: dict[Path, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    changes: list[Change] = []
    for path, group in by_path.items():
        changes.extend(_scrub_file(ctx, path, group, key, backup=backup, dry_run=dry_run))
    return changes


def _scrub_file(
    ctx: Context, path: Path, group: list[Finding], key: str | None, *, backup: bool, dry_run: bool
) -> list[Change]:
    wanted = {f.digest for f in group}
    shell = group[0].shell
    ours = group[0].backup
    backup = backup and not ours
    for _attempt in range(3):
        real = files.resolve(path)
        try:
            before = real.stat()
        except OSError:
            return [Change(str(path), "unchanged", "history")]
        read = _read(path)
        if read is None:
            raise SetupError(ExitCode.STORE, "err.unreadable", path=str(path), reason="")
        _data, dec = read
        lines = block.shell_lines(dec.text)
        kept: list[str] = []
        masked: list[str] = []
        removed = 0
        for start, end in entries(lines, shell, backup=ours):
            chunk = "".join(lines[start:end])
            if _digest(chunk) in wanted:
                removed += 1
                masked.append(redact(chunk, key))
                if ours:
                    kept.append(redact(chunk, key))
            else:
                kept.append(chunk)
                masked.append(chunk)
        if not removed:
            return [Change(str(path), "unchanged", "history")]
        new_text = "".join(kept)
        diff = redact(block.unified_diff(path, dec.text, new_text))
        if dry_run:
            return [Change(str(path), "would-modify", "history", shell, diff)]
        now = real.stat()
        if (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            continue  # the shell wrote meanwhile: read again
        out: list[Change] = []
        if backup:
            dest, created = manifest.backup_once(ctx, path, files.encode(dec, "".join(masked)))
            if created:
                out.append(Change(dest, "created", "backup", shell))
        try:
            files.atomic_write(path, files.encode(dec, new_text))
        except OSError as exc:
            raise SetupError(
                ExitCode.STORE, "err.write_failed", path=str(path), reason=exc.strerror
            ) from None
        out.insert(0, Change(str(path), "modified", "history", shell, diff))
        return out
    raise SetupError(ExitCode.STORE, "history.err.busy", path=str(path))
