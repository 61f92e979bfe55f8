"""The Windows facts the tool asks (context.py), asked of a real Windows API under wine."""

from __future__ import annotations

import pytest

from tests.windows_wine.conftest import USER, WinLane

ASK = (
    "from wizard.context import windows_documents, windows_ui_language;"
    "print(ascii(windows_ui_language()), ascii(windows_documents()))"
)


@pytest.mark.parametrize(("lang", "ui"), [("en", "en-US"), ("zh", "zh-CN")])
def test_display_language_and_documents_folder(winlane: WinLane, lang: str, ui: str) -> None:
    r = winlane.python_run("-c", ASK, lang=lang)
    assert r.code == 0, r.out
    assert r.stdout.split() == [ascii(ui), ascii(f"C:\\users\\{USER}\\Documents")]
