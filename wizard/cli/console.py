"""What the output streams can carry: every write of the tool goes through a stream prepared here.

Windows output redirected to a file or a pipe is in the ANSI code page (cp1252, cp936/GBK), and
PYTHONIOENCODING=ascii or a C locale without UTF-8 coercion give ASCII: a strict stream then dies
with UnicodeEncodeError half-way through the output. So, once, at the composition root:

- each stream gets an error handler that replaces our symbols (✓ ✗ • … “ ”) with the closest
  character the encoding has (√ × · in GBK; OK, X, *, ... in ASCII), a Chinese product name with
  its pinyin, and only as a last resort writes a ``\\uXXXX`` escape (lossless, and in the sample
  code a valid escape of the same text);
- Chinese is chosen only for a stream that can encode it (`fit_lang`): English is better than
  escapes, and nothing the English says differs;
- JSON escapes non-ASCII when the stream is not UTF (`json_ascii`), so it stays valid.

Imported on the `--help` path: nothing heavy.
"""

from __future__ import annotations

import codecs
import contextlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HANDLER = "dashscope-setup-fallback"
# symbol -> replacements, the first the stream's encoding can encode wins
_FALLBACK = {
    "✓": ("√", "OK"),
    "✗": ("×", "X"),
    "•": ("·", "*"),
    "…": ("...",),
    "—": ("-",),
    "–": ("-",),
    "“": ('"',),
    "”": ('"',),
    "‘": ("'",),
    "’": ("'",),
    "→": ("->",),
    "×": ("x",),
    "·": (".",),
    "√": ("OK",),
}
_UTF = ("utf-8", "utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_CHINESE_PROBE = "\u7528\u6cd5\uff1a\u5bc6\u94a5\uff08\u3002\uff09"  # Chinese text and its punctuation
_DEFAULT_ERRORS = ("strict", "backslashreplace", "surrogateescape")


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# Chinese names the English texts keep beside the English one ("Model Studio / Bailian"), spelled in pinyin
_NAMES = {"\u767e\u70bc": "Bailian"}


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    run = exc.object[exc.start : exc.end]
    if run in _NAMES:
        return _NAMES[run], exc.end
    out = []
    for ch in run:
        choice = next((c for c in _FALLBACK.get(ch, ()) if _encodes(c, exc.encoding)), None)
        if choice is None:
            choice = ch.encode("ascii", "backslashreplace").decode("ascii")
        out.append(choice)
    return "".join(out), exc.end


codecs.register_error(HANDLER, _fallback)


def _encoding(stream: Any) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def prepare(*streams: Any) -> None:
    """Make the streams write anything (see the module docstring). A UTF stream needs nothing; an
    error handler the user chose (PYTHONIOENCODING=ascii:replace) is kept; Python's defaults
    (strict for stdout, backslashreplace for stderr) are replaced."""
    for stream in streams:
        errors = getattr(stream, "errors", None)
        if json_ascii(stream) and errors in _DEFAULT_ERRORS and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors=HANDLER)


def fit_lang(lang: str, *streams: Any) -> str:
    """`lang`, unless it is Chinese and one of the streams cannot encode Chinese: then English."""
    if lang == "zh" and not all(_encodes(_CHINESE_PROBE, _encoding(s)) for s in streams):
        return "en"
    return lang


def json_ascii(stream: Any) -> bool:
    """Whether JSON for `stream` must escape every non-ASCII character to stay what was meant."""
    try:
        name = codecs.lookup(_encoding(stream)).name
    except LookupError:
        return True
    return name not in _UTF
