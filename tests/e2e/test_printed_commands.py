"""Every command the tool prints works as printed, however the tool was started.

For each way a person starts it — the console script on PATH, `python -m wizard`, the script's
absolute path (not on PATH), `./scripts/run`, `pipx run --spec DIR dashscope-setup` — the tool is
run, the commands it prints are taken from its output, and each one is run from a NEW real shell
(bash; fish for the `env` line), as a user would paste it: none may end in "command not found", and
each must do what the message says. The only fake is the DashScope server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pytest

from tests.conftest import IN_CI, ROOT, clean_env, new_key, require
from tests.fakes.dashscope import FakeDashScope
from wizard.messages import t

NAME = "dashscope-setup"
VENV_BIN = Path(sys.executable).parent
LAUNCHERS = ("path", "module", "absolute", "scripts-run", "pipx")


@dataclass
class Launcher:
    """How the tool is started, and how the commands it prints must therefore begin."""

    argv: list[str]
    expect: str
    path: str  # PATH for the tool and for the shells the printed commands run in
    cwd: Path | None = None  # where it is started (None: HOME)
    env: dict[str, str] = field(default_factory=dict)


def _path_without_the_tool() -> str:
    """PATH minus every folder holding a `dashscope-setup`: the name must not resolve."""
    dirs = os.environ.get("PATH", os.defpath).split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and not (Path(d) / NAME).exists())


def _console_script() -> Path:
    script = VENV_BIN / NAME
    if not script.is_file():
        if IN_CI:
            pytest.fail(f"{script} is missing: the project is not installed in its venv")
        pytest.skip(f"{script} is missing")
    return script


@pytest.fixture(scope="session")
def pipx_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(PIPX_HOME, a folder holding only `pipx`) shared by the session: pipx's run environment for
    this checkout is built once."""
    pipx = shutil.which("pipx", path=str(VENV_BIN)) or shutil.which("pipx")
    if pipx is None:
        if IN_CI:
            pytest.fail("pipx is required in CI (a test extra) but not installed")
        pytest.skip("pipx not installed")
    base = tmp_path_factory.mktemp("pipx")
    bindir = base / "bin"
    bindir.mkdir()
    (bindir / "pipx").symlink_to(pipx)
    yield base / "home", bindir


@pytest.fixture(params=LAUNCHERS)
def launcher(request: pytest.FixtureRequest) -> Launcher:
    bare = _path_without_the_tool()
    how = request.param
    if how == "path":
        _console_script()
        return Launcher([NAME], NAME, f"{VENV_BIN}{os.pathsep}{bare}")
    if how == "module":
        return Launcher([sys.executable, "-m", "wizard"], f"{sys.executable} -m wizard", bare)
    if how == "absolute":
        script = _console_script()
        return Launcher([str(script)], str(script), bare)
    if how == "scripts-run":
        script = ROOT / ".venv" / "bin" / NAME
        if not script.is_file() and IN_CI:
            pytest.fail(f"{script} is missing: ./scripts/test creates it")
        if not script.is_file():
            pytest.skip(f"{script} is missing")
        return Launcher(["./scripts/run"], str(script), bare, cwd=ROOT)
    pipx_dir, bindir = request.getfixturevalue("pipx_home")
    return Launcher(
        ["pipx", "run", "--spec", str(ROOT), NAME],
        f"pipx run --spec {ROOT} {NAME}",
        f"{bindir}{os.pathsep}{bare}",
        env={"PIPX_HOME": str(pipx_dir)},
    )


class World:
    """One HOME, the fake server, and the launcher: runs the tool and the shells."""

    def __init__(self, home: Path, fake: FakeDashScope, launcher: Launcher) -> None:
        self.home = home
        self.launcher = launcher
        self.env = clean_env(
            home,
            PATH=launcher.path,
            DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(),
            DASHSCOPE_SETUP_TIMEOUT="10",
            LANG="en_US.UTF-8",
            **launcher.env,
        )
        self.env.pop("PYTHONPATH")  # the tool must find itself as installed, not through the tests

    def tool(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.launcher.argv, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=str(self.launcher.cwd or self.home),
            timeout=600,  # pipx builds its environment on first use
        )

    def tool_on_terminal(self, *args: str) -> str:
        argv = self.launcher.argv
        child = pexpect.spawn(
            argv[0], [*argv[1:], *args], env=self.env, cwd=str(self.launcher.cwd or self.home),
            encoding="utf-8", timeout=120, dimensions=(50, 400),
        )  # fmt: skip
        child.expect(pexpect.EOF)
        child.close()
        return (child.before or "").replace("\r\n", "\n")

    def bash(self, line: str) -> subprocess.CompletedProcess[str]:
        """`line` as pasted into a new bash (no startup files: only what the line itself does)."""
        return self._shell([require("bash"), "--norc", "--noprofile", "-c", line])

    def fish(self, line: str) -> subprocess.CompletedProcess[str]:
        return self._shell([require("fish"), "--no-config", "-c", line])

    def _shell(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, capture_output=True, text=True, env=self.env, cwd=str(self.home),
            stdin=subprocess.DEVNULL, timeout=600,
        )  # fmt: skip

    def printed(self, text: str) -> list[str]:
        """Every command in `text` that starts this tool: the prefix, then words up to the end of
        the line or a closing backtick."""
        return re.findall(re.escape(self.launcher.expect) + r"(?: [^\s`]+)*", text)

    def one_printed(self, text: str) -> str:
        found = self.printed(text)
        assert found, f"no command starting with {self.launcher.expect!r} in:\n{text}"
        return found[0]


