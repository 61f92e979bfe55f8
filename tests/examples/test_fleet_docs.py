"""docs/fleet.md's plain-shell script and cloud-init user-data, run for real.

The script runs as written in a fresh HOME with the key on stdin. The user-data must pass the real
`cloud-init schema`; then its runcmd script (what `runuser -u dev` starts) runs with the key file the
user-data writes, as the current user in a fresh HOME. pipx installs this checkout
(DASHSCOPE_SETUP_SPEC), and the live check goes to the fake DashScope.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, clean_env, new_key, require
from tests.fakes.dashscope import FakeDashScope

FLEET = ROOT / "docs" / "fleet.md"
VENV_BIN = Path(sys.executable).parent


def block(lang: str, after: str) -> str:
    """The first ```lang block after the heading `after`."""
    text = FLEET.read_text(encoding="utf-8")
    start = text.index(after)
    found = re.compile(rf"^```{lang}\n(.*?)^```", re.DOTALL | re.MULTILINE).search(text, start)
    assert found is not None, f"no {lang} block after {after!r}"
    return found.group(1)


def user_env(home: Path, fake: FakeDashScope, tmp: Path) -> dict[str, str]:
    """A developer's environment: pipx on PATH, nothing of this checkout importable."""
    bindir = tmp / "bin"
    bindir.mkdir(exist_ok=True)
    pipx = require("pipx") if not (VENV_BIN / "pipx").exists() else str(VENV_BIN / "pipx")
    if not (bindir / "pipx").exists():
        (bindir / "pipx").symlink_to(pipx)
    env = clean_env(
        home,
        PATH=f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        DASHSCOPE_SETUP_SPEC=str(ROOT),
        DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(),
        LANG="C.UTF-8",
    )
    env.pop("PYTHONPATH")
    return env


def new_bash_has(home: Path, key: str) -> bool:
    probe = subprocess.run(
        [require("bash"), "-lic", 'printf %s "$DASHSCOPE_API_KEY" | sha256sum'],
        capture_output=True,
        text=True,
        env=clean_env(home, PATH="/usr/bin:/bin"),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return probe.stdout.split()[0] == hashlib.sha256(key.encode()).hexdigest()


def report(done: subprocess.CompletedProcess[str], key: str) -> dict[str, object]:
    assert done.returncode == 0, done.stdout + done.stderr
    assert key not in done.stdout + done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


@pytest.mark.real
def test_the_shell_script_sets_up_once_and_then_changes_nothing(
    tmp_path: Path, home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    script = tmp_path / "onboard.sh"
    script.write_text(block("sh", "## A shell script"))
    env = user_env(home, fake, tmp_path)
    sh = require("sh")

    def run() -> dict[str, object]:
        done = subprocess.run(
            [sh, str(script)], input=key + "\n", capture_output=True, text=True, env=env, timeout=900
        )
        return report(done, key)

    first = run()
    assert first["changed"] is True and first["region"] == "us-east-1"
    assert (home / ".local" / "bin" / "dashscope-setup").exists()  # pipx's own default place
    assert new_bash_has(home, key)
    assert run()["changed"] is False


@pytest.mark.real
def test_the_cloud_init_user_data_is_valid_and_its_runcmd_sets_the_key_up(
    tmp_path: Path, home: Path, fake: FakeDashScope
) -> None:
    text = block("yaml", "## cloud-init")
    user_data = tmp_path / "user-data"
    user_data.write_text(text)
    schema = subprocess.run(
        [require("cloud-init"), "schema", "--config-file", str(user_data)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert schema.returncode == 0 and "Valid cloud-config" in schema.stdout, schema.stdout + schema.stderr

    config = yaml.safe_load(text)
    (key_file,) = config["write_files"]
    assert (key_file["owner"], key_file["permissions"], key_file["defer"]) == ("dev:dev", "0600", True)
    setup, cleanup = config["runcmd"]
    assert setup[:7] == ["runuser", "-u", "dev", "--", "sh", "-c", setup[6]] and setup[8] == key_file["path"]
    assert cleanup == ["rm", "-f", key_file["path"]]

    key = new_key()
    fake.add_key(key, "cn-beijing")
    placed = tmp_path / "run" / "key"  # where write_files puts it, with the key filled in
    placed.parent.mkdir()
    placed.write_text(key_file["content"].replace("sk-REPLACE-WITH-THE-KEY", key))
    placed.chmod(0o600)
    # What `runuser -u dev -- sh -c SCRIPT sh KEYFILE` starts: the script, in the user's HOME env, from /.
    done = subprocess.run(
        [require("sh"), "-c", setup[6], setup[7], str(placed)],
        capture_output=True,
        text=True,
        env=user_env(home, fake, tmp_path),
        cwd="/",
        stdin=subprocess.DEVNULL,
        timeout=900,
    )
    assert report(done, key)["changed"] is True
    assert new_bash_has(home, key)
