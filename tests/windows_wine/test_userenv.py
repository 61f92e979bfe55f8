"""The default store on Windows, the user environment, through the real CLI on Windows CPython under
wine: what the registry holds, what a NEW cmd.exe gets, what `env`, `snippet`, `test`, `status` and
`remove` print, in English (cp1252) and Chinese (cp936) Windows."""

from __future__ import annotations

import pytest

from tests.conftest import new_key
from tests.fakes.dashscope import FakeDashScope
from tests.windows_wine.conftest import OUR_VALUES, WinLane
from wizard.messages import t

LANGS = ["en", "zh"]
SINGAPORE = "ap-southeast-1"


def _setup(win: WinLane, key: str, *args: str, lang: str = "en", utf8: bool = True) -> None:
    r = win.cli("setup", "--yes", "--key-stdin", *args, stdin=key + "\r\n", lang=lang, utf8=utf8)
    assert r.code == 0, r.out
    assert key not in r.out


def _seen_by_new_cmd(win: WinLane) -> dict[str, str]:
    """What `set` prints in a new cmd.exe for our variables."""
    seen: dict[str, str] = {}
    for line in win.batch(["set DASHSCOPE"]):
        name, _, value = line.partition("=")
        if name.upper() in OUR_VALUES:
            seen[name.upper()] = value
    return seen


@pytest.mark.parametrize("lang", LANGS)
def test_setup_writes_reg_sz_a_new_cmd_sees_it_and_remove_restores_the_registry(
    win: WinLane, fake_dashscope: FakeDashScope, lang: str
) -> None:
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    before = win.reg_query()

    _setup(win, key, lang=lang)  # the live check finds the region on the fake

    expected = {
        "DASHSCOPE_API_KEY": key,
        "DASHSCOPE_HTTP_BASE_URL": fake_dashscope.native_url(SINGAPORE),
        "DASHSCOPE_COMPATIBLE_BASE_URL": fake_dashscope.url(SINGAPORE),
        "DASHSCOPE_WEBSOCKET_BASE_URL": fake_dashscope.websocket_url(SINGAPORE),
    }
    after = win.reg_query()
    assert {k: v for k, v in after.items() if k not in before} == {
        name.lower(): ("REG_SZ", value) for name, value in expected.items()
    }
    assert _seen_by_new_cmd(win) == expected
    assert fake_dashscope.recorded(), "the live check never reached the fake"
    # State and backups are machine-local: %LOCALAPPDATA%, not the roaming profile.
    assert (win.profile / "AppData" / "Local" / "dashscope-setup" / "state.json").is_file()
    assert not (win.profile / "AppData" / "Roaming" / "dashscope-setup").exists()

    r = win.cli("remove", "--yes", lang=lang, utf8=True)
    assert r.code == 0, r.out
    assert win.reg_query() == before
    assert _seen_by_new_cmd(win) == {}
    assert not (win.profile / "AppData" / "Local" / "dashscope-setup").exists()


def test_an_install_recorded_in_roaming_appdata_still_removes_cleanly(
    win: WinLane, fake_dashscope: FakeDashScope
) -> None:
    """Earlier versions kept their record in %APPDATA%: remove must still find and follow it."""
    key = new_key()
    before = win.reg_query()
    _setup(win, key, "--region", "cn-beijing", "--offline")
    local = win.profile / "AppData" / "Local" / "dashscope-setup"
    roaming = win.profile / "AppData" / "Roaming" / "dashscope-setup"
    local.rename(roaming)  # where the earlier version left it

    r = win.cli("remove", "--yes", utf8=True)
    assert r.code == 0, r.out
    assert win.reg_query() == before
    assert not roaming.exists()
    assert not local.exists()


def test_remove_with_nothing_recorded_looks_through_the_profiles_and_succeeds(win: WinLane) -> None:
    """No record: remove looks for our blocks in every startup file, PowerShell's included, whose
    place it must know even when PowerShell does not answer (wine's is a stub)."""
    before = win.reg_query()
    r = win.cli("remove", "--yes", utf8=True)
    assert r.code == 0, r.out
    assert win.reg_query() == before


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_follows_the_windows_display_language(win: WinLane, lang: str) -> None:
    """No LANG or LC_* on Windows: a Chinese Windows (UI language zh-CN) gets Chinese."""
    r = win.cli("env", "--shell", "cmd", lang=lang, utf8=True)
    assert r.code != 0
    # (the text before the command it names, which depends on how the tool was started)
    assert t(lang, "err.no_stored_key").split("`")[0] in r.stderr


