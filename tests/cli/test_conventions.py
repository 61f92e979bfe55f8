"""The command line behaves as command lines do: global options before or after the command, `help`
and `-V`, unknown commands answered with a suggestion, usage errors in the user's language (argparse's
own frame too, on every Python the package supports) and as JSON under --json, region aliases, and a
key typed as an argument refused without being echoed, with the way to get it out of the history.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT, clean_env, new_key, run_cli, setup_cli
from wizard.cli import parser
from wizard.cli.commands import COMMANDS
from wizard.messages import catalogue

KEY = "sk-" + "5f4e3d2c1b0a9988" * 2


# --- global options, help, version ---------------------------------------------------------------


def test_global_options_go_before_the_command(home: Path) -> None:
    zh = run_cli(home, "--lang", "zh", "status")
    # 9: nothing is configured in this HOME, said in Chinese
    assert zh.returncode == 9 and "没有在任何位置找到 DASHSCOPE_API_KEY" in zh.stdout, zh.stderr
    data = json.loads(run_cli(home, "--json", "status").stdout)
    assert data["command"] == "status"
    both = run_cli(home, "--json", "--lang", "zh", "snippet", "--shell", "fish")
    assert json.loads(both.stdout)["command"] == "snippet"


def test_global_options_after_the_command_still_work(home: Path) -> None:
    result = run_cli(home, "status", "--json", "--lang", "zh")
    assert json.loads(result.stdout)["command"] == "status"
    assert "没有在任何位置找到" in result.stderr


def test_setup_is_implied_after_global_options(home: Path) -> None:
    result = run_cli(
        home, "--lang", "zh", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=new_key()
    )
    assert result.returncode == 0, result.stderr
    assert "完成" in result.stdout


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(home: Path, flag: str) -> None:
    result = run_cli(home, flag)
    assert (result.returncode, result.stdout.split()[0]) == (0, "dashscope-setup")


def test_help_command_and_overview_list_the_global_options(home: Path) -> None:
    for argv in (["help"], ["--help"], ["--lang", "zh", "help"]):
        result = run_cli(home, *argv)
        assert result.returncode == 0
        for option in ("--lang", "--json", "--debug", "-V, --version", "help [COMMAND]"):
            assert option in result.stdout, (argv, option)
    assert run_cli(home, "--lang", "zh", "--help").stdout == parser.overview("zh")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_command_shows_a_commands_help(home: Path, name: str) -> None:
    result = run_cli(home, "help", name)
    assert result.returncode == 0
    assert result.stdout == run_cli(home, name, "--help").stdout
    assert result.stdout.startswith(f"usage: dashscope-setup {name}")


def test_help_on_the_fast_path_imports_no_argparse(home: Path) -> None:
    for argv in (["--lang", "zh", "--help"], ["help"]):
        code = (
            "import sys\n"
            f"sys.argv = ['dashscope-setup', *{argv!r}]\n"
            "from wizard.entry import main\n"
            "main()\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(ROOT), timeout=30
        )
        assert proc.stdout.startswith(("usage:", "用法:")), proc.stderr
        assert "argparse" not in proc.stderr.split()


# --- unknown commands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "meant"), [("login", "setup"), ("statsu", "status"), ("uninstall", "remove"), ("verify", "test")]
)
def test_unknown_command_suggests_the_one_meant(home: Path, word: str, meant: str) -> None:
    result = run_cli(home, word)
    assert result.returncode == 2
    assert f"dashscope-setup: error: unknown command '{word}'; did you mean {meant}?" in result.stderr
    assert result.stderr.startswith("usage: dashscope-setup")


def test_unknown_command_without_a_near_one_lists_the_commands(home: Path) -> None:
    result = run_cli(home, "--lang", "zh", "frobnicate")
    assert result.returncode == 2
    assert "未知命令 'frobnicate'" in result.stderr and "setup, test, status" in result.stderr


def test_help_for_an_unknown_command_is_a_usage_error(home: Path) -> None:
    result = run_cli(home, "help", "logn")
    assert result.returncode == 2 and "did you mean" in result.stderr


# --- usage errors: the user's language and JSON ---------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "zh"),
    [
        (["setup", "--region", "mars"], "参数 --region: 无效的取值: 'mars'"),
        (["setup", "--key-file"], "参数 --key-file: 需要一个参数值"),
        (["setup", "--key-stdin", "--use-env"], "参数 --use-env: 不能与参数 --key-stdin 同时使用"),
        (["status", "--bogus"], "无法识别的参数: --bogus"),
        (["snippet", "--store", "userenv"], "无效的取值: 'userenv'"),
    ],
)
def test_usage_errors_are_fully_chinese(home: Path, argv: list[str], zh: str) -> None:
    result = run_cli(home, "--lang", "zh", *argv)
    assert result.returncode == 2
    assert result.stderr.startswith(f"用法: dashscope-setup {argv[0]} ")
    assert f"dashscope-setup {argv[0]}: 错误: " in result.stderr
    assert zh in result.stderr
    assert not re.search(r"usage:|error:|argument|invalid|expected|not allowed|unrecognized", result.stderr)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_help_is_fully_chinese(home: Path, name: str) -> None:
    out = run_cli(home, name, "--help", env={"LANG": "zh_CN.UTF-8"}).stdout
    assert out.startswith(f"用法: dashscope-setup {name}")
    assert "\n选项:\n" in out
    assert not re.search(r"usage:|options:|show this help|positional arguments", out)
    for line in out.splitlines():  # every option's description is in Chinese
        m = re.match(r"  (-\S+.*?)\s{2,}(\S.*)$", line)
        if m:
            assert re.search(r"[\u4e00-\u9fff]", m.group(2)), line


def test_usage_error_with_json_is_one_json_object(home: Path) -> None:
    result = run_cli(home, "setup", "--region", "mars", "--json")
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert (data["exit_code"], data["ok"], data["command"]) == (2, False, "setup")
    assert data["error"]["id"] == "err.usage"
    assert "invalid choice: 'mars'" in data["error"]["message"]
    assert "usage: dashscope-setup setup" in result.stderr  # the human text goes to stderr


def test_unknown_command_with_json_before_it(home: Path) -> None:
    result = run_cli(home, "--json", "--lang", "zh", "login")
    data = json.loads(result.stdout)
    assert (result.returncode, data["command"], data["error"]["id"]) == (2, None, "err.unknown_command")
    assert "setup" in data["error"]["message"]


def _interpreters() -> list[str]:
    """Python 3.9 (the oldest supported) and 3.13 (the newest), where this machine has them (on PATH
    or installed by pyenv; a pyenv shim for a version not selected does not run, so each is tried)."""
    found = []
    for minor in ("3.9", "3.13"):
        candidates = [
            *sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{minor}.*/bin/python{minor}"))),
            shutil.which(f"python{minor}"),
        ]
        for path in filter(None, candidates):
            ok = subprocess.run([path, "-c", "pass"], capture_output=True, timeout=30).returncode == 0
            if ok:
                found.append(path)
                break
    return found


PYTHONS = _interpreters()  # at import, while HOME is still the real one

# argparse texts about mistakes in a program's own parser definition, never shown to a user
_DEVELOPER_TEXTS = {
    "'required' is an invalid argument for positionals",
    "%r is not callable",
    ".__call__() not defined",
    'argument "-" with mode %r',
    "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r",
    "conflicting option string: %s",
    "conflicting option strings: %s",
    "conflicting subparser alias: %s",
    "conflicting subparser: %s",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional",
    "unknown parser %(parser_name)r (choices: %(choices)s)",
    "can't open '%(filename)s': %(error)s",  # FileType, not used
    "argument '%(argument_name)s' is deprecated",  # deprecated=, not used
    "command '%(parser_name)s' is deprecated",
    "option '%(option)s' is deprecated",
    "%(prog)s: warning: %(message)s\n",
    "%(heading)s:",  # the heading itself is translated
    " (default: %(default)s)",  # ArgumentDefaultsHelpFormatter, not used
}


def _argparse_texts(python: str) -> set[str]:
    code = (
        "import argparse, ast, inspect, json\n"
        "tree = ast.parse(inspect.getsource(argparse))\n"
        "out = set()\n"
        "for node in ast.walk(tree):\n"
        "    if isinstance(node, ast.Call) and getattr(node.func, 'id', None) in ('_', 'ngettext'):\n"
        "        out.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))\n"
        "print(json.dumps(sorted(out)))\n"
    )
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(proc.stdout))


def test_every_argparse_text_a_user_can_see_is_translated_on_every_python() -> None:
    pythons = PYTHONS or [sys.executable]
    if len(pythons) < 2 and not IN_CI:
        pytest.skip("Python 3.9 and 3.13 are not both installed")
    translated = {en for msg_id, (en, _) in catalogue().items() if msg_id.startswith("usage.ap.")}
    for python in {*pythons, sys.executable}:
        missing = _argparse_texts(python) - translated - _DEVELOPER_TEXTS
        assert not missing, (python, missing)


def test_usage_ap_entries_keep_argparse_placeholders() -> None:
    pattern = re.compile(r"%(?:\(\w+\))?[rsd]")
    for msg_id, (en, zh) in catalogue().items():
        if msg_id.startswith("usage.ap."):
            assert sorted(pattern.findall(en)) == sorted(pattern.findall(zh)), msg_id


@pytest.mark.parametrize("python", PYTHONS or [sys.executable])
def test_chinese_frame_on_the_oldest_and_newest_python(home: Path, python: str) -> None:
    """argparse formats "argument X: …" without gettext before 3.11; the frame is Chinese anyway."""
    proc = subprocess.run(
        [
            python,
            "-c",
            "import sys; from wizard.cli.run import main; sys.exit(main(sys.argv[1:]))",
            "--lang",
            "zh",
            "setup",
            "--region",
            "mars",
        ],
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(ROOT),
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("用法: dashscope-setup setup")
    assert "dashscope-setup setup: 错误: 参数 --region: 无效的取值: 'mars'" in proc.stderr


# --- region aliases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "region"),
    [
        ("beijing", "cn-beijing"),
        ("singapore", "ap-southeast-1"),
        ("virginia", "us-east-1"),
        ("us", "us-east-1"),
        ("hongkong", "cn-hongkong"),
        ("HK", "cn-hongkong"),
        ("us-east-1", "us-east-1"),
    ],
)
def test_region_aliases(alias: str, region: str) -> None:
    assert parser.parse(["setup", "--region", alias], "en").region == region


def test_region_alias_reaches_the_saved_setup(home: Path) -> None:
    result = setup_cli(home, new_key(), "--region", "hk", "--shell", "bash", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["region"] == "cn-hongkong"


# --- pasted keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pasted", ["Bearer {k}", "Authorization: Bearer {k}", '"Bearer {k}"', "bearer {k}"])
def test_a_pasted_bearer_prefix_is_stripped_and_said(home: Path, pasted: str) -> None:
    key = new_key()
    result = setup_cli(home, pasted.format(k=key), "--shell", "bash", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "note.stripped_bearer" in [n["id"] for n in data["key"]["notes"]]
    assert (home / ".dashscope" / "api_key").read_text() == key + "\n"


def test_a_cut_off_key_gets_the_length_it_should_have(home: Path) -> None:
    short = setup_cli(home, KEY[:15])
    assert short.returncode == 2 and "only 15 characters" in short.stderr and "35" in short.stderr
    args = ("--shell", "bash", "--json")
    cut = setup_cli(home, KEY[:30], *args)
    notes = [n["id"] for n in json.loads(cut.stdout)["key"]["notes"]]
    assert "note.maybe_truncated" in notes
    whole = setup_cli(home, KEY, *args)
    assert [n["id"] for n in json.loads(whole.stdout)["key"]["notes"]] == []
