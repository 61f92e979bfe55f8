"""The command-line contract: exit codes, --json, --dry-run, snippet, the non-interactive rule."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, clean_env, new_key, run_cli, snapshot
from wizard.cli import parser
from wizard.cli import run as cli
from wizard.cli.commands import COMMANDS
from wizard.context import Context
from wizard.messages import t
from wizard.options import Options
from wizard.regions import DEFAULT_MODEL

SETUP = ("setup", "--yes", "--offline", "--key-stdin")


def test_json_is_exactly_one_object_with_schema_and_changes(home: Path) -> None:
    key = new_key()
    result = run_cli(home, *SETUP, "--shell", "bash", "--json", stdin=key)
    assert result.returncode == 0
    data = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert data["schema_version"] == 1
    assert data["exit_code"] == 0
    assert data["key"]["mask"] == f"sk-…{key[-4:]}"
    assert data["key"]["length"] == 35
    assert data["store"] == {"kind": "file", "path": str(home / ".dashscope" / "api_key")}
    actions = {(c["path"], c["action"]) for c in data["changes"]}
    assert (str(home / ".dashscope" / "api_key"), "created") in actions
    assert (str(home / ".bashrc"), "created") in actions
    assert t("en", "label.done") in result.stderr  # human text goes to stderr in JSON mode


def test_json_changed_is_true_only_when_the_machine_changed(home: Path) -> None:
    """Provisioning tools (the Ansible role in examples/) report `changed` from this one field."""
    key = new_key()

    def changed(*args: str, stdin: str = "") -> bool:
        result = run_cli(home, *args, "--json", stdin=stdin)
        assert result.returncode == 0, result.stderr
        value = json.loads(result.stdout)["changed"]
        assert isinstance(value, bool)
        return value

    assert changed(*SETUP, "--shell", "bash", "--dry-run", stdin=key) is False
    assert changed(*SETUP, "--shell", "bash", stdin=key) is True
    before = snapshot(home)
    assert changed(*SETUP, "--shell", "bash", stdin=key) is False
    assert snapshot(home) == before
    assert changed(*SETUP, "--shell", "zsh", stdin=key) is True  # another shell's block
    assert changed("remove", "--dry-run") is False
    assert changed("remove", "--yes") is True
    assert changed("remove", "--yes") is False


def test_json_error_carries_the_exit_code(home: Path) -> None:
    result = run_cli(home, *SETUP, "--json", stdin="not-a-key")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["exit_code"] == 2
    assert data["error"]["id"] == "err.key_prefix"


def test_no_terminal_and_no_yes_exits_2_with_the_flags_to_use(home: Path) -> None:
    result = run_cli(home, "setup", stdin="")
    assert result.returncode == 2
    assert f"{sys.executable} -m wizard setup --yes --key-file keyfile" in result.stderr


def test_no_key_source_is_a_usage_error(home: Path) -> None:
    result = run_cli(home, "setup", "--yes", "--offline")
    assert result.returncode == 2
    assert "--key-stdin" in result.stderr


def test_setup_is_the_default_command(home: Path) -> None:
    result = run_cli(home, "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=new_key())
    assert result.returncode == 0, result.stderr
    assert (home / ".dashscope" / "api_key").exists()


def test_dry_run_prints_unified_diffs_and_writes_nothing(home: Path) -> None:
    (home / ".bashrc").write_text("alias ll='ls -l'\n")
    before = snapshot(home)
    result = run_cli(home, *SETUP, "--shell", "bash", "--dry-run", stdin=new_key())
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before
    assert f"--- {home / '.bashrc'}" in result.stdout
    assert "+# >>> dashscope-setup >>>" in result.stdout
    assert "would create" in result.stdout


def test_use_env_takes_the_current_variable(home: Path) -> None:
    key = new_key()
    result = run_cli(
        home, "setup", "--yes", "--offline", "--use-env", "--shell", "bash", env={"DASHSCOPE_API_KEY": key}
    )
    assert result.returncode == 0, result.stderr
    assert (home / ".dashscope" / "api_key").read_text() == key + "\n"


def test_use_env_without_the_variable_is_a_usage_error(home: Path) -> None:
    result = run_cli(home, "setup", "--yes", "--offline", "--use-env")
    assert result.returncode == 2
    assert "DASHSCOPE_API_KEY" in result.stderr


def test_key_file_option_reads_and_normalises(home: Path) -> None:
    key = new_key()
    src = home / "key.txt"
    src.write_text(f'"{key}"\r\n')
    result = run_cli(home, "setup", "--yes", "--offline", "--key-file", str(src), "--shell", "bash", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [n["id"] for n in data["key"]["notes"]] == ["note.stripped_quotes"]
    assert (home / ".dashscope" / "api_key").read_text() == key + "\n"


def test_temporary_token_is_refused_for_persistent_setup(home: Path) -> None:
    result = run_cli(home, *SETUP, stdin="st-" + secrets.token_hex(16))
    assert result.returncode == 2
    assert "30" in result.stderr


def test_coding_plan_key_is_warned_about(home: Path) -> None:
    result = run_cli(home, *SETUP, "--shell", "bash", stdin="sk-sp-" + secrets.token_hex(16))
    assert result.returncode == 0
    assert "Coding Plan" in result.stdout


def test_bad_region_override_is_a_usage_error(home: Path) -> None:
    result = run_cli(home, *SETUP, stdin=new_key(), env={"DASHSCOPE_SETUP_REGION_URLS": "mars=http://x"})
    assert result.returncode == 2
    assert "DASHSCOPE_SETUP_REGION_URLS" in result.stderr


@pytest.mark.parametrize(
    ("flags", "env"),
    [
        (("--base-url", "http://mirror.example.com/compatible-mode/v1"), {}),
        (
            ("--region", "cn-beijing"),
            {"DASHSCOPE_SETUP_REGION_URLS": "cn-beijing=http://mirror.example.com/compatible-mode/v1"},
        ),
    ],
)
def test_plain_http_to_another_host_is_refused_and_nothing_is_written(
    home: Path, flags: tuple[str, ...], env: dict[str, str]
) -> None:
    before = snapshot(home)
    result = run_cli(home, *SETUP, "--shell", "bash", *flags, stdin=new_key(), env=env)
    assert result.returncode == 2, result.stderr
    assert "DASHSCOPE_SETUP_ALLOW_HTTP=1" in result.stderr
    assert snapshot(home) == before


def test_plain_http_to_another_host_is_saved_when_explicitly_allowed(home: Path) -> None:
    url = "http://mirror.example.com/compatible-mode/v1"
    env = {"DASHSCOPE_SETUP_ALLOW_HTTP": "1"}
    result = run_cli(home, *SETUP, "--shell", "bash", "--base-url", url, stdin=new_key(), env=env)
    assert result.returncode == 0, result.stderr
    assert f"export DASHSCOPE_COMPATIBLE_BASE_URL='{url}'" in (home / ".bashrc").read_text()


def test_region_override_points_the_block_at_the_mirror(home: Path) -> None:
    env = {"DASHSCOPE_SETUP_REGION_URLS": "cn-beijing=http://127.0.0.1:9/compatible-mode/v1"}
    result = run_cli(home, *SETUP, "--shell", "bash", "--region", "cn-beijing", stdin=new_key(), env=env)
    assert result.returncode == 0, result.stderr
    assert "export DASHSCOPE_HTTP_BASE_URL='http://127.0.0.1:9/api/v1'" in (home / ".bashrc").read_text()


def test_custom_base_url_is_recorded(home: Path) -> None:
    result = run_cli(
        home,
        *SETUP,
        "--shell",
        "bash",
        "--base-url",
        "https://ws1.eu-central-1.maas.aliyuncs.com/compatible-mode/v1",
        "--json",
        stdin=new_key(),
    )
    data = json.loads(result.stdout)
    assert data["region"] == "custom"
    assert "https://ws1.eu-central-1.maas.aliyuncs.com/api/v1" in (home / ".bashrc").read_text()


def test_session_scope_writes_nothing_and_prints_a_silent_prompt_line(home: Path) -> None:
    before = snapshot(home)
    result = run_cli(home, *SETUP, "--scope", "session", stdin=new_key())
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before
    assert "stty -echo" in result.stdout


def test_snippet_writes_nothing_and_prints_each_shell(home: Path) -> None:
    before = snapshot(home)
    result = run_cli(home, "snippet", "--shell", "bash", "--shell", "fish", "--shell", "powershell")
    assert result.returncode == 0, result.stderr
    assert snapshot(home) == before
    assert "IFS= read -r DASHSCOPE_API_KEY" in result.stdout
    assert "read -gx DASHSCOPE_API_KEY" in result.stdout
    assert "Get-Content -LiteralPath" in result.stdout


def test_snippet_session_cmd_line(home: Path) -> None:
    result = run_cli(home, "snippet", "--shell", "cmd", "--scope", "session")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("set /p DASHSCOPE_API_KEY=<")


def test_remove_twice_is_harmless(home: Path) -> None:
    assert run_cli(home, *SETUP, "--shell", "bash", stdin=new_key()).returncode == 0
    assert run_cli(home, "remove", "--yes").returncode == 0
    second = run_cli(home, "remove", "--yes")
    assert second.returncode == 0
    assert second.stdout == t("en", "label.nothing_to_remove") + "\n"  # one outcome, no "Removed."


def test_remove_dry_run_changes_nothing(home: Path) -> None:
    assert run_cli(home, *SETUP, "--shell", "bash", stdin=new_key()).returncode == 0
    before = snapshot(home)
    result = run_cli(home, "remove", "--dry-run")
    assert result.returncode == 0
    assert snapshot(home) == before
    assert "would delete ~/.bashrc (setup had created it, for our block only) [bash]" in result.stdout


def test_remove_keeps_a_key_file_it_did_not_create(home: Path) -> None:
    kf = home / ".dashscope" / "api_key"
    kf.parent.mkdir()
    kf.write_text(new_key() + "\n")
    kf.chmod(0o600)
    assert run_cli(home, *SETUP, "--shell", "bash", stdin=new_key()).returncode == 0
    result = run_cli(home, "remove", "--yes")
    assert result.returncode == 0
    assert kf.exists()
    assert "kept" in result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_remove_says_whether_the_file_or_only_our_block_went(home: Path, lang: str) -> None:
    (home / ".bashrc").write_text("alias ll='ls -l'\n")  # the user's: only our block goes
    assert run_cli(home, *SETUP, "--shell", "bash", stdin=new_key()).returncode == 0
    result = run_cli(home, "remove", "--yes", "--lang", lang)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  " + t(lang, "change.removed.block", path="~/.bashrc") + " [bash]" in lines
    assert "  " + t(lang, "change.deleted.block", path="~/.profile") + " [bash]" in lines  # setup made it
    assert "  " + t(lang, "change.deleted.key-file", path="~/.dashscope/api_key") in lines
    assert (home / ".bashrc").read_text() == "alias ll='ls -l'\n"
    assert not (home / ".profile").exists()


def test_chinese_output_from_the_locale(home: Path) -> None:
    result = run_cli(home, *SETUP, "--shell", "bash", stdin=new_key(), env={"LANG": "zh_CN.UTF-8"})
    assert "密钥" in result.stdout
    assert "完成" in result.stdout


def test_version(home: Path) -> None:
    result = run_cli(home, "--version")
    assert result.returncode == 0
    assert result.stdout.startswith("dashscope-setup ")


def test_unknown_option_is_exit_2(home: Path) -> None:
    assert run_cli(home, "setup", "--key", "sk-123").returncode == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["setup", "--help"],
        ["snippet", "--shell", "bash"],
        ["snippet", "--shell", "fish", "--scope", "session"],
        ["env", "--shell", "bash"],
    ],
)
def test_fast_paths_import_no_heavy_modules(home: Path, argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from wizard.cli.run import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('questionary', 'prompt_toolkit', 'httpx', 'keyring') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(ROOT),
        timeout=30,
    )
    assert "HEAVY=\n" in proc.stderr, proc.stderr


def test_help_overview_names_every_command_in_both_languages() -> None:
    for lang in ("en", "zh"):
        listed = [
            line.split()[0]
            for line in parser.overview(lang).splitlines()
            if line.startswith("  ") and line[2] != " " and line.split()[0] in COMMANDS
        ]
        assert listed == list(COMMANDS), lang


def test_console_help_is_the_static_overview(home: Path) -> None:
    result = run_cli(home, "--help", env={"LANG": "zh_CN.UTF-8"})
    assert result.returncode == 0
    assert result.stdout.startswith("用法: dashscope-setup")


def test_powershell_profile_keeps_utf16_bom_and_crlf(home: Path) -> None:
    profile = home / ".config" / "powershell" / "profile.ps1"
    profile.parent.mkdir(parents=True)
    original = "\ufeffSet-PSReadLineOption -EditMode Emacs\r\n# 中文注释\r\n".encode("utf-16-le")
    profile.write_bytes(original)
    result = run_cli(home, *SETUP, "--shell", "powershell", stdin=new_key())
    assert result.returncode == 0, result.stderr
    data = profile.read_bytes()
    assert data.startswith(b"\xff\xfe")
    text = data.decode("utf-16-le")
    assert text.startswith(
        "\ufeffSet-PSReadLineOption -EditMode Emacs\r\n# 中文注释\r\n# >>> dashscope-setup >>>\r\n"
    )
    assert "\n" not in text.replace("\r\n", "")
    assert run_cli(home, "remove", "--yes").returncode == 0
    assert profile.read_bytes() == original


@pytest.mark.parametrize(
    ("shell", "line"),
    [
        ("bash", 'eval "$({tool} env --shell bash)"'),
        ("fish", "{tool} env --shell fish | source"),
        ("powershell", "{tool} env --shell powershell | Out-String | Invoke-Expression"),
    ],
)
def test_keyring_session_line_goes_through_env(home: Path, shell: str, line: str) -> None:
    """`env` as the tool was started (here `python -m wizard`: dashscope-setup is not on PATH)."""
    result = run_cli(home, "snippet", "--shell", shell, "--scope", "session", "--store", "keyring")
    assert result.stdout.strip() == line.format(tool=f"{sys.executable} -m wizard")


def test_keyring_store_without_dbus_exits_8_and_writes_nothing(home: Path) -> None:
    before = snapshot(home)
    result = run_cli(home, *SETUP, "--shell", "bash", "--store", "keyring", stdin=new_key())
    assert result.returncode == 8
    assert "--store file" in result.stderr
    assert snapshot(home) == before


# --- one command table: the parser, the overview and the dispatch are built from it -------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_in_the_table_resolves_to_a_function(name: str) -> None:
    command = COMMANDS[name]
    assert callable(command.load())
    assert callable(command.load(ask=True))


def test_parser_has_exactly_the_commands_of_the_table_in_its_order() -> None:
    import argparse

    actions = [a for a in parser.build("en")._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(actions[0].choices) == list(COMMANDS)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--help"], True),
        (["-h"], True),
        (["--help", "--lang", "zh"], True),
        (["--help", "--lang=zh"], True),
        (["setup", "--help"], False),
        (["--lang", "zh", "--help"], True),  # global options go before the command too
        (["--json", "-h"], True),
        (["help"], True),
        (["help", "--lang", "zh"], True),
        (["--lang", "zh", "help"], True),
        (["help", "setup"], False),
        (["--help", "--yes"], False),
        ([], False),
    ],
)
def test_overview_is_asked_by_help_before_any_command(argv: list[str], expected: bool) -> None:
    assert parser.wants_overview(argv) is expected


def test_lang_flag_ignores_the_arguments_of_the_command_run_starts() -> None:
    assert parser.lang_flag(["run", "--lang", "zh", "--", "tool", "--lang", "en"]) == "zh"
    assert parser.lang_flag(["run", "--", "tool", "--lang=zh"]) is None


def test_help_inside_the_process_prints_the_same_overview(
    ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["--help", "--lang", "zh"], ctx) == 0
    assert capsys.readouterr().out == parser.overview("zh")


def test_model_default_is_the_one_default_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert parser.parse(["test"], "en").model == DEFAULT_MODEL == Options().model
    with pytest.raises(SystemExit):
        parser.parse(["test", "--help"], "en")
    assert f"(default: {DEFAULT_MODEL})" in capsys.readouterr().out


def test_help_imports_neither_argparse_nor_any_heavy_module(home: Path) -> None:
    """The console's own path (entry.main), which answers --help before the Context exists."""
    code = (
        "import sys\n"
        "sys.argv = ['dashscope-setup', '--help']\n"
        "from wizard.entry import main\n"
        "main()\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(ROOT),
        timeout=30,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("usage: dashscope-setup")
    imported = set(proc.stderr.split())
    assert (
        imported & {"argparse", "httpx", "questionary", "prompt_toolkit", "keyring", "typing", "dataclasses"}
        == set()
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_help_text_of_a_command_is_in_the_catalogue(
    name: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Help ids are built from names (help.cmd.<command>, help.opt.<option>); an unknown one would
    show as the bare id."""
    with pytest.raises(SystemExit):
        parser.parse([name, "--help"], lang)
    text = capsys.readouterr().out
    assert "help." not in text.replace("--help", "")
    assert "help." not in parser.overview(lang)


@pytest.mark.parametrize(
    "argv",
    [
        ["sk-0123456789abcdef0123456789abcdef"],
        ["setup", "--yes", "sk-0123456789abcdef0123456789abcdef"],
        ["status", "--shell", "sk-0123456789abcdef0123456789abcdef"],
        ["0123456789abcdef0123456789abcdef"],
    ],
)
def test_a_key_in_the_wrong_place_is_masked_in_the_usage_error(home: Path, argv: list[str]) -> None:
    result = run_cli(home, *argv)
    assert result.returncode == 2
    assert argv[-1] not in result.stderr + result.stdout
    assert argv[-1][-4:] in result.stderr  # masked, still recognisable
