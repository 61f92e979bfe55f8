"""Ctrl-C for the whole run, and the one place that remembers it came.

The handler entry.py installs raises KeyboardInterrupt wherever the main thread happens to be. That
is sometimes inside a callback CPython runs for itself, where an exception cannot propagate: a
SIGINT landing in the import lock's weakref callback prints "Exception ignored in: <function
_get_module_lock.<locals>.cb>" and the run carries on, or hangs on the import lock (seen on Pythons
3.9 and 3.13 while the live check imports its modules). So the handler notes the signal, raises only outside
importlib, and every question, the wait for the live check, and the flow before it writes ask
`raise_if_pending()` first: the run still ends with 130 and nothing written.
"""

from __future__ import annotations

_seen: list[int] = []
_over: list[bool] = []


def handler(signum: int, frame: object) -> None:
    _seen.append(signum)
    if _over or _in_importlib(frame):
        return  # importlib's own code: an exception there can leave the import lock held
    raise KeyboardInterrupt


def _in_importlib(frame: object) -> bool:
    """Whether the signal landed in importlib's bootstrap. A KeyboardInterrupt raised in its
    module-lock callback cannot propagate (CPython reports it as ignored), and runs were seen to
    hang on the next import after it: most likely a lock it had taken was never given back."""
    name = getattr(getattr(frame, "f_code", None), "co_filename", "")
    return isinstance(name, str) and name.startswith("<frozen importlib")


def seen() -> bool:
    """Whether a SIGINT reached this run's handler."""
    return bool(_seen)


def over() -> None:
    """The run has ended: a signal now is noted, not raised (it would escape as a traceback from
    the code that puts the old handler back)."""
    _over.append(True)


def raise_if_pending() -> None:
    if _seen and not _over:
        raise KeyboardInterrupt
