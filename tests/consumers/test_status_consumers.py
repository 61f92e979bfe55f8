"""`status` per consumer: the key (masked, and where from) and the endpoint the dashscope SDK, the OpenAI
SDK and Qwen Code will use, each by its own rules (Qwen Code's: environment, then the FIRST .env found
from the current folder up, then its settings' `env`), in both languages and in `status --json`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import clean_env, new_key, run_cli
from wizard.keys import mask


def _status(
    home: Path, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", "status", *args],
        capture_output=True,
        text=True,
        env=clean_env(home, **(env or {})),
        cwd=str(cwd),
        timeout=60,
        check=False,
    )


def _consumers(home: Path, cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    out = _status(home, cwd, "--json", env=env)
    return {c["consumer"]: c for c in json.loads(out.stdout)["consumers"]}


def test_after_setup_each_consumer_uses_the_key_and_the_regions_endpoint(home: Path) -> None:
    key = new_key()
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--region", "sg")
    assert run_cli(home, *args, "--openai-env", "--qwen-code", stdin=key).returncode == 0
    seen = _consumers(home, home)
    host = "https://dashscope-intl.aliyuncs.com"
    assert seen["dashscope-sdk"]["key"]["mask"] == mask(key)
    assert seen["dashscope-sdk"]["base_url"]["value"] == f"{host}/api/v1"
    assert seen["openai-sdk"]["key"]["mask"] == mask(key)
    assert seen["openai-sdk"]["key"]["from"]["kind"] == "copy"
    assert seen["openai-sdk"]["base_url"]["value"] == f"{host}/compatible-mode/v1"
    assert seen["qwen-code"]["key"] == {
        **seen["qwen-code"]["key"],
        "var": "DASHSCOPE_API_KEY",
        "mask": mask(key),
    }
    assert seen["qwen-code"]["base_url"]["value"] == f"{host}/compatible-mode/v1"
    assert seen["qwen-code"]["base_url"]["from"]["kind"] == "entry"
    assert key not in json.dumps(seen)
    en = _status(home, home, "--lang", "en").stdout
    assert f"OpenAI SDK (OPENAI_*): key {mask(key)} from OPENAI_API_KEY" in en
    zh = _status(home, home, "--lang", "zh").stdout
    assert f"Qwen Code：密钥 {mask(key)}，来自 DASHSCOPE_API_KEY" in zh


def test_without_openai_env_the_openai_sdk_has_no_key_and_its_own_default(home: Path) -> None:
    key = new_key()
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--region", "cn-beijing")
    assert run_cli(home, *args, stdin=key).returncode == 0
    seen = _consumers(home, home)
    assert seen["openai-sdk"]["key"]["mask"] is None
    assert seen["openai-sdk"]["base_url"]["value"] == "https://api.openai.com/v1"
    assert seen["dashscope-sdk"]["base_url"]["from"]["kind"] == "default"
    assert seen["qwen-code"]["key"]["var"] is None  # no Qwen Code settings: it would ask (/auth)
    assert [n["id"] for n in seen["qwen-code"]["notes"]] == ["consumer.note.qwen_no_auth"]


def test_qwen_code_takes_the_first_dotenv_found_and_the_environment_over_it(home: Path) -> None:
    (home / ".qwen").mkdir()
    settings = {
        "modelProviders": {
            "openai": [{"id": "m1", "envKey": "MY_KEY", "baseUrl": "https://example.test/v1"}]
        },
        "security": {"auth": {"selectedType": "openai"}},
        "model": {"name": "m1"},
        "env": {"MY_KEY": "sk-fromsettings0000"},
    }
    (home / ".qwen" / "settings.json").write_text(json.dumps(settings))
    project = home / "work" / "app"
    project.mkdir(parents=True)
    assert _consumers(home, project)["qwen-code"]["key"]["from"]["kind"] == "settings"
    (home / ".env").write_text("MY_KEY=sk-fromhomeenv00000\n")
    (home / "work" / ".env").write_text("OTHER=1\n")  # found first: Qwen Code reads only this one
    assert _consumers(home, project)["qwen-code"]["key"]["from"]["kind"] == "settings"
    (project / ".qwen").mkdir()
    (project / ".qwen" / ".env").write_text("export MY_KEY='sk-fromproject0000'\n")
    seen = _consumers(home, project)["qwen-code"]
    assert seen["key"]["mask"] == mask("sk-fromproject0000")
    assert seen["key"]["from"]["path"] == str(project / ".qwen" / ".env")
    assert seen["base_url"] == {**seen["base_url"], "value": "https://example.test/v1"}
    seen = _consumers(home, project, env={"MY_KEY": "sk-fromterminal000"})["qwen-code"]
    assert (seen["key"]["mask"], seen["key"]["from"]["kind"]) == (mask("sk-fromterminal000"), "terminal")
