"""PowerShell on Windows, with recorded answers: the profile path each PowerShell names (base64 of
UTF-8, so Chinese and OneDrive folders survive), the execution policy (reported, never changed),
PSReadLine history, a UTF-16 profile kept UTF-16, and the command we send parsed by
tree-sitter-powershell. Real PowerShell runs in tests/windows/ on a Windows runner."""

from __future__ import annotations

import base64
import codecs
import functools
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, make_ctx, needs_python
from wizard import block
from wizard.context import Context
from wizard.edits.startup import plan_file
from wizard.errors import ExitCode, SetupError
from wizard.shells import SHELLS, winps

KEY = "sk-" + "0123456789abcdef" * 2
DOCS = "C:\\Users\\张三\\OneDrive - 个人\\文档"
PWSH_PROFILE = DOCS + "\\PowerShell\\profile.ps1"
WINPS_PROFILE = DOCS + "\\WindowsPowerShell\\profile.ps1"


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def answer(profile: str | None, policy: str = "RemoteSigned", user: str = "Undefined") -> str:
    """What the probe prints, as PowerShell writes it to a pipe on Windows (CRLF)."""
    lines = [f"DS_PROFILE={b64(profile) if profile is not None else ''}", f"DS_POLICY={policy}"]
    lines.append(f"DS_USER_POLICY={user}")
    return "\r\n".join(lines) + "\r\n"


EXES = {
    "pwsh": "C:\\Program Files\\PowerShell\\7\\pwsh.exe",
    "powershell": "C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
}


class FakeRun:
    """ctx.run for PowerShell: edition -> (exit code, stdout); records every argv."""

    def __init__(self, answers: dict[str, tuple[int, str]]) -> None:
        self.answers = answers
        self.argvs: list[list[str]] = []

    def __call__(self, argv: list[str], env: Any) -> tuple[int, str]:
        self.argvs.append(list(argv))
        return self.answers.get(winps.edition_of(argv[0]), (127, ""))


def win_ctx(home: Path, answers: dict[str, tuple[int, str]], exes: tuple[str, ...]) -> Context:
    """A Windows context where `which` finds exactly the given PowerShell editions."""
    ctx = make_ctx(home, platform="win32", env={"APPDATA": str(home / "AppData" / "Roaming")})
    found = {name: EXES[name] for name in exes}
    ctx.which = found.get  # type: ignore[method-assign]
    ctx.run = FakeRun(answers)
    return ctx


def fake(ctx: Context) -> FakeRun:
    assert isinstance(ctx.run, FakeRun)
    return ctx.run


BOTH = ("pwsh", "powershell")


# --- where the profiles are ----------------------------------------------------------------------


def test_each_installed_powershell_is_asked_for_its_own_profile(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (0, answer(PWSH_PROFILE)), "powershell": (0, answer(WINPS_PROFILE))}, BOTH)
    assert [str(p) for p in winps.profile_paths(ctx)] == [PWSH_PROFILE, WINPS_PROFILE]
    assert fake(ctx).argvs == [
        [EXES["pwsh"], "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", winps.PROBE_SCRIPT],
        [
            EXES["powershell"],
            "-NoLogo",
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            winps.PROBE_SCRIPT,
        ],
    ]


def test_profile_targets_are_powershell_targets(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (0, answer(PWSH_PROFILE))}, ("pwsh",))
    [target] = winps.profile_targets(ctx)
    assert (str(target.path), target.shell, target.owned) == (PWSH_PROFILE, "powershell", False)


def test_the_probe_asks_for_all_hosts_profile_in_ascii_and_changes_nothing() -> None:
    script = winps.PROBE_SCRIPT
    assert "$PROFILE.CurrentUserAllHosts" in script
    assert "ToBase64String" in script and "UTF8.GetBytes" in script
    assert script.isascii()
    assert '"' not in script and "\\" not in script  # survives Windows command-line parsing as is
    assert "Set-ExecutionPolicy" not in script


@pytest.mark.parametrize(
    "noise",
    [
        pytest.param(lambda s: s, id="crlf"),
        pytest.param(lambda s: s.replace("\r\n", "\n"), id="lf"),
        pytest.param(lambda s: "\ufeff" + s, id="bom"),
        pytest.param(lambda s: "".join(ch + "\x00" for ch in s), id="utf16-read-as-bytes"),
        pytest.param(lambda s: "WARNING: something about modules\r\n" + s + "\r\n\r\n", id="stray-lines"),
    ],
)
def test_chinese_onedrive_path_survives_whatever_the_console_adds(home: Path, noise: Any) -> None:
    ctx = win_ctx(home, {"powershell": (0, noise(answer(WINPS_PROFILE)))}, ("powershell",))
    assert [str(p) for p in winps.profile_paths(ctx)] == [WINPS_PROFILE]