@pytest.mark.parametrize(
    ("lang", "codepage"), [("en", "cp1252"), ("zh", "gbk")], ids=["en-cp1252", "zh-cp936"]
)
def test_setup_status_and_remove_with_output_piped_in_the_ansi_code_page(
    win: WinLane, fake_dashscope: FakeDashScope, lang: str, codepage: str
) -> None:
    """As `> log.txt` or `$out = …` capture it: Python writes in the ANSI code page."""
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    before = win.reg_query()
    results = [
        win.cli("setup", "--yes", "--key-stdin", stdin=key + "\r\n", lang=lang),
        win.cli("status", lang=lang),
        win.cli("remove", "--yes", lang=lang),
    ]
    assert win.reg_query() == before
    for r in results:
        assert r.encoding == codepage
        assert (r.code, "Traceback" in r.out) == (0, False), r.out
        r.raw_stdout.decode(codepage)  # strictly: nothing but the code page's own bytes


def test_status_after_setup_does_not_say_the_key_is_only_in_this_terminal(
    win: WinLane, fake_dashscope: FakeDashScope
) -> None:
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    _setup(win, key)
    r = win.cli("status", utf8=True)
    assert r.code == 0, r.out
    assert key[-4:] in r.out  # it found the key
    assert t("en", "status.warn.env_only").split("{")[0] not in r.out


def test_remove_after_setup_does_not_say_nothing_was_recorded(
    win: WinLane, fake_dashscope: FakeDashScope
) -> None:
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    _setup(win, key)
    r = win.cli("remove", "--yes", utf8=True)
    assert r.code == 0, r.out
    assert "dashscope_api_key" not in win.reg_query()  # it did remove something
    assert t("en", "warn.nothing_recorded").split("{")[0] not in r.out


def test_env_for_cmd_runs_in_a_new_cmd_and_for_powershell_parses(
    win: WinLane, fake_dashscope: FakeDashScope
) -> None:
    from tests.shells.test_quoting import _ps_parser, _ps_values

    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    _setup(win, key)
    expected = [
        key,
        fake_dashscope.native_url(SINGAPORE),
        fake_dashscope.url(SINGAPORE),
        fake_dashscope.websocket_url(SINGAPORE),
    ]

    ps = win.cli("env", "--shell", "powershell", utf8=True)
    assert ps.code == 0, ps.out
    assert _ps_values(_ps_parser(), ps.stdout) == expected

    cmd = win.cli("env", "--shell", "cmd", utf8=True)
    assert cmd.code == 0, cmd.out
    lines = cmd.stdout.strip().splitlines()
    # A fresh cmd.exe without the registry's values: the printed lines alone must set them.
    for name in OUR_VALUES:
        win.reg_delete(name)
    out = win.batch([*lines, *(f"set {name}" for name in OUR_VALUES)])
    assert [line.partition("=")[2] for line in out if line.partition("=")[0] in OUR_VALUES] == expected


@pytest.mark.parametrize("shell", ["cmd", "powershell"])
def test_snippet_prints_no_key(win: WinLane, fake_dashscope: FakeDashScope, shell: str) -> None:
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    _setup(win, key)
    r = win.cli("snippet", "--shell", shell, utf8=True)
    assert r.code == 0, r.out
    assert r.stdout.strip()
    assert key not in r.out


def test_test_calls_the_fake_with_the_key_a_new_process_gets(
    win: WinLane, fake_dashscope: FakeDashScope
) -> None:
    key = new_key()
    fake_dashscope.add_key(key, SINGAPORE)
    _setup(win, key, "--offline", "--region", SINGAPORE)
    assert fake_dashscope.recorded() == []
    r = win.cli("test", utf8=True)
    assert r.code == 0, r.out
    assert key not in r.out
    calls = fake_dashscope.recorded("chat")
    assert calls and {c.region for c in calls} == {SINGAPORE}
