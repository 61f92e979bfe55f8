"""Normalising, validating and masking a key (docs/dashscope.md: key format). Pure functions.

Nothing here may put the key itself into an exception or a message: errors carry
positions, lengths and character classes only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wizard.errors import ExitCode, SetupError

MAX_LEN = 512
_VALID = re.compile(r"sk-[A-Za-z0-9._-]+")
_QUOTES = ('""', "''", "“”", "‘’", "``")
_PREFIXES = (
    "export DASHSCOPE_API_KEY=",
    "DASHSCOPE_API_KEY=",
    "set -gx DASHSCOPE_API_KEY ",
    "$env:DASHSCOPE_API_KEY=",
)

_BEARER = ("authorization: bearer ", "bearer ")
# The common key: sk- and 32 hex digits. One of that shape but shorter was most likely cut off.
COMMON_LENGTH = 35
_HEX_KEY = re.compile(r"sk-[0-9a-f]+")


@dataclass(frozen=True)
class Key:
    """A validated key. `repr` and `str` never show it."""

    value: str = field(repr=False)
    notes: tuple[str, ...] = ()
    removed_prefix: str = ""  # the assignment taken off the front of a paste, as it was there

    @property
    def kind(self) -> str:
        if self.value.startswith("sk-sp-"):
            return "coding-plan"
        if self.value.startswith("sk-ws-"):
            return "workspace"
        return "standard"

    @property
    def mask(self) -> str:
        return mask(self.value)

    @property
    def length(self) -> int:
        return len(self.value)

    def __str__(self) -> str:
        return self.mask


def mask(value: str) -> str:
    """`sk-…abcd`: enough to recognise a key, never enough to use it."""
    if len(value) < 12:
        return "…" * min(len(value), 3)
    head = value[:3] if value.startswith(("sk-", "st-")) else ""
    return f"{head}…{value[-4:]}"


_KEY_LIKE = re.compile(r"sk-[A-Za-z0-9._-]{6,}|[A-Za-z0-9_-]{24,}")


def redact(text: str, *secrets: str) -> str:
    """`text` with the given secrets and every key-shaped token (an sk- token, or a long run of
    key characters) masked: for text that may hold a key typed in the wrong place."""
    for secret in secrets:
        if len(secret) >= 8:
            text = text.replace(secret, mask(secret))
    return _KEY_LIKE.sub(lambda m: mask(m.group()), text)


def normalise(raw: str) -> tuple[str, tuple[str, ...]]:
    """Strip what a paste commonly adds; return the candidate and notes on what was removed."""
    text, notes, _prefix = _normalise(raw)
    return text, notes


def _normalise(raw: str) -> tuple[str, tuple[str, ...], str]:
    notes: list[str] = []
    removed = ""
    text = raw
    stripped = text.strip()
    if stripped != text:
        notes.append("note.stripped_whitespace")
    text = stripped
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            notes.append("note.stripped_assignment")
            removed = prefix.strip()
            break
    text = _strip_bearer(text, notes)
    while len(text) >= 2 and any(text[0] == q[0] and text[-1] == q[1] for q in _QUOTES):
        text = text[1:-1].strip()
        if "note.stripped_quotes" not in notes:
            notes.append("note.stripped_quotes")
    text = _strip_bearer(text, notes)
    return text, tuple(notes), removed


def _strip_bearer(text: str, notes: list[str]) -> str:
    """`Bearer sk-…` or `Authorization: Bearer sk-…`, as copied from a request (any case: HTTP's
    scheme names are case-insensitive)."""
    lower = text.lower()
    for prefix in _BEARER:
        if lower.startswith(prefix):
            if "note.stripped_bearer" not in notes:
                notes.append("note.stripped_bearer")
            return text[len(prefix) :].strip()
    return text


def validate(raw: str, *, persistent: bool = True) -> Key:
    text, notes, removed = _normalise(raw)
    if not text:
        raise SetupError(ExitCode.USAGE, "err.key_empty")
    if "\n" in text or "\r" in text:
        raise SetupError(ExitCode.USAGE, "err.key_multiline")
    for i, ch in enumerate(text):
        if ch.isspace():
            raise SetupError(ExitCode.USAGE, "err.key_space", pos=i + 1)
        if not (0x21 <= ord(ch) <= 0x7E):
            raise SetupError(ExitCode.USAGE, "err.key_nonascii", pos=i + 1)
    if text.startswith("st-"):
        if persistent:
            raise SetupError(ExitCode.USAGE, "err.key_temporary")
        return Key(text, notes, removed)
    if not text.startswith("sk-"):
        raise SetupError(ExitCode.USAGE, "err.key_prefix")
    if len(text) > MAX_LEN:
        raise SetupError(ExitCode.USAGE, "err.key_long", length=len(text), max=MAX_LEN)
    if not _VALID.fullmatch(text):
        bad = next((i for i, ch in enumerate(text) if not (ch.isalnum() or ch in "._-")), None)
        if bad is None:  # every character is allowed: nothing follows the prefix ("sk-")
            raise SetupError(ExitCode.USAGE, "err.key_short", length=len(text))
        raise SetupError(ExitCode.USAGE, "err.key_chars", pos=bad + 1)
    if len(text) < 20:
        raise SetupError(ExitCode.USAGE, "err.key_short", length=len(text))
    if len(text) < COMMON_LENGTH and _HEX_KEY.fullmatch(text):
        notes = (*notes, "note.maybe_truncated")
    return Key(text, notes, removed)