def test_a_powershell_that_fails_is_left_out(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (1, "pwsh: broken\r\n"), "powershell": (0, answer(WINPS_PROFILE))}, BOTH)
    assert [str(p) for p in winps.profile_paths(ctx)] == [WINPS_PROFILE]


def test_no_answer_at_all_is_a_clear_error(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (127, ""), "powershell": (0, "garbage\r\n")}, BOTH)
    with pytest.raises(SetupError) as exc:
        winps.profile_targets(ctx)
    assert (exc.value.code, exc.value.msg_id) == (ExitCode.USAGE, "err.ps_profile_unknown")


def test_no_powershell_installed_runs_nothing(home: Path) -> None:
    ctx = win_ctx(home, {}, ())
    assert winps.profile_paths(ctx) == []
    assert fake(ctx).argvs == []


def test_each_powershell_is_asked_once_per_context(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (0, answer(PWSH_PROFILE))}, ("pwsh",))
    winps.profile_paths(ctx)
    winps.profile_targets(ctx)
    winps.policy_warnings(ctx)
    assert len(fake(ctx).argvs) == 1


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param("not base64!", id="not-base64"),
        pytest.param(b64("profile.ps1"), id="relative"),
        pytest.param(b64("C:\\a\r\nC:\\b"), id="two-lines"),
        pytest.param(base64.b64encode(b"C:\\\xff\xfe").decode(), id="not-utf8"),
        pytest.param("", id="empty"),
    ],
)
def test_anything_but_one_absolute_path_is_rejected(payload: str) -> None:
    assert winps.decode_profile(payload, windows=True) is None


def test_same_path_from_both_editions_is_listed_once(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (0, answer(PWSH_PROFILE)), "powershell": (0, answer(PWSH_PROFILE))}, BOTH)
    assert [str(p) for p in winps.profile_paths(ctx)] == [PWSH_PROFILE]


def test_pwsh_on_linux_answers_a_posix_path(home: Path) -> None:
    profile = str(home / ".config" / "powershell" / "profile.ps1")
    ctx = make_ctx(home)
    ctx.which = {"pwsh": "/usr/bin/pwsh"}.get  # type: ignore[method-assign]
    ctx.run = FakeRun({"pwsh": (0, answer(profile, "Unrestricted").replace("\r\n", "\n"))})
    assert winps.profile_paths(ctx) == [Path(profile)]
    assert winps.policy_warnings(ctx) == []


@pytest.mark.parametrize(
    ("exe", "edition"),
    [
        ("C:\\Program Files\\PowerShell\\7\\pwsh.exe", "pwsh"),
        ("C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell"),
        ("/usr/bin/pwsh", "pwsh"),
    ],
)
def test_edition_of(exe: str, edition: str) -> None:
    assert winps.edition_of(exe) == edition


# --- a UTF-16 profile stays UTF-16 ---------------------------------------------------------------


def test_utf16_profile_written_by_windows_powershell_keeps_its_encoding(home: Path, tmp_path: Path) -> None:
    profile = tmp_path / "文档" / "WindowsPowerShell" / "profile.ps1"
    profile.parent.mkdir(parents=True)
    original = "# 我的配置\r\nSet-Alias ll Get-ChildItem\r\n"
    profile.write_bytes(codecs.BOM_UTF16_LE + original.encode("utf-16-le"))
    ctx = win_ctx(home, {"powershell": (0, answer(str(profile)))}, ("powershell",))
    [target] = winps.profile_targets(ctx)
    body = SHELLS["powershell"].file_block(Path("C:/Users/张三/.dashscope/api_key"), {})
    plan = plan_file(target, body)
    assert plan.after.startswith(codecs.BOM_UTF16_LE)
    text = plan.after[2:].decode("utf-16-le")
    assert text.startswith(original)
    assert block.BEGIN + "\r\n" in text and "\n" not in text.replace("\r\n", "")
    removed = plan_file(target, None)
    assert removed.after == profile.read_bytes()  # nothing written yet: removing changes nothing


