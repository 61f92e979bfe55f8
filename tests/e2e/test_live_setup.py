"""setup and test against the fake DashScope, end to end through the real command.

The check decides: a key that only Singapore accepts is found there, saved pointing there, and then
works from a NEW shell in the guide's own openai example and in the official dashscope SDK. Every
failure gives its exit code and request_id and writes nothing.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, require, run_cli, setup_cli, snapshot
from tests.fakes.dashscope import FakeDashScope


def cli(
    home: Path, fake: FakeDashScope, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        home,
        *args,
        stdin=stdin,
        env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "2", **env},
    )


def test_singapore_key_is_found_saved_and_works_in_a_new_shell(home: Path, fake: FakeDashScope) -> None:
    require("bash")
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    result = cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", "--json", stdin=key)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["region"] == "ap-southeast-1"
    assert data["check"]["status"] == "ok"
    assert data["check"]["detected"] is True
    assert data["check"]["region"] == "ap-southeast-1"
    assert key not in result.stdout + result.stderr
    assert fake.native_url("ap-southeast-1") in (home / ".bashrc").read_text()

    # The guide's own example (openai package), as `samples python` prints it for what was saved.
    sample = cli(home, fake, "samples", "python")
    assert sample.returncode == 0, sample.stderr
    assert fake.url("ap-southeast-1") in sample.stdout
    script = home / "hello.py"
    script.write_text(sample.stdout)
    env = clean_env(home)
    out = subprocess.run(
        ["bash", "-ic", f'"{sys.executable}" "{script}"'],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(home),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "通义千问" in out.stdout

    # The official dashscope SDK, started from a new shell, resolves the same key and reaches Singapore.
    sdk = home / "sdk.py"
    sdk.write_text(
        "import hashlib, dashscope\n"
        "from dashscope.common.api_key import get_default_api_key\n"
        "print(hashlib.sha256(get_default_api_key().encode()).hexdigest())\n"
        "print(dashscope.base_http_api_url)\n"
        "r = dashscope.Generation.call(model='qwen-plus', messages=[{'role': 'user', 'content': 'hi'}],"
        " result_format='message')\n"
        "print(int(r.status_code))\n"
    )
    out = subprocess.run(
        ["bash", "-ic", f'"{sys.executable}" "{sdk}"'],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(home),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    import hashlib

    lines = out.stdout.split()
    assert lines[0] == hashlib.sha256(key.encode()).hexdigest(), out.stderr
    assert lines[1].rstrip("/") == fake.native_url("ap-southeast-1").rstrip("/")
    assert lines[2] == "200", out.stderr


def test_test_command_says_where_the_key_came_from(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-hongkong")
    assert cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin=key).returncode == 0
    result = cli(home, fake, "test", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["key"]["source"], data["key"]["source_store"]) == ("stored", "file")
    assert data["check"]["region"] == "cn-hongkong"
    from_env = cli(home, fake, "test", DASHSCOPE_API_KEY=key)
    assert from_env.returncode == 0
    assert "environment variable" in from_env.stdout


def test_test_without_any_key_is_exit_9(home: Path, fake: FakeDashScope) -> None:
    result = cli(home, fake, "test")
    assert result.returncode == 9  # no key configured, as `status` says it


ACCOUNT = [
    ("Arrearage", 4, "check.arrearage"),
    ("AccessDenied", 4, "check.access_denied"),
    ("AccessDenied.Unpurchased", 4, "check.unpurchased"),
    ("Model.AccessDenied", 4, "check.model_access_denied"),
    ("AllocationQuota.FreeTierOnly", 4, "check.free_tier_only"),
]


@pytest.mark.parametrize(("state", "code", "msg_id"), ACCOUNT, ids=[a[0] for a in ACCOUNT])
def test_account_state_fails_setup_and_writes_nothing(
    home: Path, fake: FakeDashScope, state: str, code: int, msg_id: str
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error=state)
    before = snapshot(home)
    result = cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", "--json", stdin=key)
    assert result.returncode == code
    data = json.loads(result.stdout)
    assert data["check"]["msg_id"] == msg_id
    assert data["check"]["request_id"]
    assert data["check"]["request_id"] in result.stderr
    assert "The key is fine" in result.stderr
    assert snapshot(home) == before


FAULTS = [
    ({"kind": "error", "code": "model_not_found", "times": None}, 5),
    ({"kind": "error", "code": "limit_requests", "times": None, "retry_after": "0"}, 6),
    ({"kind": "error", "code": "insufficient_quota", "times": None, "retry_after": "0"}, 6),
    ({"kind": "server_error", "times": None}, 7),
    ({"kind": "non_json", "times": None}, 7),
    ({"kind": "reset", "times": None}, 7),
    ({"kind": "truncate", "times": None}, 7),
    ({"kind": "mid_stream_error", "code": "data_inspection_failed", "times": None}, 7),
    ({"kind": "slow", "delay": 5.0, "times": None}, 7),
]


@pytest.mark.parametrize(
    ("fault", "code"), FAULTS, ids=[f"{f['kind']}-{f.get('code', '')}" for f, _ in FAULTS]
)
def test_fault_gives_its_exit_code_and_writes_nothing(
    home: Path, fake: FakeDashScope, fault: dict[str, object], code: int
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    fake.add_fault(**fault)
    before = snapshot(home)
    result = cli(
        home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", "--region", "cn-beijing", stdin=key
    )
    assert result.returncode == code, result.stderr
    assert "✗" in result.stderr
    assert key not in result.stdout + result.stderr
    assert snapshot(home) == before


def test_rejected_key_everywhere_is_exit_3_and_writes_nothing(home: Path, fake: FakeDashScope) -> None:
    before = snapshot(home)
    result = cli(
        home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", "--lang", "zh", stdin=new_key()
    )
    assert result.returncode == 3
    assert "401" in result.stderr
    assert snapshot(home) == before


def test_refused_connection_is_exit_7(home: Path) -> None:
    env = {"DASHSCOPE_SETUP_REGION_URLS": "cn-beijing=http://127.0.0.1:9/compatible-mode/v1"}
    result = setup_cli(home, new_key(), "--region", "cn-beijing", "--shell", "bash", env=env, offline=False)
    assert result.returncode == 7
    assert not (home / ".dashscope").exists()


def test_save_anyway_persists_despite_a_failed_check(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    result = cli(
        home,
        fake,
        "setup",
        "--yes",
        "--key-stdin",
        "--shell",
        "bash",
        "--save-anyway",
        "--region",
        "us-east-1",
        "--json",
        stdin=key,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["check"]["status"] == "failed"
    assert [w["id"] for w in data["warnings"]][:1] == ["warn.saved_anyway"]
    assert (home / ".dashscope" / "api_key").read_text() == key + "\n"
    assert fake.native_url("us-east-1") in (home / ".bashrc").read_text()


def test_coding_plan_key_is_recognised_before_any_request(home: Path, fake: FakeDashScope) -> None:
    result = cli(
        home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin="sk-sp-" + secrets.token_hex(16)
    )
    assert result.returncode == 3
    assert fake.recorded() == []
    assert "Coding Plan" in result.stderr


def test_status_live_checks_the_configured_key(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    assert cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin=key).returncode == 0
    result = cli(home, fake, "status", "--live", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["check"]["status"] == "ok"
    assert data["check"]["region"] == "us-east-1"
    assert key not in result.stdout + result.stderr


def _assert_clean(text: str, key: str) -> None:
    assert key not in text
    for ch in ("\x1b", "\x07", "\r", "\x9b"):
        assert ch not in text, repr(text)


@pytest.mark.parametrize("endpoint", ["any", "chat"])
@pytest.mark.parametrize("json_out", [False, True])
def test_server_strings_reach_no_output_with_the_key_or_escapes(
    home: Path, fake: FakeDashScope, endpoint: str, json_out: bool
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    fake.add_fault("hostile", endpoint=endpoint, times=None)
    args = ["setup", "--yes", "--key-stdin", "--shell", "bash", *(["--json"] if json_out else [])]
    region = [] if endpoint == "any" else ["--region", "cn-beijing"]
    result = cli(home, fake, *args, *region, stdin=key)
    assert result.returncode != 0
    _assert_clean(result.stdout + result.stderr, key)
    if json_out:
        json.loads(result.stdout)


def test_a_reply_with_the_key_and_escapes_is_shown_clean(home: Path, fake: FakeDashScope) -> None:
    from tests.fakes.dashscope import HOSTILE_TEXT

    key = new_key()
    fake.add_key(key, "cn-beijing")
    fake.reply = HOSTILE_TEXT.format(key=key)
    for extra in ([], ["--json"]):
        result = cli(home, fake, "test", "--region", "cn-beijing", *extra, DASHSCOPE_API_KEY=key)
        assert result.returncode == 0, result.stderr
        _assert_clean(result.stdout + result.stderr, key)


def _files_holding(root: Path, key: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and key.encode() in p.read_bytes()]


def test_no_file_keeps_the_key_after_scrub_and_remove(home: Path) -> None:
    key = new_key()
    result = setup_cli(home, key, "--shell", "bash")
    assert result.returncode == 0, result.stderr
    for name in (".bash_history", ".zsh_history"):
        (home / name).write_text(f"ls\nexport DASHSCOPE_API_KEY={key}\npwd\n")
    result = run_cli(home, "status", "--scrub-history", "--json")
    assert json.loads(result.stdout)["history"], result.stderr
    assert all(p.parent.name != "backups" for p in _files_holding(home, key))
    result = run_cli(home, "remove", "--yes")
    assert result.returncode == 0, result.stderr
    assert _files_holding(home, key) == []
    status = json.loads(run_cli(home, "status", "--json").stdout)
    assert status["history"] == []
