"""--qwen-code: an entry in ~/.qwen/settings.json (`modelProviders.openai`, `envKey: DASHSCOPE_API_KEY`,
never the key) that the real Qwen Code (`qwen`, the npm package scripts/test installs) uses from a NEW
bash to reach the key's region on the fake. Other providers and settings stay as they were; `remove`
gives back the exact bytes, or, when Qwen Code or the user changed the file since, takes out only ours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT, new_key, run_cli, setup_cli, snapshot
from tests.e2e.test_setup_shells import shell_sees
from tests.fakes.dashscope import FakeDashScope
from wizard.edits.consumers import QWEN_MARK

QWEN = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "qwen"
# Documented ModelConfig fields (docs/users/configuration/auth.md in QwenLM/qwen-code).
MODEL_CONFIG = {"id", "name", "description", "envKey", "baseUrl", "generationConfig"}


def _setup(home: Path, fake: FakeDashScope, key: str, *extra: str) -> tuple[int, str]:
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()}
    r = setup_cli(home, key, "--shell", "bash", "--qwen-code", *extra, env=env, offline=False)
    return r.returncode, r.stdout + r.stderr


def _settings(home: Path) -> dict[str, object]:
    return json.loads((home / ".qwen" / "settings.json").read_text())  # type: ignore[no-any-return]


def test_qwen_code_in_a_new_bash_reaches_the_keys_region(home: Path, fake: FakeDashScope) -> None:
    if not QWEN.exists():
        if IN_CI:
            pytest.fail("qwen (npm @qwen-code/qwen-code) is required in CI: scripts/test installs it")
        pytest.skip("qwen not installed (scripts/test installs it)")
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    code, out = _setup(home, fake, key)
    assert code == 0, out
    assert key.encode() not in (home / ".qwen" / "settings.json").read_bytes()
    project = home / "project"
    project.mkdir()
    before = len(fake.requests)
    said = shell_sees(home, ["bash", "-ic", f"cd project && {QWEN} -p 'say hi' 2>/dev/null"])
    assert said.strip(), "qwen printed no answer"
    calls = [r for r in fake.requests[before:] if r.endpoint == "chat"]
    assert calls and {(r.region, r.key_mask) for r in calls} == {("ap-southeast-1", f"{key[:3]}…{key[-4:]}")}


def test_a_new_settings_file_has_only_our_entry_and_the_defaults_qwen_needs(
    home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    before = snapshot(home)
    code, out = _setup(home, fake, key, "--model", "qwen3-coder-plus")
    assert code == 0, out
    data = _settings(home)
    assert data == {
        "modelProviders": {
            "openai": [
                {
                    "id": "qwen3-coder-plus",
                    "name": "qwen3-coder-plus (us-east-1)",
                    "baseUrl": fake.url("us-east-1"),
                    "envKey": "DASHSCOPE_API_KEY",
                    "description": QWEN_MARK,
                }
            ]
        },
        "security": {"auth": {"selectedType": "openai"}},
        "model": {"name": "qwen3-coder-plus"},
    }
    entry = data["modelProviders"]["openai"][0]  # type: ignore[index]
    assert set(entry) <= MODEL_CONFIG
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert snapshot(home) == before


USERS = b"""{
    "ui": {"theme": "GitHub"},
    "modelProviders": {
        "openai": [{"id": "gpt-4o", "envKey": "OPENAI_API_KEY", "baseUrl": "https://api.openai.com/v1"}],
        "anthropic": [{"id": "claude-sonnet-4", "envKey": "ANTHROPIC_API_KEY"}]
    },
    "model": {"name": "gpt-4o"},
    "env": {"ANTHROPIC_API_KEY": "sk-ant-kept"}
}
"""


def test_other_providers_are_kept_and_remove_restores_the_exact_bytes(
    home: Path, fake: FakeDashScope
) -> None:
    (home / ".qwen").mkdir()
    (home / ".qwen" / "settings.json").write_bytes(USERS)
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    code, out = _setup(home, fake, key, "--lang", "en")
    assert code == 0, out
    data = _settings(home)
    openai = data["modelProviders"]["openai"]  # type: ignore[index]
    assert openai[0]["description"] == QWEN_MARK and openai[0]["envKey"] == "DASHSCOPE_API_KEY"
    assert openai[1:] == json.loads(USERS)["modelProviders"]["openai"]
    assert data["modelProviders"]["anthropic"] == json.loads(USERS)["modelProviders"]["anthropic"]  # type: ignore[index]
    assert data["model"] == {"name": "gpt-4o"}  # the user's choice stays theirs
    assert data["security"] == {"auth": {"selectedType": "openai"}}
    assert data["ui"] == {"theme": "GitHub"} and data["env"] == {"ANTHROPIC_API_KEY": "sk-ant-kept"}
    assert "/model" in out  # how to pick our entry, since another model is selected
    assert (home / ".qwen" / "settings.json").read_bytes().startswith(b'{\n    "ui"')  # its indent
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert snapshot(home) == before


def test_after_the_file_changed_remove_takes_out_only_our_entry(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    code, out = _setup(home, fake, key)
    assert code == 0, out
    data = _settings(home)
    data["ui"] = {"theme": "Dracula"}  # as Qwen Code's /theme would save it
    (home / ".qwen" / "settings.json").write_text(json.dumps(data, indent=2) + "\n")
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert _settings(home) == {"ui": {"theme": "Dracula"}}


def test_settings_with_comments_are_refused_and_left_alone(home: Path, fake: FakeDashScope) -> None:
    (home / ".qwen").mkdir()
    text = b'{\n  // my model\n  "model": {"name": "x"}\n}\n'
    (home / ".qwen" / "settings.json").write_bytes(text)
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    code, out = _setup(home, fake, key, "--lang", "en")
    assert code == 8, out
    assert "not plain JSON" in out
    assert snapshot(home) == before
