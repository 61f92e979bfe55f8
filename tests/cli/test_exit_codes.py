"""The README's exit codes by command, each one produced by that command for real: the table is
read from the README, so a code documented without a way to get it, or the reverse, fails here."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, new_key, run_cli
from tests.fakes.dashscope import FakeDashScope

Run = Callable[[Path, FakeDashScope], "subprocess.CompletedProcess[str]"]


def documented() -> list[tuple[str, int]]:
    """(command, code) for every code the README's by-command table lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| command | also exits with |", 1)[1].split("\n\n", 1)[0]
    pairs = []
    for row in table.splitlines()[2:]:
        command, codes = (cell.strip() for cell in row.strip("|").split("|"))
        codes = re.sub(r"\([^)]*\)", "", codes)  # "(128+N when signal N ends it)" is not a code
        pairs += [(command.strip("`"), int(c)) for c in re.findall(r"\b\d+\b", codes)]
    return pairs


def cli(
    home: Path, fake: FakeDashScope, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "2", **env}
    return run_cli(home, *args, stdin=stdin, env=env)


# How the fake is set up for each code of the live check: a key it does not know (3), an account
# state (4), or a fault on every chat call (5, 6, 7).
def _prepare(fake: FakeDashScope, code: int) -> str:
    key = new_key()
    if code == 3:
        return key
    fake.add_key(key, "cn-beijing", account_error="Arrearage" if code == 4 else None)
    faults = {
        5: {"kind": "error", "code": "model_not_found"},
        6: {"kind": "error", "code": "limit_requests", "retry_after": "0"},
        7: {"kind": "server_error"},
    }
    if code in faults:
        fake.add_fault(times=None, **faults[code])  # type: ignore[arg-type]
    return key


def _live(*args: str, code: int, key_in: str) -> Run:
    def run(home: Path, fake: FakeDashScope) -> subprocess.CompletedProcess[str]:
        key = _prepare(fake, code)
        if key_in == "stdin":
            return cli(home, fake, *args, stdin=key)
        return cli(home, fake, *args, DASHSCOPE_API_KEY=key)

    return run


def _setup_read_only_bashrc(home: Path, fake: FakeDashScope) -> subprocess.CompletedProcess[str]:
    (home / ".bashrc").write_text("# mine\n")
    (home / ".bashrc").chmod(0o444)  # refused even as root: the tool checks the mode itself
    return cli(home, fake, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=new_key())


def _remove_read_only_bashrc(home: Path, fake: FakeDashScope) -> subprocess.CompletedProcess[str]:
    done = cli(home, fake, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=new_key())
    assert done.returncode == 0, done.stderr
    (home / ".bashrc").chmod(0o444)
    return cli(home, fake, "remove", "--yes")


def _scrub_without_room_for_the_backup(home: Path, fake: FakeDashScope) -> subprocess.CompletedProcess[str]:
    (home / ".bash_history").write_text(f"export DASHSCOPE_API_KEY={new_key()}\n")
    (home / ".config").mkdir()
    (home / ".config" / "dashscope-setup").write_text("a file where our folder goes\n")
    return cli(home, fake, "status", "--scrub-history")


def _run_target(make: Callable[[Path], str]) -> Run:
    def run(home: Path, fake: FakeDashScope) -> subprocess.CompletedProcess[str]:
        done = cli(
            home, fake, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=new_key()
        )
        assert done.returncode == 0, done.stderr
        return cli(home, fake, "run", "--", make(home))

    return run


def _folder(home: Path) -> str:
    (home / "a-folder").mkdir()
    return str(home / "a-folder")


def _nothing(*args: str) -> Run:
    return lambda home, fake: cli(home, fake, *args)


PRODUCERS: dict[tuple[str, int], Run] = {
    **{
        ("setup", c): _live("setup", "--yes", "--key-stdin", "--shell", "bash", code=c, key_in="stdin")
        for c in range(3, 8)
    },
    ("setup", 8): _setup_read_only_bashrc,
    **{("test", c): _live("test", "--region", "cn-beijing", code=c, key_in="env") for c in range(3, 8)},
    ("test", 9): _nothing("test"),
    ("status", 9): _nothing("status"),
    **{("status", c): _live("status", "--live", code=c, key_in="env") for c in range(3, 8)},
    ("status", 8): _scrub_without_room_for_the_backup,
    ("status", 10): _nothing("status", "--check"),
    ("env", 9): _nothing("env", "--shell", "bash"),
    ("run", 9): _nothing("run", "--", "true"),
    ("run", 126): _run_target(_folder),
    ("run", 127): _run_target(lambda home: "no-such-command-here"),
    ("remove", 8): _remove_read_only_bashrc,
}


def test_every_documented_code_has_a_producer_and_every_producer_is_documented() -> None:
    assert sorted(documented()) == sorted(PRODUCERS)


@pytest.mark.parametrize(
    ("command", "code"), sorted(PRODUCERS), ids=[f"{c}-{n}" for c, n in sorted(PRODUCERS)]
)
def test_command_exits_with_the_documented_code(
    home: Path, fake: FakeDashScope, command: str, code: int
) -> None:
    result = PRODUCERS[command, code](home, fake)
    assert result.returncode == code, result.stdout + result.stderr
    assert "✗" in result.stdout + result.stderr  # and says what went wrong
    assert "Traceback" not in result.stderr
