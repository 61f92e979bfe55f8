"""`-q`/`--quiet` prints errors only (data and JSON unchanged); every warning and next step in JSON
has a stable id beside its sentence."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import new_key, run_cli, setup_cli
from tests.fakes.dashscope import FakeDashScope


def test_quiet_setup_prints_nothing_not_even_the_streamed_reply(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()}
    done = setup_cli(home, key, "--shell", "bash", "-q", env=env, offline=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (home / ".dashscope" / "api_key").read_text().strip() == key
    loud = setup_cli(home, key, "--shell", "bash", env=env, offline=False)
    assert "通义千问" in loud.stdout  # what -q kept quiet


def test_quiet_still_prints_errors(home: Path) -> None:
    failed = setup_cli(home, "not a key\n", "--quiet")
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert "✗" in failed.stderr


def test_quiet_keeps_the_data_a_command_prints(home: Path) -> None:
    key = new_key()
    assert setup_cli(home, key, "--shell", "bash").returncode == 0
    env = run_cli(home, "env", "--shell", "bash", "-q")
    assert env.returncode == 0 and key in env.stdout
    snippet = run_cli(home, "snippet", "--shell", "bash", "-q")
    assert "DASHSCOPE_API_KEY" in snippet.stdout
    data = run_cli(home, "status", "--json", "-q")
    assert data.stderr == ""
    assert json.loads(data.stdout)["command"] == "status"


def test_next_steps_and_warnings_carry_ids(home: Path) -> None:
    (home / ".bash_history").write_text(f"export DASHSCOPE_API_KEY={new_key()}\n")
    done = setup_cli(home, new_key(), "--shell", "bash", "--json")
    data = json.loads(done.stdout)
    items = data["next_step_items"]
    assert [i["message"] for i in items] == data["next_steps"]  # the sentences as before, now with ids
    assert {"next.scrub_history", "next.remove"} <= {i["id"] for i in items}
    assert all(w["id"] and w["message"] for w in data["warnings"])

    status = json.loads(run_cli(home, "status", "--json").stdout)
    ids = [w["id"] for w in status["warnings"]]
    assert "status.note.terminal_missing" in ids
    for w in status["status"]["warnings"]:
        assert w["id"] in ids and w["message"] and isinstance(w["params"], dict)


def test_a_usage_error_with_json_still_prints_one_json_object(home: Path) -> None:
    key = new_key()
    for argv, error in (
        (["status", "--json", "--bogus"], "err.usage"),
        (["--json", "setup", key], "err.key_in_argv"),  # refused before argparse sees it
        (["status", "--json", "--lang", "xx"], "err.usage"),
    ):
        result = run_cli(home, *argv)
        assert result.returncode == 2
        data = json.loads(result.stdout)
        assert (data["exit_code"], data["ok"], data["error"]["id"]) == (2, False, error)
        assert key not in result.stdout + result.stderr
    data = json.loads(run_cli(home, "status", "--json", "--bogus").stdout)
    assert data["command"] == "status" and data["error"]["message"].endswith(
        "unrecognized arguments: --bogus"
    )
