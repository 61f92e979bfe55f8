"""The end screen's "use it in this terminal now" line, typed at an open cmd.exe prompt on Windows
CPython under wine, exactly as printed: it loads every value setup wrote (the key and the region's
base URLs, not the key alone), shows no key on the screen, and each `snippet` line does the same."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import new_key
from tests.fakes.dashscope import FakeDashScope
from tests.windows_wine.conftest import OUR_VALUES, WinLane

SINGAPORE = "ap-southeast-1"
SEEN = re.compile(r"(DASHSCOPE_[A-Z_]+)=(.*)$")


def _after_typing(win: WinLane, lines: list[str]) -> tuple[str, dict[str, str]]:
    """In a new cmd whose values from the registry are cleared first (a window opened before the
    setup): the screen up to the check, and what `set DASHSCOPE` then shows."""
    cleared = [f"set {name}=" for name in OUR_VALUES]
    for _ in range(3):  # wine's cmd has been seen to print nothing under load: never read that as a result
        screen = win.typed([*cleared, *lines, "echo CHECK", "set DASHSCOPE"])
        if "CHECK" in screen:
            break
    else:
        raise AssertionError(f"cmd never reached the check: {screen[-1000:]!r}")
    before, _, after = screen.partition("CHECK")
    seen = {}
    for line in after.split("\n"):
        m = SEEN.search(line)
        if m:
            seen[m.group(1)] = m.group(2)
    return before, seen


@pytest.mark.parametrize("store", ["userenv", "file"])
def test_the_use_now_line_as_printed_loads_every_value_and_shows_no_key(
    win: WinLane, fake_dashscope: FakeDashScope, store: str
) -> None:
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    # The key file needs a shell whose startup file loads it: CMD has none, so PowerShell is named
    # (auto would not pick it: PowerShell profiles only on request). This terminal is still CMD.
    args = ["--store", store, "--shell", "powershell"] if store == "file" else []
    r = win.cli("setup", "--yes", "--key-stdin", "--json", *args, stdin=key + "\r\n", utf8=True)
    assert r.code == 0, r.out
    session = json.loads(r.stdout)["session"]
    assert session["shell"] == "cmd"
    expected = {
        "DASHSCOPE_API_KEY": key,
        "DASHSCOPE_HTTP_BASE_URL": fake_dashscope.native_url(SINGAPORE),
        "DASHSCOPE_COMPATIBLE_BASE_URL": fake_dashscope.url(SINGAPORE),
        "DASHSCOPE_WEBSOCKET_BASE_URL": fake_dashscope.websocket_url(SINGAPORE),
    }

    # Without the line, nothing: the check below is not reading what the window started with.
    assert _after_typing(win, [])[1] == {}
    screen, seen = _after_typing(win, [session["use_now"]])
    assert seen == expected, screen
    assert key not in screen

    # The lines `setup -v` and `snippet` show, typed one after another, do the same.
    screen, seen = _after_typing(win, session["lines"])
    assert seen == expected, screen
    assert key not in screen

    assert win.cli("remove", "--yes", utf8=True).code == 0
