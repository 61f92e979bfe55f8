"""The SIGINT handler: raises wherever our code runs, only notes the signal inside importlib (where
Python 3.9 can swallow the exception and keep the import lock), and every checkpoint then raises."""

from __future__ import annotations

import sys
from types import FrameType

import pytest

from wizard import interrupts


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interrupts, "_seen", [])
    monkeypatch.setattr(interrupts, "_over", [])


def frame_in(filename: str) -> FrameType:
    """A real frame whose code comes from `filename`, as the signal handler would be given."""
    space: dict[str, object] = {"sys": sys}
    exec(compile("def grab():\n    return sys._getframe()\n", filename, "exec"), space)  # noqa: S102 (our own text)
    frame = space["grab"]()  # type: ignore[operator]
    assert isinstance(frame, FrameType)
    return frame


def test_in_our_code_it_raises_at_once() -> None:
    with pytest.raises(KeyboardInterrupt):
        interrupts.handler(2, frame_in(__file__))
    assert interrupts.seen()


def test_inside_importlib_it_is_noted_and_raised_at_the_next_checkpoint() -> None:
    interrupts.handler(2, frame_in("<frozen importlib._bootstrap>"))  # no exception here
    assert interrupts.seen()
    with pytest.raises(KeyboardInterrupt):
        interrupts.raise_if_pending()


def test_nothing_pending_without_a_signal_and_nothing_raised_once_the_run_is_over() -> None:
    interrupts.raise_if_pending()
    interrupts.over()
    interrupts.handler(2, frame_in(__file__))
    interrupts.raise_if_pending()
    assert interrupts.seen()
