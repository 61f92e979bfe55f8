"""--dotenv: a project .env (key and base URL, in our marked block, 0600 from creation) that the real
python-dotenv loads and the real openai client then uses against the fake. Inside a git work tree it is
written only when the real git ignores it (--gitignore adds it to the .gitignore beside it), never when
git tracks it; `remove` gives the project folder and HOME back byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, require, run_cli, setup_cli, snapshot
from tests.fakes.dashscope import FakeDashScope

LOAD_AND_CALL = """
import os, sys
from dotenv import load_dotenv
import openai
assert load_dotenv(), "no .env found"
client = openai.OpenAI(max_retries=0) if sys.argv[1] == "bare" else openai.OpenAI(
    api_key=os.environ["DASHSCOPE_API_KEY"],
    base_url=os.environ["DASHSCOPE_COMPATIBLE_BASE_URL"],
    max_retries=0,
)
r = client.chat.completions.create(model="qwen-plus", messages=[{"role": "user", "content": "hi"}])
print("REPLY", bool(r.choices[0].message.content))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    p = tmp_path / "project"
    p.mkdir()
    return p


def _git(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    require("git")
    return subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, env=clean_env(home), check=False
    )


def _setup(home: Path, fake: FakeDashScope, key: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()}
    return setup_cli(home, key, "--shell", "bash", *extra, env=env, offline=False)


def _call(home: Path, project: Path, how: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", LOAD_AND_CALL, how],
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(project),
        timeout=60,
        check=False,
    )
    return proc.stdout + proc.stderr


def test_a_dotenv_outside_git_is_loaded_by_python_dotenv_and_works_with_openai(
    home: Path, fake: FakeDashScope, project: Path
) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    home_before, project_before = snapshot(home), snapshot(project)
    result = _setup(home, fake, key, "--dotenv", str(project))
    assert result.returncode == 0, result.stderr
    dotenv = project / ".env"
    assert oct(dotenv.stat().st_mode & 0o777) == "0o600"
    assert key not in result.stdout + result.stderr
    before = len(fake.requests)
    assert "REPLY True" in _call(home, project, "named")
    assert [r.region for r in fake.requests[before:] if r.endpoint == "chat"] == ["ap-southeast-1"]
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert snapshot(project) == project_before
    assert snapshot(home) == home_before


def test_with_openai_env_a_bare_openai_client_uses_the_dotenv(
    home: Path, fake: FakeDashScope, project: Path
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    assert _setup(home, fake, key, "--dotenv", str(project / ".env"), "--openai-env").returncode == 0
    before = len(fake.requests)
    assert "REPLY True" in _call(home, project, "bare")
    assert [r.region for r in fake.requests[before:] if r.endpoint == "chat"] == ["us-east-1"]


def test_in_a_git_work_tree_that_does_not_ignore_it_nothing_is_written(
    home: Path, fake: FakeDashScope, project: Path
) -> None:
    assert _git(project, home, "init", "-q").returncode == 0
    key = new_key()
    fake.add_key(key, "cn-beijing")
    home_before, project_before = snapshot(home), snapshot(project)
    result = _setup(home, fake, key, "--dotenv", str(project), "--lang", "en")
    assert result.returncode == 2
    assert "does not ignore it" in result.stderr and "--gitignore" in result.stderr
    assert snapshot(project) == project_before
    assert snapshot(home) == home_before
    zh = _setup(home, fake, key, "--dotenv", str(project), "--lang", "zh")
    assert zh.returncode == 2 and "未被忽略" in zh.stderr


def test_gitignore_adds_it_git_then_ignores_it_and_remove_gives_both_files_back(
    home: Path, fake: FakeDashScope, project: Path
) -> None:
    assert _git(project, home, "init", "-q").returncode == 0
    (project / ".gitignore").write_bytes(b"node_modules/\n")
    (project / ".env").write_bytes(b"DEBUG=1\n# mine\n")
    (project / ".env").chmod(0o600)
    key = new_key()
    fake.add_key(key, "cn-hongkong")
    home_before, project_before = snapshot(home), snapshot(project)
    result = _setup(home, fake, key, "--dotenv", str(project), "--gitignore")
    assert result.returncode == 0, result.stderr
    assert _git(project, home, "check-ignore", "-q", ".env").returncode == 0
    assert _git(project, home, "status", "--porcelain", "--", ".env").stdout == ""
    assert (project / ".env").read_text().startswith("DEBUG=1\n# mine\n")
    assert "REPLY True" in _call(home, project, "named")
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert snapshot(project) == project_before
    assert snapshot(home) == home_before


def test_a_tracked_dotenv_is_refused_even_with_gitignore(
    home: Path, fake: FakeDashScope, project: Path
) -> None:
    assert _git(project, home, "init", "-q").returncode == 0
    (project / ".env").write_text("DEBUG=1\n")
    assert _git(project, home, "add", ".env").returncode == 0
    key = new_key()
    fake.add_key(key, "cn-beijing")
    project_before = snapshot(project)
    result = _setup(home, fake, key, "--dotenv", str(project), "--gitignore", "--lang", "en")
    assert result.returncode == 2
    assert "tracked by git" in result.stderr
    assert snapshot(project) == project_before
