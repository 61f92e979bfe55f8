"""The README's commands, run exactly as written.

Each `sh` block of the README is cut into its command lines (comments after `#` dropped) and every
line runs in a real bash, in order, in one fresh HOME, against the fake DashScope service (the only
thing changed around them is the environment: HOME, the region table pointing at the fake, `KEY` and
`DASHSCOPE_API_KEY` holding a key, `dashscope-setup` on PATH as the installed console script). A line
that fails, or prints the key, fails the test, naming the line: the README cannot drift from the tool.
The wizard transcripts are checked by the pty tests, not here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, clean_env, new_key, require
from tests.fakes.dashscope import DEFAULT_REPLY, FakeDashScope, running_fake

README = ROOT / "README.md"
_SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)


def sh_blocks() -> list[list[str]]:
    """The command lines of every ```sh block, comments stripped."""
    blocks = []
    for body in _SH_BLOCK.findall(README.read_text(encoding="utf-8")):
        lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in body.splitlines()]
        blocks.append([line for line in lines if line and not line.startswith("#")])
    return blocks


def block_with(text: str) -> list[str]:
    found = [b for b in sh_blocks() if any(text in line for line in b)]
    assert len(found) == 1, f"one README sh block should contain {text!r}: {found}"
    return found[0]


@pytest.fixture
def fake() -> Iterator[FakeDashScope]:
    with running_fake({}) as running:
        yield running


def bash(line: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require("bash"), "-c", line],
        env=env,
        cwd=str(cwd),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def world(home: Path, fake: FakeDashScope, key: str) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)  # where the console script `dashscope-setup` is
    env = clean_env(home, DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(), KEY=key, DASHSCOPE_API_KEY=key)
    env["PATH"] = f"{bin_dir}:{env['PATH']}"
    env.pop("PYTHONPATH", None)  # as a user has it: the installed tool, nothing else
    return env


def run_block(lines: list[str], env: dict[str, str], cwd: Path, key: str) -> None:
    for line in lines:
        done = bash(line, env, cwd)
        said = done.stdout + done.stderr
        assert done.returncode == 0, f"README line failed ({done.returncode}): {line}\n{said}"
        assert key not in said, f"README line printed the key: {line}"


def test_the_two_commands_run_as_written(home: Path, fake: FakeDashScope) -> None:
    """`./scripts/run …` from the checkout, with the key in `my-key.txt` beside it, as the README has it."""
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    lines = block_with("./scripts/run --help")
    key_file = ROOT / "my-key.txt"  # the README's own file name; it is git-ignored
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    try:
        run_block(lines, world(home, fake, key), ROOT, key)
    finally:
        key_file.unlink()
    assert (home / ".dashscope" / "api_key").read_text() == key + "\n"
    state = (home / ".config" / "dashscope-setup" / "state.json").read_text()
    assert '"region": "ap-southeast-1"' in state  # --no-test still found the key's region


def test_the_script_examples_run_as_written(home: Path, fake: FakeDashScope, tmp_path: Path) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    work = tmp_path / "project"
    work.mkdir()
    (work / "key.txt").write_text(key + "\n")
    lines = block_with("--key-stdin --region ap-southeast-1")
    assert len(lines) >= 4, lines
    run_block(lines, world(home, fake, key), work, key)
    new_bash = subprocess.run(
        [require("bash"), "-ic", 'printf %s "$DASHSCOPE_API_KEY"'],
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert new_bash.stdout == key


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_lines_load_in_their_shell(home: Path, fake: FakeDashScope, shell: str) -> None:
    binary = require(shell)
    (line,) = [line for line in block_with("completion bash") if f"completion {shell}" in line]
    env = world(home, fake, new_key())
    if shell == "zsh":
        script = (
            f"autoload -Uz compinit && compinit -u && {line} && print -r -- ${{+_comps[dashscope-setup]}}"
        )
    elif shell == "fish":
        script = f"{line}; and complete -C 'dashscope-setup st'"
    else:
        script = f"{line} && complete -p dashscope-setup"
    done = subprocess.run([binary, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = {"bash": "dashscope-setup", "zsh": "1", "fish": "status"}[shell]
    assert expected in done.stdout, done.stdout + done.stderr


def test_the_consumer_examples_run_as_written(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    require("git")
    lines = block_with("--dotenv ~/my-app")
    run_block(lines[:2], world(home, fake, key), home, key)
    assert (home / "my-app" / ".env").read_text().count(key) == 2  # DASHSCOPE_API_KEY and OPENAI_API_KEY
    assert '"envKey": "DASHSCOPE_API_KEY"' in (home / ".qwen" / "settings.json").read_text()
    run_block(lines[2:], world(home, fake, key), home, key)
    assert sorted(p.name for p in (home / "my-app").iterdir()) == [".git"]
    assert not (home / ".qwen").exists()


def test_the_sample_lines_run_as_written(home: Path, fake: FakeDashScope, tmp_path: Path) -> None:
    """After a setup, each `samples` line: the Python and Node code get the model's answer from the
    region the setup saved (the key works nowhere else)."""
    require("node")
    key = new_key()
    fake.add_key(key, "cn-hongkong")
    env = world(home, fake, key)
    setup = bash('printf "%s\\n" "$KEY" | dashscope-setup setup --yes --key-stdin --shell bash', env, home)
    assert setup.returncode == 0, setup.stderr
    work = tmp_path / "project"
    (work / "node_modules").mkdir(parents=True)
    # `npm install openai` as the line says, done once for the test run: ES modules ignore NODE_PATH.
    for entry in env.get("NODE_PATH", "").split(":"):
        if entry and (Path(entry) / "openai").is_dir():
            for dep in Path(entry).iterdir():
                (work / "node_modules" / dep.name).symlink_to(dep)
            break
    else:
        pytest.skip("the openai npm package is not resolvable (set NODE_PATH)")
    lines = block_with("samples python > hello.py")
    run_block(lines, env, work, key)
    for line in lines:
        if "&&" in line:
            assert DEFAULT_REPLY in bash(line, env, work).stdout, line
