"""How the tool was started decides how the commands it prints begin (wizard/invocation.py): the
world is the Context's argv[0], interpreter and PATH, laid out here as real files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import make_ctx, require
from wizard import invocation
from wizard.context import Context
from wizard.shells import SHELLS, detect

NAME = "dashscope-setup"


def script(path: Path, interpreter: str = "/usr/bin/python3") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!{interpreter}\nimport sys\n")
    path.chmod(0o755)
    return path


def world(home: Path, argv0: str, executable: str, *path: Path) -> Context:
    ctx = make_ctx(home, env={"PATH": os.pathsep.join(str(p) for p in path)})
    ctx.argv0, ctx.executable = argv0, executable
    return ctx


def test_the_name_when_path_finds_this_very_script(home: Path) -> None:
    bindir = home / "venv" / "bin"
    tool = script(bindir / NAME, str(bindir / "python"))
    assert invocation.words(world(home, str(tool), str(bindir / "python"), bindir)) == (NAME,)
    # Through a link on PATH (pipx install, ~/.local/bin) it is still the same file.
    links = home / "links"
    links.mkdir()
    (links / NAME).symlink_to(tool)
    assert invocation.words(world(home, str(links / NAME), str(bindir / "python"), links)) == (NAME,)


def test_the_absolute_path_when_the_name_is_not_on_path_or_is_another_install(home: Path) -> None:
    mine = script(home / "checkout" / ".venv" / "bin" / NAME)
    assert invocation.words(world(home, str(mine), "/usr/bin/python3")) == (str(mine),)
    other = script(home / "other" / NAME)
    assert invocation.words(world(home, str(mine), "/usr/bin/python3", other.parent)) == (str(mine),)


def test_a_relative_argv0_becomes_absolute(home: Path) -> None:
    mine = script(home / "checkout" / ".venv" / "bin" / NAME)
    ctx = world(home, "./checkout/.venv/bin/" + NAME, "/usr/bin/python3")
    ctx.cwd = home
    assert invocation.words(ctx) == (str(mine),)


def test_python_dash_m_prints_the_exact_interpreter(home: Path) -> None:
    main = home / "src" / "wizard" / "__main__.py"
    main.parent.mkdir(parents=True)
    main.write_text("")
    python = str(home / "venv" / "bin" / "python")
    assert invocation.words(world(home, str(main), python)) == (python, "-m", "wizard")
    # A console script of another interpreter on PATH is not this tool...
    elsewhere = script(home / "elsewhere" / NAME, "/opt/python/bin/python3")
    assert invocation.words(world(home, str(main), python, elsewhere.parent)) == (python, "-m", "wizard")
    # ...the one whose #! names this interpreter is.
    own = script(home / "local" / "bin" / NAME, python)
    assert invocation.words(world(home, str(main), python, own.parent)) == (NAME,)


def pipx_run_venv(home: Path, spec: str, name: str = "2d5ec0e1a223ab4") -> tuple[Path, Path]:
    """A run environment laid out as pipx makes it: <cache>/<hash>/{bin, pipx_metadata.json}."""
    venv = home / ".cache" / "pipx" / name
    python = venv / "bin" / "python"
    tool = script(venv / "bin" / NAME, str(python))
    meta = {"main_package": {"package": NAME, "package_or_url": spec}}
    (venv / "pipx_metadata.json").write_text(json.dumps(meta))
    return tool, python


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (NAME, ("pipx", "run", NAME)),
        ("/home/li/src/dashscope-setup", ("pipx", "run", "--spec", "/home/li/src/dashscope-setup", NAME)),
        ("dashscope-setup==0.1.0", ("pipx", "run", "--spec", "dashscope-setup==0.1.0", NAME)),
    ],
)
def test_pipx_run_is_printed_as_pipx_run(home: Path, spec: str, expected: tuple[str, ...]) -> None:
    tool, python = pipx_run_venv(home, spec)
    pipx = script(home / "bin" / "pipx")
    assert invocation.words(world(home, str(tool), str(python), pipx.parent)) == expected


def test_pipx_run_falls_back_to_the_path_when_pipx_cannot_start_it_again(home: Path) -> None:
    tool, python = pipx_run_venv(home, "/src")
    assert invocation.words(world(home, str(tool), str(python))) == (str(tool),)  # no pipx on PATH
    pipx = script(home / "bin" / "pipx")
    tool, python = pipx_run_venv(home, "git+https://user:token@example.com/x.git", "0123456789abcde")
    # A spec holding a password is never printed.
    assert invocation.words(world(home, str(tool), str(python), pipx.parent)) == (str(tool),)
    # `pipx install` environments (named after the package) are not run environments.
    tool, python = pipx_run_venv(home, "/src", NAME)
    assert invocation.words(world(home, str(tool), str(python), pipx.parent)) == (str(tool),)


def test_without_argv0_the_name_is_printed(home: Path) -> None:
    assert invocation.words(make_ctx(home)) == (NAME,)


@pytest.mark.parametrize("shell", ["bash", "zsh", "sh", "fish"])
def test_a_path_with_spaces_and_quotes_runs_as_printed(home: Path, shell: str) -> None:
    """The printed line, pasted into the real shell, starts the program with the same arguments."""
    binary = require("dash" if shell == "sh" else shell)
    odd = home / "it's a $dir" / NAME
    odd.parent.mkdir()
    odd.write_text('#!/bin/sh\nprintf "[%s]" "$@"\n')
    odd.chmod(0o755)
    ctx = world(home, str(odd), "/usr/bin/python3")
    line = detect.command(ctx, "env", "--shell", shell, shell=shell)
    out = subprocess.run([binary, "-c", line], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, (line, out.stderr)
    assert out.stdout == f"[env][--shell][{shell}]"


def test_powershell_and_cmd_lines_call_a_quoted_path() -> None:
    words = ["C:\\Users\\Li Lei\\py thon.exe", "-m", "wizard", "remove"]
    assert SHELLS["powershell"].command_line(words) == "& 'C:\\Users\\Li Lei\\py thon.exe' -m wizard remove"
    assert SHELLS["cmd"].command_line(words) == '"C:\\Users\\Li Lei\\py thon.exe" -m wizard remove'
    plain = ["C:\\Python311\\python.exe", "-m", "wizard"]
    assert SHELLS["powershell"].command_line(plain) == "C:\\Python311\\python.exe -m wizard"
    # `for /f` hands the command to `cmd /c`, which drops the outer pair of quotes.
    assert SHELLS["cmd"].eval_env_line(words[:3]) == (
        'for /f "delims=" %i in (\'""C:\\Users\\Li Lei\\py thon.exe" -m wizard env --shell cmd"\') do @call %i'
    )
