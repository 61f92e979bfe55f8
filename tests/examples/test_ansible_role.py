"""The Ansible role in examples/ansible, run for real by ansible-core against this machine.

The sample playbook installs the checkout with pipx (into a PIPX_HOME outside HOME, so HOME holds only
what dashscope-setup itself writes), feeds the key from a real Vault file through stdin, and is run
three times: the first run changes, the second changes nothing, `state=absent` gives HOME back byte
for byte. ansible-core is a test extra; in CI a missing ansible-playbook fails the test.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT, clean_env, new_key, snapshot
from tests.fakes.dashscope import FakeDashScope

EXAMPLE = ROOT / "examples" / "ansible"
VENV_BIN = Path(sys.executable).parent
RECAP = re.compile(r"^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=0\s+failed=(\d+)", re.M)


def tool(name: str) -> str:
    path = shutil.which(name, path=str(VENV_BIN))
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI (a test extra) but not installed")
        pytest.skip(f"{name} not installed")
    return path


class Playbook:
    """ansible-playbook on localhost (local connection) with an isolated HOME and its own pipx."""

    def __init__(self, tmp: Path, home: Path, fake: FakeDashScope, key: str) -> None:
        self.playbook = tool("ansible-playbook")
        vault = tool("ansible-vault")
        pipx_bin = tmp / "bin"
        pipx_bin.mkdir()
        (pipx_bin / "pipx").symlink_to(tool("pipx"))
        ansible_home = tmp / "ansible"
        self.env = clean_env(
            home,
            PATH=f"{pipx_bin}:/usr/local/bin:/usr/bin:/bin",
            ANSIBLE_HOME=str(ansible_home),
            ANSIBLE_LOCAL_TEMP=str(ansible_home / "tmp"),
            ANSIBLE_REMOTE_TMP=str(ansible_home / "remote-tmp"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            PIPX_HOME=str(tmp / "pipx"),
            PIPX_BIN_DIR=str(tmp / "pipx-bin"),
            PIPX_MAN_DIR=str(tmp / "pipx-man"),
            # pipx's pip caches what it builds: in the machine user's cache, as it would, not in this HOME.
            PIP_CACHE_DIR=str(Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "pip"),
            LANG="C.UTF-8",
        )
        self.env.pop("PYTHONPATH")  # the role's tool runs as pipx installed it, not from this checkout
        self.password = tmp / "vault-password"
        self.password.write_text("correct horse battery staple\n")
        self.vault = tmp / "vault.yml"
        self.vault_tool = vault
        self.vault.write_text(f"dashscope_api_key: {key}\n")
        self.encrypt()
        self.extra = {
            "dashscope_setup_spec": str(ROOT),
            "dashscope_vault_file": str(self.vault),
            "dashscope_setup_environment": {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()},
            "ansible_python_interpreter": sys.executable,
        }

    def encrypt(self) -> None:
        """ansible-vault encrypts the vars file in place, as a team keeps it."""
        key = self.vault.read_text().split()[-1]
        subprocess.run(
            [self.vault_tool, "encrypt", "--vault-password-file", str(self.password), str(self.vault)],
            check=True,
            capture_output=True,
            env=self.env,
            timeout=120,
        )
        assert key not in self.vault.read_text()

    def run(self, *args: str, ok: bool = True) -> tuple[int, int, str]:
        """(ok, changed, the whole output) of one run, which must succeed (or fail, with ok=False)."""
        result = subprocess.run(
            [
                self.playbook,
                "-i",
                "localhost,",
                "-c",
                "local",
                "--vault-password-file",
                str(self.password),
                "-e",
                json.dumps(self.extra),
                *args,
                str(EXAMPLE / "playbook.yml"),
            ],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=str(EXAMPLE),
            stdin=subprocess.DEVNULL,
            timeout=900,  # pipx builds the tool's environment on the first run
        )
        output = result.stdout + result.stderr
        assert (result.returncode == 0) == ok, output
        match = RECAP.search(output)
        assert match is not None, output
        assert match.group(3) == ("0" if ok else "1"), output
        return int(match.group(1)), int(match.group(2)), output


def new_bash_has(home: Path, key: str) -> bool:
    """Whether a new login+interactive bash gets the key (compared by hash: the key is never printed)."""
    probe = subprocess.run(
        ["bash", "-lic", 'printf %s "$DASHSCOPE_API_KEY" | sha256sum'],
        capture_output=True,
        text=True,
        env=clean_env(home, PATH="/usr/bin:/bin"),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert key not in probe.stdout + probe.stderr
    return probe.stdout.split()[0] == hashlib.sha256(key.encode()).hexdigest()


@pytest.mark.real
def test_role_sets_up_once_then_changes_nothing_then_removes_everything(
    tmp_path: Path, home: Path, fake: FakeDashScope
) -> None:
    shutil.which("bash") or pytest.fail("bash is required")
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    (home / ".bashrc").write_text("# ~/.bashrc\nalias ll='ls -l'\n")
    before = snapshot(home)
    book = Playbook(tmp_path, home, fake, key)

    # A key the service refuses: pipx installs the tool, setup writes nothing, and the play fails
    # with the tool's own message, the key in neither the message nor anything else ansible shows.
    wrong = new_key()
    book.vault.write_text(f"dashscope_api_key: {wrong}\n")
    book.encrypt()
    _, changed, refused = book.run("-vvv", ok=False)  # -vvv: every module argument ansible would show
    assert changed == 1, refused
    assert "dashscope-setup setup exited 3" in refused and "sk-…" + wrong[-4:] in refused, refused
    assert wrong not in refused and wrong[3:] not in refused
    assert snapshot(home) == before

    book.vault.write_text(f"dashscope_api_key: {key}\n")
    book.encrypt()
    _, changed, first = book.run("-vvv")
    assert changed == 1, first  # setup wrote the key and the blocks (pipx had installed the tool)
    assert new_bash_has(home, key)
    assert (home / ".dashscope" / "api_key").stat().st_mode & 0o777 == 0o600
    assert fake.recorded("chat"), "the live check went to the fake DashScope"

    configured = snapshot(home)
    _, changed, second = book.run("-v")
    assert changed == 0, second
    assert snapshot(home) == configured

    # check: a compliant host passes; a hand-made export of another key is drift, reported by the
    # tool's own deviation id, and nothing is changed either way.
    _, changed, compliant = book.run("-e", "dashscope_setup_state=check")
    assert changed == 0, compliant
    bashrc = (home / ".bashrc").read_bytes()
    other = new_key()
    (home / ".bashrc").write_bytes(bashrc + f"export DASHSCOPE_API_KEY={other}\n".encode())
    drifted = snapshot(home)
    _, changed, deviates = book.run("-e", "dashscope_setup_state=check", ok=False)
    assert changed == 0 and "conflicting-keys" in deviates, deviates
    assert other not in deviates and key not in deviates
    assert snapshot(home) == drifted
    (home / ".bashrc").write_bytes(bashrc)

    _, changed, third = book.run("-v", "-e", "dashscope_setup_state=absent")
    assert changed == 1, third  # remove
    assert snapshot(home) == before
    assert not new_bash_has(home, key)

    _, changed, fourth = book.run("-e", "dashscope_setup_state=absent")
    assert changed == 0, fourth  # nothing left to remove
    for output in (first, second, compliant, deviates, third, fourth):
        assert key not in output
        assert key[3:] not in output  # not even without its prefix
