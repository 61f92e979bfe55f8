"""Migration: disable the `export DASHSCOPE_API_KEY=…` lines a user wrote by hand (following the
guide), so our managed block is the only definition left — reversibly.

`comment_out` and `restore` are pure and exact inverses (property-tested): a disabled line gets
a prefix at column 0 and its key masked, and nothing else changes. The masked comment stays in a
file that may be readable by others; the original lines live only in `disabled-lines.json`, 0600
in our backups folder, which `remove` reads to give them back exactly and then deletes.

In sh/bash a `then`/`do`/`{` body made only of comments is a syntax error, so where a disabled
line could be the only command of such a body (or follows `&&`/`|`) the prefix starts with `: `
(the no-op command) instead. `plan` shows a masked diff and, where the shell is installed, asks
it to syntax-check the result (`bash -n`, `zsh -n`, `fish --no-execute`); the caller refuses a
file whose check fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import block, files, shells
from wizard import scan as status
from wizard.context import Context
from wizard.edits.history import SAVED_LINES, redact
from wizard.edits.manifest import backup_once, backups_dir
from wizard.edits.startup import syntax_ok
from wizard.errors import ExitCode, SetupError
from wizard.scan import KeyInfo
from wizard.stores import Change

PREFIX = status.DISABLED_MARK  # "# disabled by dashscope-setup: "
NOOP_PREFIX = ": " + PREFIX


@dataclass(frozen=True)
class Finding:
    """A line outside our block that sets DASHSCOPE_API_KEY."""

    path: Path
    line: int
    shell: str  # syntax family: posix | fish | powershell
    key: KeyInfo | None
    dynamic: bool
    read_by: tuple[str, ...]  # the kinds of new shell that run this line (status.SCENARIOS)
    compound: bool  # the line does more than this assignment; disabling it disables all of it

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "line": self.line,
            "shell": self.shell,
            **(self.key.to_json() if self.key else {"mask": None, "length": None, "fingerprint": None}),
            "dynamic": self.dynamic,
            "read_by": list(self.read_by),
            "compound": self.compound,
        }


def find_foreign_exports(ctx: Context, report: status.StatusReport | None = None) -> list[Finding]:
    """Assignments to DASHSCOPE_API_KEY in startup files, outside our block (reuses a scan if given)."""
    report = report if report is not None else status.scan(ctx)
    out: list[Finding] = []
    for src in report.sources:
        if src.kind != "assignment" or src.path is None or src.line is None:
            continue
        path = Path(src.path)
        try:
            text = files.decode(files.resolve(path).read_bytes()).text
        except (OSError, UnicodeDecodeError):
            continue
        lines = block.shell_lines(text)
        line = lines[src.line - 1] if src.line <= len(lines) else ""
        if "dashscope-setup" in line and "env" in line:
            continue  # `eval "$(dashscope-setup env)"` loads our own store: nothing to migrate
        out.append(
            Finding(
                path,
                src.line,
                src.shell or "posix",
                src.key,
                src.dynamic,
                src.read_by,
                _compound(line, src.shell or "posix"),
            )
        )
    return out


def _compound(line: str, family: str) -> bool:
    body = line.rstrip("\n").rstrip("\r")
    return body.endswith("\\") or shells.for_family(family).is_compound(body)


# --- the pure edit -------------------------------------------------------------------------------


_OPENS = re.compile(r"(?:^|[\s;])(?:then|do|else)\s*$|(?:\{|&&|\|\||\||\()\s*$")
_CLOSES = re.compile(r"^\s*(?:(?:fi|done|else|elif|esac)(?:\s|;|$)|[})]|;;)")


def _meaningful(line: str) -> bool:
    s = line.strip()
    return bool(s) and not s.startswith("#")


def _needs_noop(lines: list[str], i: int) -> bool:
    """Would a bare comment here leave a sh body empty, or hang a `&&`/`|` onto the next command?"""
    if i > 0 and lines[i - 1].rstrip("\r\n").endswith("\\"):
        return False  # a continuation line: `:` would become an argument; a comment is right
    prev = next((x for x in reversed(lines[:i]) if _meaningful(x)), "")
    nxt = next((x for x in lines[i + 1 :] if _meaningful(x)), "")
    return bool(_OPENS.search(prev.rstrip("\r\n"))) or bool(_CLOSES.match(nxt))


def comment_out(text: str, line_numbers: Iterable[int], *, family: str = "posix") -> str:
    """Prefix the given 1-based lines; every other byte stays. `restore` undoes it exactly."""
    lines = block.shell_lines(text)
    chosen = sorted(set(line_numbers))
    if chosen and (chosen[0] < 1 or chosen[-1] > len(lines)):
        raise ValueError("line number out of range")
    prefixes = {n: NOOP_PREFIX if family == "posix" and _needs_noop(lines, n - 1) else PREFIX for n in chosen}
    for n, prefix in prefixes.items():
        lines[n - 1] = prefix + redact(lines[n - 1])
    return "".join(lines)


def originals(text: str, line_numbers: Iterable[int]) -> list[str]:
    """The lines `comment_out` will mask, as they are: what `restore` needs to give them back."""
    lines = block.shell_lines(text)
    return [lines[n - 1] for n in sorted(set(line_numbers))]


def restore(text: str, saved: Iterable[str] = ()) -> str:
    """Re-enable every line `comment_out` disabled (one level of prefix per line); a masked line
    whose original is in `saved` gets the original back."""
    pool = list(saved)
    out: list[str] = []
    for line in block.shell_lines(text):
        if line.startswith(NOOP_PREFIX):
            line = line[len(NOOP_PREFIX) :]
        elif line.startswith(PREFIX):
            line = line[len(PREFIX) :]
        else:
            out.append(line)
            continue
        match = next((i for i, o in enumerate(pool) if redact(o) == line), None)
        out.append(pool.pop(match) if match is not None else line)
    return "".join(out)


# --- the originals of disabled lines ---------------------------------------------------------------


def saved_lines_path(ctx: Context) -> Path:
    return backups_dir(ctx) / SAVED_LINES


def load_saved_lines(ctx: Context) -> dict[str, list[str]]:
    """{file: original lines}; empty when missing or unreadable (the lines then come back masked)."""
    try:
        data = json.loads(saved_lines_path(ctx).read_text(encoding="utf-8", errors="surrogateescape"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: [x for x in v if isinstance(x, str)] for k, v in data.items() if isinstance(v, list)}


def _save_lines(ctx: Context, path: Path, lines: list[str]) -> None:
    saved = load_saved_lines(ctx)
    saved[str(path)] = saved.get(str(path), []) + lines
    dest = saved_lines_path(ctx)
    files.make_dirs(dest.parent, mode=0o700)
    text = json.dumps(saved, ensure_ascii=False)
    files.atomic_write(dest, text.encode("utf-8", "surrogateescape"), secret=True)


def masked_diff(path: Path, before: str, after: str) -> str:
    """The unified diff with every key masked (a raw key must never reach the screen)."""
    return block.unified_diff(path, redact(before), redact(after))


# --- plan and apply ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilePlan:
    path: Path
    family: str
    lines: tuple[int, ...]
    before: bytes = field(repr=False)
    after: bytes = field(repr=False)
    saved: tuple[str, ...] = field(repr=False)  # the original lines (they hold the key)
    masked_before: bytes = field(repr=False)  # what the backup keeps: the original, key masked
    diff: str
    syntax_ok: bool | None  # None: no shell installed to check with, or the file was already broken

    @property
    def changed(self) -> bool:
        return self.before != self.after


def plan(ctx: Context, findings: Iterable[Finding]) -> list[FilePlan]:
    by_path: dict[Path, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    out: list[FilePlan] = []
    for path, group in by_path.items():
        before = files.resolve(path).read_bytes()
        dec = files.decode(before)
        numbers = tuple(sorted({f.line for f in group}))
        try:
            spans = block.find_blocks(dec.text, shells.for_family(group[0].shell).comment_lines(dec.text))
        except SetupError as exc:
            raise SetupError(exc.code, exc.msg_id, **exc.params, path=str(path)) from None
        for start, end in spans:
            first = dec.text.count("\n", 0, start) + 1
            last = dec.text.count("\n", 0, end - 1) + 1
            if any(first <= n <= last for n in numbers):
                raise ValueError("refusing to disable a line inside our own block")
        family = group[0].shell
        text = comment_out(dec.text, numbers, family=family)
        out.append(
            FilePlan(
                path,
                family,
                numbers,
                before,
                files.encode(dec, text),
                tuple(originals(dec.text, numbers)),
                files.encode(dec, redact(dec.text)),
                masked_diff(path, dec.text, text),
                syntax_ok(ctx, path, family, dec.text, text),
            )
        )
    return out


def apply(ctx: Context, plans: Iterable[FilePlan]) -> list[Change]:
    """Write the planned files (atomically, mode kept, original backed up once)."""
    changes: list[Change] = []
    for p in plans:
        if not p.changed:
            changes.append(Change(str(p.path), "unchanged", "foreign-export"))
            continue
        if p.syntax_ok is False:
            raise SetupError(ExitCode.STORE, "migrate.err.syntax", path=str(p.path))
        if files.resolve(p.path).read_bytes() != p.before:
            raise SetupError(ExitCode.STORE, "migrate.err.changed", path=str(p.path))
        files.check_writable(p.path)
        _save_lines(ctx, p.path, list(p.saved))
        dest, created = backup_once(ctx, p.path, p.masked_before)
        if created:
            changes.append(Change(dest, "created", "backup"))
        try:
            files.atomic_write(p.path, p.after)
        except OSError as exc:
            raise SetupError(
                ExitCode.STORE, "err.write_failed", path=str(p.path), reason=exc.strerror
            ) from None
        changes.append(Change(str(p.path), "modified", "foreign-export", None, p.diff))
    return changes
