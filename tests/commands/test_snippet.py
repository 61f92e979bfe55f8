"""`snippet` reads the configuration the last setup saved, as `env` and `run` do: the region's
base URLs, the store and its key file. The lines are run by the real shells they are for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, require, run_cli, setup_cli
from tests.shells.test_quoting import Wine, _run_batch, wine  # noqa: F401 (wine: the fixture)

US_COMPAT = "https://dashscope-us.aliyuncs.com/compatible-mode/v1"
US_NATIVE = "https://dashscope-us.aliyuncs.com/api/v1"


def set_up(home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    key = new_key()
    result = setup_cli(home, key, "--shell", "bash", *args, env=env)
    assert result.returncode == 0, result.stderr
    return key


def bash_sees(home: Path, lines: str) -> list[str]:
    """What a real bash has after running `lines`: the key and both base-URL variables."""
    script = (
        lines
        + '\nprintf "%s\\n" "$DASHSCOPE_API_KEY" "$DASHSCOPE_COMPATIBLE_BASE_URL" "$DASHSCOPE_HTTP_BASE_URL"'
    )
    out = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(home),
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_snippet_after_a_us_setup_points_at_the_us_like_env(home: Path) -> None:
    require("bash")
    key = set_up(home, "--region", "us-east-1")
    shown = run_cli(home, "snippet", "--shell", "bash")
    assert shown.returncode == 0, shown.stderr
    assert bash_sees(home, shown.stdout) == [key, US_COMPAT, US_NATIVE]

    env_lines = run_cli(home, "env", "--shell", "bash")
    assert bash_sees(home, env_lines.stdout) == [key, US_COMPAT, US_NATIVE]

    data = json.loads(run_cli(home, "snippet", "--shell", "bash", "--json").stdout)
    assert (data["region"], data["base_url"]) == ("us-east-1", US_COMPAT)


def test_snippet_flags_still_win_over_the_saved_region(home: Path) -> None:
    set_up(home, "--region", "us-east-1")
    data = json.loads(run_cli(home, "snippet", "--region", "cn-hongkong", "--json").stdout)
    assert data["region"] == "cn-hongkong"
    assert "cn-hongkong.dashscope" in data["snippet"] and "dashscope-us" not in data["snippet"]


def test_snippet_reads_the_key_file_setup_saved_into(home: Path) -> None:
    require("bash")
    custom = home / "keys" / "dashscope"
    key = set_up(home, env={"DASHSCOPE_API_KEY_FILE_PATH": str(custom)})
    shown = run_cli(home, "snippet", "--shell", "bash")  # without the variable now
    assert str(custom) in shown.stdout
    assert bash_sees(home, shown.stdout)[0] == key


def test_snippet_without_any_setup_is_beijing_and_the_key_file(home: Path) -> None:
    data = json.loads(run_cli(home, "snippet", "--shell", "bash", "--json").stdout)
    assert (data["region"], data["store"]["kind"]) == ("cn-beijing", "file")
    assert "DASHSCOPE_COMPATIBLE_BASE_URL" not in data["snippet"]


def test_cmd_snippet_sets_the_saved_base_url_in_a_real_cmd(home: Path, wine: Wine, tmp_path: Path) -> None:  # noqa: F811
    set_up(home, "--region", "us-east-1")
    shown = run_cli(home, "snippet", "--shell", "cmd")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert f'setx DASHSCOPE_COMPATIBLE_BASE_URL "{US_COMPAT}"' in lines
    session = [line for line in lines if line.startswith("set ")]
    out = _run_batch(wine, [*session, "set DASHSCOPE_"], tmp_path)
    assert "DASHSCOPE_API_KEY=sk-your-api-key" in out
    assert f"DASHSCOPE_COMPATIBLE_BASE_URL={US_COMPAT}" in out
    assert f"DASHSCOPE_HTTP_BASE_URL={US_NATIVE}" in out


@pytest.mark.parametrize("command", ["snippet", "env", "run"])
def test_every_command_reads_the_one_saved_configuration(home: Path, command: str) -> None:
    """The three read the same region: what `run` hands a child is what `snippet` prints."""
    set_up(home, "--region", "us-east-1")
    if command == "run":
        probe = "import os; print(os.environ['DASHSCOPE_COMPATIBLE_BASE_URL'])"
        out = run_cli(home, "run", "--", sys.executable, "-c", probe).stdout
    elif command == "env":
        out = run_cli(home, "env", "--shell", "bash").stdout
    else:
        out = run_cli(home, "snippet", "--shell", "bash").stdout
    assert US_COMPAT in out
