"""Everything a server sends is untrusted text: it can echo the key it was sent, and carry terminal
escapes (an OSC 52 clipboard write, a screen clear, a carriage return that overwrites a line with a
fake "✓"). Nothing from the network reaches output or JSON without passing through here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from wizard.keys import mask

# C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_KEEP_LF = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_BEARER = re.compile(r"(?i)bearer\s+\S+")
_SK = re.compile(r"sk-[A-Za-z0-9._-]{6,}")


def _mask_secrets(text: str, key: str) -> str:
    if key:
        text = text.replace(key, mask(key))
    text = _BEARER.sub("Bearer ***", text)
    return _SK.sub(lambda m: m.group() if "…" in m.group() else mask(m.group()), text)


def clean(text: str, key: str, limit: int = 300) -> str:
    """One line, safe to show: no key, no bearer token, no control character, bounded size."""
    text = _mask_secrets(text, key)
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text[:limit]


def clean_id(value: object, key: str) -> str | None:
    """An error code or request id: the same, shorter; None when nothing printable is left."""
    if value is None or value == "":
        return None
    return clean(str(value), key, limit=120) or None


def clean_reply(text: str, key: str) -> str:
    """A model's reply keeps its line breaks and loses everything else a terminal would obey."""
    return _mask_secrets(_CONTROL_KEEP_LF.sub("", text), key)


class SafeStream:
    """Streamed reply text, cleaned before it is shown. The key may arrive split across chunks, so
    the tail that could be the start of the key is held back until the next chunk or `flush`."""

    def __init__(self, key: str, out: Callable[[str], None]) -> None:
        self._key = key
        self._out = out
        self._pending = ""

    def __call__(self, text: str) -> None:
        pending = _CONTROL_KEEP_LF.sub("", self._pending + text)
        if self._key:
            pending = pending.replace(self._key, mask(self._key))
        hold = next(
            (
                n
                for n in range(min(len(self._key) - 1, len(pending)), 0, -1)
                if pending.endswith(self._key[:n])
            ),
            0,
        )
        ready, self._pending = pending[: len(pending) - hold], pending[len(pending) - hold :]
        if ready:
            self._out(ready)

    def flush(self) -> None:
        if self._pending:
            self._out(self._pending)
            self._pending = ""
