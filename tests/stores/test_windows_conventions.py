"""Windows conventions, with the Windows facts injected through ``ctx.windows`` (the same code runs
for real in tests/windows_wine/): the language from the display language when no LANG or LC_* is
set, state in %LOCALAPPDATA% (an earlier %APPDATA% folder still followed), the PowerShell profile
from the Documents folder Windows reports, and CMD with a key store it cannot read at start."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import make_ctx, new_key
from tests.stores.test_winenv import Broadcasts, FakeWinReg
from wizard.cli import run as cli
from wizard.context import Context
from wizard.messages import detect_lang, t
from wizard.shells import SHELLS, winps
from wizard.shells.detect import detect
from wizard.stores.userenv import BASE_URL_VARS


def windows_ctx(home: Path, *, ui: str | None = None, env: dict[str, str] | None = None) -> Context:
    base = {
        "USERPROFILE": str(home),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
    }
    ctx = make_ctx(home, platform="win32", shell="cmd", env={**base, **(env or {})})
    ctx.windows.registry = FakeWinReg()
    ctx.windows.broadcast = Broadcasts()
    ctx.windows.ui_language = lambda: ui
    return ctx


@pytest.mark.parametrize(
    ("ui", "env", "lang"),
    [
        ("zh-CN", {}, "zh"),
        ("zh-TW", {}, "zh"),
        ("en-US", {}, "en"),
        ("de-DE", {}, "en"),
        (None, {}, "en"),
        ("zh-CN", {"LANG": "en_US.UTF-8"}, "en"),  # a locale variable (Git Bash, MSYS2) still wins
        ("en-US", {"LC_ALL": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_the_language_on_windows_follows_the_display_language_when_no_locale_variable_is_set(
    home: Path, ui: str | None, env: dict[str, str], lang: str
) -> None:
    ctx = windows_ctx(home, ui=ui, env=env)
    assert detect_lang(None, ctx.env, ctx.ui_language()) == lang
    code = cli.run(["env", "--shell", "cmd"], ctx)
    assert code != 0
    # (the text before the command it names, which depends on how the tool was started)
    assert t(lang, "err.no_stored_key").split("`")[0] in ctx.stderr.getvalue()


def test_the_display_language_is_asked_only_on_windows(home: Path) -> None:
    asked: list[bool] = []
    ctx = make_ctx(home)
    ctx.windows.ui_language = lambda: asked.append(True) or "zh-CN"  # type: ignore[func-returns-value]
    assert ctx.ui_language() is None
    assert detect_lang(None, ctx.env, ctx.ui_language()) == "en"
    assert asked == []


def test_state_lives_in_localappdata_on_windows(home: Path) -> None:
    ctx = windows_ctx(home)
    assert ctx.state_dir() == home / "AppData" / "Local" / "dashscope-setup"
    del ctx.env["LOCALAPPDATA"]
    assert ctx.state_dir() == home / "AppData" / "Local" / "dashscope-setup"
    assert make_ctx(home).state_dir() == home / ".config" / "dashscope-setup"


def test_an_earlier_roaming_record_is_followed_until_remove_empties_it(home: Path) -> None:
    key = new_key()
    ctx = windows_ctx(home, env={})
    ctx.stdin = io.StringIO(key)
    assert cli.run(["setup", "--yes", "--no-test", "--key-stdin", "--region", "ap-southeast-1"], ctx) == 0
    local = home / "AppData" / "Local" / "dashscope-setup"
    roaming = home / "AppData" / "Roaming" / "dashscope-setup"
    assert (local / "state.json").is_file()
    roaming.parent.mkdir(parents=True)
    local.rename(roaming)  # where an earlier version kept it
    assert ctx.state_dir() == roaming
    reg = ctx.windows.registry
    assert cli.run(["remove", "--yes"], ctx) == 0
    with reg.OpenKey(reg.HKEY_CURRENT_USER, "Environment", 0, reg.KEY_READ) as h:
        for name in ("DASHSCOPE_API_KEY", *BASE_URL_VARS):
            with pytest.raises(FileNotFoundError):
                reg.QueryValueEx(h, name)
    assert not roaming.exists()
    assert ctx.state_dir() == local


def _silent_powershell(ctx: Context, documents: str | None) -> None:
    """A PowerShell on PATH that answers nothing (a timeout, wine's stub)."""
    exe = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
    ctx.which = lambda name: exe if name == "powershell" else None  # type: ignore[method-assign]
    ctx.run = lambda argv, env: (0, "")
    ctx.windows.documents = lambda: documents


def test_a_powershell_that_does_not_answer_gets_its_profile_in_the_documents_folder_windows_reports(
    home: Path,
) -> None:
    ctx = windows_ctx(home)
    docs = "D:\\OneDrive\\文档"
    _silent_powershell(ctx, docs)
    assert winps.profile_paths(ctx) == [Path(docs) / "WindowsPowerShell" / "profile.ps1"]
    assert SHELLS["powershell"].profile_dirs(ctx) == [
        Path(docs) / "PowerShell",
        Path(docs) / "WindowsPowerShell",
    ]


def test_without_an_answer_or_a_documents_folder_the_profile_stays_unknown(home: Path) -> None:
    from wizard.errors import SetupError

    ctx = windows_ctx(home)
    _silent_powershell(ctx, None)
    with pytest.raises(SetupError) as info:
        winps.profile_targets(ctx)
    assert info.value.msg_id == "err.ps_profile_unknown"


@pytest.mark.parametrize("store", ["keyring", "file", "inline"])
def test_cmd_alone_with_a_store_it_cannot_read_at_start_is_refused_with_the_alternative(
    home: Path, store: str
) -> None:
    ctx = windows_ctx(home)
    ctx.stdin = io.StringIO(new_key())
    code = cli.run(["setup", "--yes", "--no-test", "--key-stdin", "--store", store, "--shell", "cmd"], ctx)
    assert code == 2
    err = ctx.stderr.getvalue()
    assert t("en", "err.cmd_no_startup", store=store) in err
    assert "None of the chosen shells" not in err
    assert not (home / ".dashscope").exists()
    assert detect(ctx).os.name == "windows"


def test_cmd_alone_elsewhere_keeps_the_general_message(home: Path) -> None:
    ctx = make_ctx(home, stdin=new_key())
    code = cli.run(["setup", "--yes", "--no-test", "--key-stdin", "--store", "file", "--shell", "cmd"], ctx)
    assert code == 2
    assert t("en", "err.no_targets") in ctx.stderr.getvalue()
