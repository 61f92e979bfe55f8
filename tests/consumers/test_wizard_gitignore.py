"""The wizard, started with --dotenv for a .env the real git does not ignore, asks (once) whether to add
it to the .gitignore beside it: yes writes both, no writes nothing and says why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect

from tests.conftest import clean_env, new_key, require, snapshot
from tests.e2e.test_wizard_pty import DOWN, ENTER, finish, q, type_key
from tests.fakes.dashscope import FakeDashScope


def _spawn(home: Path, fake: FakeDashScope, project: Path) -> pexpect.spawn:
    env = clean_env(
        home,
        DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(),
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm-256color",
        LANG="en_US.UTF-8",
    )
    return pexpect.spawn(
        sys.executable,
        ["-m", "wizard", "setup", "--shell", "bash", "--dotenv", str(project)],
        env=env,
        cwd=str(home),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 250),
    )


def _project(home: Path) -> Path:
    project = home / "app"
    project.mkdir()
    require("git")
    subprocess.run(["git", "-C", str(project), "init", "-q"], env=clean_env(home), check=True)
    return project


def test_yes_adds_it_to_gitignore_and_writes_the_dotenv(home: Path, fake: FakeDashScope) -> None:
    project = _project(home)
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child = _spawn(home, fake, project)
    type_key(child, "en", key)
    child.expect(q("en", "consumer.ask_gitignore", path=str(project / ".env")))
    child.send(ENTER)  # yes, the default
    child.expect(q("en", "wiz.confirm"))
    child.send(ENTER)  # go ahead
    child.expect(q("en", "label.done"))
    assert finish(child) == 0
    assert "/.env" in (project / ".gitignore").read_text()
    assert key in (project / ".env").read_text()
    ignored = subprocess.run(["git", "-C", str(project), "check-ignore", "-q", ".env"], env=clean_env(home))
    assert ignored.returncode == 0


def test_no_writes_nothing(home: Path, fake: FakeDashScope) -> None:
    project = _project(home)
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    child = _spawn(home, fake, project)
    type_key(child, "en", key)
    child.expect(q("en", "consumer.ask_gitignore", path=str(project / ".env")))
    child.send(DOWN + ENTER)  # no
    child.expect("does not ignore it")
    assert finish(child) == 2
    assert snapshot(home) == before
