"""`status` as a person reads it: the common case in a few lines with region and base URL, words
instead of internal ids, the kinds of shell of the OS you are on, a fix for each problem (and the fix
works), fingerprints only when masks look alike, the saved configuration in JSON, and no file
touched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clean_env, make_ctx, new_key, require, run_cli, setup_cli
from tests.fakes.dashscope import FakeDashScope
from wizard import keys, regions
from wizard.cli import run as cli

SKEL = Path("/etc/skel")


def skel(home: Path) -> None:
    for name in (".bashrc", ".profile"):
        if (SKEL / name).exists():
            shutil.copy(SKEL / name, home / name)


def setup_for_real(home: Path, fake: FakeDashScope, key: str, *shells: str) -> None:
    """As a new user: the live check finds the key's region on the (fake) service, then saves."""
    argv = [a for s in shells for a in ("--shell", s)]
    done = setup_cli(home, key, *argv, env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env()}, offline=False)
    assert done.returncode == 0, done.stderr


def status(
    home: Path, *args: str, shell: str = "bash", platform: str = "linux", **env: str
) -> tuple[int, str]:
    """`status` in-process, as typed in `shell` (the shell decides the command offered as a fix):
    the exit code and stdout."""
    ctx = make_ctx(home, env=env, shell=shell, platform=platform)
    code = cli.run(["status", *args], ctx)
    return code, ctx.stdout.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_common_case_fits_in_8_lines_with_region_and_base_url(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    for shell in ("bash", "zsh", "fish"):
        require(shell)
    skel(home)
    key = new_key()
    fake.add_key(key, "us-east-1")
    setup_for_real(home, fake, key, "bash", "zsh", "fish")
    result = run_cli(home, "status", "--lang", lang)
    assert result.returncode == 0, result.stderr
    screen = result.stdout
    lines = screen.splitlines()
    assert len(lines) <= 8, screen
    assert keys.mask(key) in lines[0]
    assert regions.REGIONS["us-east-1"].name(lang) in screen
    assert fake.url("us-east-1") in screen
    for shell in ("bash", "zsh", "fish"):
        assert shell in lines[2]
    # No internal ids, no unexplained numbers, nothing about another OS.
    for ref in ("env:", "key-file:", "registry:", "(35,", "macOS", "Terminal.app", "Windows"):
        assert ref not in screen, ref
    assert "fingerprint" not in screen and "指纹" not in screen
    assert key not in screen


def test_status_json_carries_the_saved_region_base_url_and_store(home: Path) -> None:
    done = setup_cli(home, new_key(), "--shell", "bash", "--region", "ap-southeast-1")
    assert done.returncode == 0, done.stderr
    data = json.loads(run_cli(home, "status", "--json").stdout)
    assert data["region"] == "ap-southeast-1"
    assert data["region_source"] == "configured"
    assert data["base_url"] == regions.REGIONS["ap-southeast-1"].compatible_url
    assert data["store"] == {"kind": "file", "path": str(home / ".dashscope" / "api_key")}
    assert data["status"]["configured"] is True
    assert data["status"]["main"]["ours"] is True


def test_status_exit_code_says_whether_a_key_is_configured(home: Path) -> None:
    nothing = run_cli(home, "status")
    assert nothing.returncode == 9
    assert f"{sys.executable} -m wizard" in nothing.stdout  # how to set it up, as it was started
    only_here = run_cli(home, "status", "--json", env={"DASHSCOPE_API_KEY": new_key()})
    assert only_here.returncode == 9
    data = json.loads(only_here.stdout)
    assert data["exit_code"] == 9 and data["status"]["this_terminal"] == "only"
    assert "status.warn.env_only" in [w["id"] for w in data["warnings"]]
    setup_cli(home, new_key(), "--shell", "bash")
    assert run_cli(home, "status").returncode == 0
    quiet = run_cli(home, "status", "-q")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def tree(root: Path) -> dict[str, tuple[str, int, int, bytes]]:
    """Every entry under root: kind, mode, mtime and content (or link target)."""
    out: dict[str, tuple[str, int, int, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            if p.is_symlink():
                data = os.readlink(p).encode()
            elif p.is_file():
                data = p.read_bytes()
            else:
                data = b""
            out[str(p.relative_to(root))] = (oct(st.st_mode), st.st_mode, st.st_mtime_ns, data)
    return out


def test_status_never_edits_a_file(home: Path) -> None:
    for shell in ("bash", "zsh", "fish"):
        require(shell)
    skel(home)
    old, key = new_key(), new_key()
    (home / ".bash_history").write_text(f"export DASHSCOPE_API_KEY={old}\n")
    (home / ".zshenv").write_text("export EDITOR=vi\n")
    done = setup_cli(home, key, "--shell", "bash", "--shell", "zsh", "--shell", "fish")
    assert done.returncode == 0, done.stderr
    with (home / ".bashrc").open("a") as fh:
        fh.write(f"export DASHSCOPE_API_KEY={old}\n")
    before = tree(home)
    for args, env in [
        ((), {}),
        (("--json",), {}),
        (("-q",), {}),
        (("--lang", "zh"), {"DASHSCOPE_API_KEY": old}),
        ((), {"DASHSCOPE_API_KEY": key}),
    ]:
        result = run_cli(home, "status", *args, env=env)
        assert result.returncode == 0, result.stderr
        assert tree(home) == before, args


@pytest.mark.parametrize(
    ("shell", "argv"),
    [("bash", ["bash", "-c"]), ("zsh", ["zsh", "-fc"]), ("fish", ["fish", "-c"])],
)
@pytest.mark.parametrize("has", ["old", "none"])
def test_this_terminal_gets_a_fix_and_the_fix_works(
    home: Path, shell: str, argv: list[str], has: str
) -> None:
    """A terminal opened before setup (no key, or an old one): status says so and prints the one
    command that loads the saved key here; run in that shell, it does."""
    require(argv[0])
    old, key = new_key(), new_key()
    done = setup_cli(home, key, "--shell", shell, "--region", "us-east-1")
    assert done.returncode == 0, done.stderr
    env = {"DASHSCOPE_API_KEY": old} if has == "old" else {}
    code, screen = status(home, "--json", shell=shell, **env)
    assert code == 0
    (warning,) = [w for w in json.loads(screen)["status"]["warnings"] if "terminal" in w["id"]]
    command = warning["params"]["command"]
    code, screen = status(home, shell=shell, **env)
    if has == "old":
        assert (
            f"This terminal still has another key ({keys.mask(old)}): open a new terminal, or run: {command}"
            in screen
        )
    else:
        assert f"This terminal does not have it yet: open a new terminal, or run: {command}" in screen
    run_env = clean_env(home, **env)
    run_env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{run_env.get('PATH', '')}"
    out = subprocess.run(
        [*argv, f'{command}; printf "%s|%s" "$DASHSCOPE_API_KEY" "$DASHSCOPE_COMPATIBLE_BASE_URL"'],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=str(home),
        timeout=60,
    )
    assert out.stdout == f"{key}|{regions.REGIONS['us-east-1'].compatible_url}", out.stderr


def test_fingerprints_appear_only_when_two_keys_share_a_mask(home: Path) -> None:
    setup_cli(home, new_key(), "--shell", "bash")
    look_alike = "sk-" + "0" * 28 + keys.mask(new_key())[-4:]
    (home / ".env").write_text(f"DASHSCOPE_API_KEY={new_key()}\n")
    _, screen = status(home)
    assert "fingerprint" not in screen
    saved = (home / ".dashscope" / "api_key").read_text().strip()
    look_alike = "sk-" + "0" * 28 + saved[-4:]
    (home / ".env").write_text(f"DASHSCOPE_API_KEY={look_alike}\n")
    _, screen = status(home)
    assert f"{keys.mask(saved)} (fingerprint " in screen
    assert f"{keys.mask(look_alike)} (fingerprint " in screen
    assert "Fingerprint: the first 8 hex digits of the key's SHA-256" in screen


@pytest.mark.parametrize(
    ("platform", "label", "absent"),
    [
        ("linux", "bash login shells (ssh, console)", "Terminal.app"),
        ("darwin", "bash in Terminal.app and ssh (login shells)", "console"),
    ],
)
def test_kinds_of_shell_are_named_for_the_os_you_are_on(
    home: Path, platform: str, label: str, absent: str
) -> None:
    (home / ".bash_profile").write_text(f"export DASHSCOPE_API_KEY={new_key()}\n")
    code, screen = status(home, platform=platform)
    assert code == 0
    assert label in screen
    assert absent not in screen
    # ~/.bashrc does not set it: a problem, with its fix.
    (problem,) = [
        line for line in screen.splitlines() if "no key. To add it there, run: dashscope-setup" in line
    ]
    assert problem.startswith("! new bash terminals, ")
