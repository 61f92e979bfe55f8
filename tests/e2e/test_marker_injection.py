"""Marker injection, end to end through the real command in an isolated HOME.

A value holding a line break and our marker lines (the key-file path, `--base-url`, a region
override) once made setup write a block that read as two blocks with the attacker's line between
them: inert while installed, live code in every new shell after `remove`. Now setup refuses such a
value (exit 2, nothing written), and a file already split that way is refused by setup and by
`remove` (exit 8, naming the file) rather than cut around the attacker's line.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, require, run_cli, setup_cli, snapshot
from tests.fakes.dashscope import FakeDashScope
from wizard.block import BEGIN, END

BEIJING = "https://dashscope.aliyuncs.com/compatible-mode/v1"


def payload(home: Path) -> str:
    """Close our block, run a command, open a block again: the shape an attacker needs."""
    return f"\n{END}\ntouch {home / 'pwned'}\n{BEGIN}\n"


def new_bash_runs_attack(home: Path) -> bool:
    """Start a brand-new interactive bash, as a user opening a terminal does."""
    require("bash")
    subprocess.run(
        ["bash", "-ic", "true"],
        capture_output=True,
        env=clean_env(home),
        cwd=str(home),
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    return (home / "pwned").exists()


def setup(home: Path, key: str, *extra: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return setup_cli(home, key + "\n", "--shell", "bash", "--lang", "en", *extra, env=env, offline=False)


def vectors(home: Path, fake: FakeDashScope) -> dict[str, tuple[tuple[str, ...], dict[str, str]]]:
    """(extra argv, extra env) per vector; the key-file path one runs with the live check on."""
    timeout = {"DASHSCOPE_SETUP_TIMEOUT": "2"}
    return {
        "key-file-path": (
            ("--region", "cn-beijing"),
            {
                "DASHSCOPE_API_KEY_FILE_PATH": f"{home}/key{payload(home)}x",
                "DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(),
                **timeout,
            },
        ),
        "base-url": (("--offline", "--base-url", f"{BEIJING}{payload(home)}x"), timeout),
        "region-override": (
            ("--offline", "--region", "ap-southeast-1"),
            {"DASHSCOPE_SETUP_REGION_URLS": f"ap-southeast-1={BEIJING}'{payload(home)}x", **timeout},
        ),
    }


@pytest.mark.parametrize("vector", ["key-file-path", "base-url", "region-override"])
def test_setup_refuses_a_value_carrying_our_markers(home: Path, fake: FakeDashScope, vector: str) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    (home / ".bashrc").write_text("alias ll='ls -l'\n")
    before = snapshot(home)
    extra, env = vectors(home, fake)[vector]

    result = setup(home, key, *extra, env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "control character" in result.stderr
    assert key not in result.stdout + result.stderr
    # The value is shown with its line breaks escaped: no marker line of its own, "\n" instead.
    assert not [ln for ln in result.stderr.splitlines() if ln.strip() in (BEGIN, END)]
    assert "\\n" + END in result.stderr
    assert snapshot(home) == before

    # Whatever the user does next, a new shell never runs the attacker's line.
    run_cli(home, "remove", "--yes")
    assert not new_bash_runs_attack(home)
    assert (home / ".bashrc").read_text() == "alias ll='ls -l'\n"


def test_chinese_message_for_a_control_character(home: Path) -> None:
    result = setup_cli(
        home,
        new_key() + "\n",
        "--shell",
        "bash",
        "--lang",
        "zh",
        "--base-url",
        f"{BEIJING}\x1b]52;c;aGk=\x07",
    )
    assert result.returncode == 2
    assert "控制字符" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b" in result.stderr


def poison(rc: Path, home: Path) -> None:
    """What an older version wrote for an injected value: our markers inside a quoted value that
    spans lines. bash reads it as one string; read line by line it looks like two blocks."""
    text = rc.read_text()
    start = text.find(BEGIN) if BEGIN in text else len(text)
    rc.write_text(text[:start] + f"{BEGIN}\nif [ -r '/k{payload(home)}' ]; then :; fi\n{END}\n")


def test_remove_takes_out_a_block_an_injected_value_spans_whole(home: Path) -> None:
    """The shell's lexer shows the inner markers are inside a string: the block is one, and all of
    it goes, the attacker's line with it."""
    rc = home / ".bashrc"
    rc.write_text("alias ll='ls -l'\n")
    result = setup(home, new_key(), "--offline", "--region", "cn-beijing", env={})
    assert result.returncode == 0, result.stderr
    poison(rc, home)

    result = run_cli(home, "remove", "--yes", "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    assert rc.read_text() == "alias ll='ls -l'\n"
    assert not new_bash_runs_attack(home)


def test_setup_replaces_a_block_an_injected_value_spans_whole(home: Path) -> None:
    rc = home / ".bashrc"
    rc.write_text("alias ll='ls -l'\n")
    poison(rc, home)
    result = setup(home, new_key(), "--offline", "--region", "cn-beijing", env={})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "touch" not in rc.read_text() and rc.read_text().count(BEGIN) == 1
    assert not new_bash_runs_attack(home)


def split_around_live_code(rc: Path, home: Path) -> None:
    """Two blocks with a live line between them: that line may once have been inside our block."""
    rc.write_text(f"alias ll='ls -l'\n{BEGIN}\n:\n{END}\ntouch {home / 'pwned'}\n{BEGIN}\n:\n{END}\n")


@pytest.mark.parametrize("command", ["setup", "remove"])
def test_blocks_with_live_code_between_them_are_refused(home: Path, command: str) -> None:
    rc = home / ".bashrc"
    split_around_live_code(rc, home)
    before = snapshot(home)
    if command == "setup":
        result = setup(home, new_key(), "--offline", "--region", "cn-beijing", env={})
    else:
        result = run_cli(home, "remove", "--yes", "--lang", "en")
    assert result.returncode == 8, result.stdout + result.stderr
    assert str(rc) in result.stderr
    assert snapshot(home) == before  # not the key file either: the plan stops before any write