# --- execution policy: reported, never changed ---------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "warned"),
    [
        ("Restricted", True),
        ("AllSigned", True),
        ("RemoteSigned", False),
        ("Unrestricted", False),
        ("Bypass", False),
    ],
)
def test_policy_that_stops_profiles_is_warned_about(home: Path, policy: str, warned: bool) -> None:
    ctx = win_ctx(home, {"powershell": (0, answer(WINPS_PROFILE, policy))}, ("powershell",))
    exe = EXES["powershell"]
    assert winps.execution_policy(ctx, exe) == policy
    warnings = winps.policy_warnings(ctx)
    if warned:
        assert [(w.id, w.params["shell"], w.params["policy"]) for w in warnings] == [
            ("warn.ps_execution_policy", "Windows PowerShell 5.1", policy)
        ]
    else:
        assert warnings == []
    assert not any("Set-ExecutionPolicy" in " ".join(a) for a in fake(ctx).argvs)


def test_unknown_policy_is_empty_not_a_guess(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (0, answer(PWSH_PROFILE, "Weird"))}, ("pwsh",))
    assert winps.execution_policy(ctx, EXES["pwsh"]) == ""
    assert winps.policy_warnings(ctx) == []


def test_user_scope_policy_is_read_too(home: Path) -> None:
    ctx = win_ctx(home, {"pwsh": (0, answer(PWSH_PROFILE, "Restricted", "Undefined"))}, ("pwsh",))
    info = winps.probe(ctx, EXES["pwsh"])
    assert (info.policy, info.user_policy, info.edition) == ("Restricted", "Undefined", "pwsh")


# --- PSReadLine history --------------------------------------------------------------------------


def test_history_path_on_windows_is_under_appdata(home: Path) -> None:
    ctx = win_ctx(home, {}, ())
    expected = home / "AppData" / "Roaming" / "Microsoft" / "Windows" / "PowerShell" / "PSReadLine"
    assert winps.history_path(ctx) == expected / "ConsoleHost_history.txt"
    msg = winps.history_warning(ctx)
    assert (msg.id, msg.params) == ("warn.ps_history", {"path": str(expected / "ConsoleHost_history.txt")})


def test_history_path_elsewhere_is_under_xdg_data(home: Path) -> None:
    ctx = make_ctx(home)
    assert winps.history_path(ctx) == home / ".local/share/powershell/PSReadLine/ConsoleHost_history.txt"


def test_history_files_holding_the_key_are_found_by_path(home: Path) -> None:
    ctx = win_ctx(home, {}, ())
    d = winps.history_dir(ctx)
    d.mkdir(parents=True)
    (d / "ConsoleHost_history.txt").write_text(
        f"dir\n$env:DASHSCOPE_API_KEY = '{KEY}'\nls\n", encoding="utf-8"
    )
    (d / "Visual Studio Code Host_history.txt").write_text("python app.py\n", encoding="utf-8")
    assert winps.history_files_with(ctx, KEY) == [d / "ConsoleHost_history.txt"]
    [msg] = winps.history_key_warnings(ctx, KEY)
    assert msg.id == "warn.ps_history_has_key" and KEY not in str(msg.params)
    assert winps.history_files_with(ctx, "") == []


def test_missing_history_dir_finds_nothing(home: Path) -> None:
    assert winps.history_files_with(make_ctx(home), KEY) == []


# --- the command we send, parsed -----------------------------------------------------------------


@functools.cache
def _parser() -> Any:
    try:
        import tree_sitter_powershell as tsp
        from tree_sitter import Language, Parser
    except ImportError:
        needs_python((3, 10), "tree-sitter-powershell")
        if IN_CI:
            pytest.fail("tree-sitter and tree-sitter-powershell are required in CI")
        pytest.skip("tree-sitter-powershell not installed")
    return Parser(Language(tsp.language()))


def _problems(source: str) -> list[str]:
    tree = _parser().parse(source.encode("utf-8"))
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_error or node.is_missing:
            found.append(f"{node.type} at {node.start_point}: {node.text!r}")
        stack.extend(node.children)
    return found


def test_probe_script_parses_cleanly() -> None:
    assert _problems(winps.PROBE_SCRIPT) == []


def test_the_parse_check_is_not_vacuous() -> None:
    assert _problems(winps.PROBE_SCRIPT.replace("(Get-ExecutionPolicy)", "(Get-ExecutionPolicy")) != []


def test_profile_block_for_windows_paths_parses_cleanly() -> None:
    body = SHELLS["powershell"].file_block(
        Path("C:\\Users\\O'Brien\\OneDrive - 个人\\.dashscope\\api_key"),
        {"DASHSCOPE_HTTP_BASE_URL": "https://dashscope-intl.aliyuncs.com/api/v1"},
    )
    assert _problems(block.make_block(body, "\r\n")) == []


def test_userenv_session_line_for_powershell_parses_cleanly() -> None:
    from wizard.stores.userenv import userenv_session_line

    line = userenv_session_line("powershell")
    assert line is not None
    assert _problems(line) == []