def ran(result: subprocess.CompletedProcess[str]) -> str:
    """The printed command started the tool: no 'command not found' (127) nor 'not executable'."""
    assert result.returncode not in (126, 127), result.stderr
    assert "not found" not in result.stderr, result.stderr
    return result.stdout + result.stderr


def test_every_printed_command_works(home: Path, fake: FakeDashScope, launcher: Launcher) -> None:
    world = World(home, fake, launcher)
    key = new_key()
    fake.add_key(key, "us-east-1")
    key_file = home / ".dashscope" / "api_key"

    # Nothing configured: status and env name the command to run first.
    status = world.tool("status")
    for command in world.printed(status.stdout + status.stderr):
        out = ran(world.bash(command))  # `setup` with no terminal: it answers, and says to pass --yes
        assert t("en", "err.not_interactive", example="").split(":")[0] in out
    env_first = world.tool("env", "--shell", "bash")
    assert env_first.returncode == 9  # nothing stored: run setup first
    setup_first = world.one_printed(env_first.stderr)
    assert setup_first == f"{launcher.expect} setup"
    assert world.bash(setup_first).returncode == 2  # started, and asks for --yes without a terminal

    # setup with no terminal prints the command that works without one; run as printed, with the
    # key in the file it names.
    refused = world.tool("setup", "--shell", "bash")
    assert refused.returncode == 2
    command = world.one_printed(refused.stderr)
    (home / "keyfile").write_text(key + "\n")
    done = world.bash(command)
    assert done.returncode == 0, ran(done)
    assert key_file.read_text().strip() == key
    (home / "keyfile").unlink()
    undo = [c for c in world.printed(done.stdout) if c.endswith(" remove")]
    assert undo, done.stdout

    # env on a terminal prints the line to run instead of the key; that line loads the key.
    bash_line = world.tool_on_terminal("env", "--shell", "bash").split("Run: ", 1)[1].splitlines()[0]
    assert bash_line == f'eval "$({launcher.expect} env --shell bash)"'
    loaded = world.bash(bash_line + '; printf "%s|%s" "$DASHSCOPE_API_KEY" "$DASHSCOPE_HTTP_BASE_URL"')
    assert ran(loaded) and loaded.stdout.split("|")[0] == key
    assert "dashscope-us" in loaded.stdout.split("|")[1] or "127.0.0.1" in loaded.stdout.split("|")[1]
    fish_line = world.tool_on_terminal("env", "--shell", "fish").split("Run: ", 1)[1].splitlines()[0]
    assert fish_line == f"{launcher.expect} env --shell fish | source"
    loaded = world.fish(fish_line + '; printf "%s" "$DASHSCOPE_API_KEY"')
    assert ran(loaded) == key

    # "To undo everything: … remove", pasted into a terminal: it lists, asks, and removes.
    child = pexpect.spawn(
        require("bash"), ["--norc", "--noprofile", "-c", undo[0]], env=world.env, cwd=str(home),
        encoding="utf-8", timeout=120, dimensions=(50, 400),
    )  # fmt: skip
    child.expect(re.escape(t("en", "wiz.remove_confirm")))
    child.send("\r")
    child.expect(re.escape(t("en", "label.removed_done")))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert not key_file.exists()
    # It named the line that drops the key from a terminal already open: run it in one that has it.
    unset = "unset DASHSCOPE_API_KEY"
    assert unset in (child.before or "")
    dropped = world.bash(
        f"export DASHSCOPE_API_KEY={key}; {unset}; " + 'printf "%s" "${DASHSCOPE_API_KEY-gone}"'
    )
    assert dropped.stdout == "gone"

    # remove with no terminal prints the form that needs none; run as printed it finds nothing left.
    world.tool("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=key)
    refused = world.tool("remove")
    assert refused.returncode == 2
    command = world.one_printed(refused.stderr)
    assert command == f"{launcher.expect} remove --yes"
    removed = world.bash(command)
    assert removed.returncode == 0, ran(removed)
    assert t("en", "label.removed_done") in removed.stdout and not key_file.exists()
