"""Bad input is a usage error (exit 2) or handled, never an internal error (exit 1) or a hang."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import clean_env, make_ctx, new_key, require
from wizard.check import run_check
from wizard.check.diagnose import json_or_none
from wizard.cli.run import run
from wizard.errors import ExitCode
from wizard.shells import SHELLS

NO_TEST = ["setup", "--yes", "--offline", "--shell", "bash"]


def cli(
    home: Path, argv: list[str], *, stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str]:
    ctx = make_ctx(home, stdin=stdin, env=env)
    code = run(argv, ctx)
    return code, ctx.stderr.getvalue()


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- fish sourcing a POSIX file -------------------------------------------------------------------


def test_fish_sourcing_profile_does_not_break_status_or_setup(home: Path) -> None:
    """~/.profile is parsed as sh for bash and as fish for fish's `source`: two trees, one file."""
    put(home / ".config" / "fish" / "config.fish", "source ~/.profile\n")
    put(home / ".profile", "export PATH=$HOME/bin:$PATH\n")
    assert cli(home, ["status"])[0] == ExitCode.NOT_CONFIGURED  # read fine; nothing configured yet
    assert (
        cli(home, ["setup", "--yes", "--offline", "--key-stdin", "--shell", "fish"], stdin=new_key())[0] == 0
    )
    assert cli(home, ["status"])[0] == 0


# --- URLs -----------------------------------------------------------------------------------------

BAD_URLS = [
    "https://[::1",
    "https://[zz::1]/v1",
    "https://exa mple.com/v1",
    "https://example.com:99999/v1",
    "https://example.com:0/v1",
    "https://example.com:-1/v1",
    "https://example.com:port/v1",
    "https://",
    "https:///v1",
    "https://a_b..c/v1",
    "https://exa<mple>.com/v1",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_base_url_is_a_usage_error(home: Path, url: str) -> None:
    code, err = cli(home, [*NO_TEST, "--key-stdin", "--base-url", url], stdin=new_key())
    assert code == 2, err
    assert "--base-url" in err
    assert not (home / ".bashrc").exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_region_override_is_a_usage_error(home: Path, url: str) -> None:
    env = {"DASHSCOPE_SETUP_REGION_URLS": f"cn-beijing={url}"}
    code, err = cli(home, [*NO_TEST, "--key-stdin", "--region", "cn-beijing"], stdin=new_key(), env=env)
    assert code == 2, err


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/v1",
        "https://[::1]:8443/v1",
        "http://127.0.0.1:8001/v1",
        "https://a-b.c_d.example./v1",
    ],
)
def test_wellformed_base_url_is_accepted(home: Path, url: str) -> None:
    assert cli(home, [*NO_TEST, "--key-stdin", "--base-url", url], stdin=new_key())[0] == 0


# --- DASHSCOPE_SETUP_TIMEOUT ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "-inf", "1e308", "601", "abc", "\x1b[2J"])
def test_bad_timeout_is_a_usage_error(home: Path, value: str) -> None:
    args = ["setup", "--yes", "--key-stdin", "--shell", "bash", "--base-url", "http://127.0.0.1:9/v1"]
    code, err = cli(home, args, stdin=new_key(), env={"DASHSCOPE_SETUP_TIMEOUT": value})
    assert code == 2, err
    assert "DASHSCOPE_SETUP_TIMEOUT" in err
    assert "\x1b" not in err


# --- a hostile server's JSON ----------------------------------------------------------------------


def test_deeply_nested_json_is_not_json() -> None:
    assert json_or_none(b"[" * 200_000 + b"]" * 200_000) is None
    assert json_or_none(b'{"a":' * 100_000) is None


@pytest.mark.parametrize("status", [200, 400, 401, 500])
def test_deeply_nested_json_from_the_server_is_a_diagnosis(status: int) -> None:
    body = b'{"error":' * 100_000 + b"1" + b"}" * 100_000

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": "application/json"})

    client = httpx.Client(transport=httpx.MockTransport(reply))
    try:
        result = run_check(
            key=new_key(), client=client, urls={}, base_url="https://x.example/v1", sleep=lambda s: None
        )
    finally:
        client.close()
    assert result.msg_id is not None or result.ok


# --- --key-file -----------------------------------------------------------------------------------


def test_dev_zero_as_key_file_is_refused_at_once(home: Path) -> None:
    start = time.monotonic()
    code, err = cli(home, [*NO_TEST, "--key-file", "/dev/zero"])
    assert code == 2, err
    assert "/dev/zero" in err
    assert time.monotonic() - start < 5


def test_fifo_as_key_file_is_refused_without_blocking(home: Path) -> None:
    fifo = home / "fifo"
    os.mkfifo(fifo)
    start = time.monotonic()
    code, err = cli(home, [*NO_TEST, "--key-file", str(fifo)])
    assert code == 2, err
    assert "--key-stdin" in err
    assert time.monotonic() - start < 5


def test_directory_as_key_file_is_refused(home: Path) -> None:
    assert cli(home, [*NO_TEST, "--key-file", str(home)])[0] == 2


def test_huge_key_file_is_refused(home: Path) -> None:
    big = put(home / "big", new_key() + "\n" + "x" * 100_000)
    code, err = cli(home, [*NO_TEST, "--key-file", str(big)])
    assert code == 2, err
    assert "4096" in err


def test_key_file_with_a_bom_is_accepted(home: Path) -> None:
    key = new_key()
    kf = home / "key.txt"
    kf.write_bytes(b"\xef\xbb\xbf" + key.encode() + b"\r\n")
    code, err = cli(home, [*NO_TEST, "--key-file", str(kf), "--store", "inline"])
    assert code == 0, err
    assert key in (home / ".bashrc").read_text()
    assert "\ufeff" not in (home / ".bashrc").read_text()


# --- zsh's ZDOTDIR is read, never run -------------------------------------------------------------


@pytest.mark.parametrize("argv", [["status"], ["snippet", "--shell", "zsh"]])
def test_zshenv_is_not_run(home: Path, argv: list[str]) -> None:
    marker = home / "zshenv-ran"
    put(home / ".zshenv", f'touch "{marker}"\nsleep 3\nZDOTDIR="$HOME/.config/zsh"\n')
    start = time.monotonic()
    code, err = cli(home, argv)
    assert code == (ExitCode.NOT_CONFIGURED if argv == ["status"] else 0), err
    assert not marker.exists()
    assert time.monotonic() - start < 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('ZDOTDIR="$HOME/.config/zsh"', "{home}/.config/zsh"),
        ("export ZDOTDIR=~/zdot", "{home}/zdot"),
        ("typeset ZDOTDIR=${HOME}/z", "{home}/z"),
        ('ZDOTDIR="${XDG_CONFIG_HOME:-$HOME/.config}/zsh"', "{home}/.config/zsh"),
        ("ZDOTDIR=$(slow)", "{home}"),
        ("ZDOTDIR=relative", "{home}"),
        ("echo ZDOTDIR=/nope", "{home}"),
        ("if [ -d /tmp ]; then ZDOTDIR=/tmp/z; fi", "/tmp/z"),
    ],
)
def test_zdotdir_from_zshenv(home: Path, line: str, expected: str) -> None:
    put(home / ".zshenv", line + "\n")
    zsh = SHELLS["zsh"]
    assert str(zsh.zdotdir(make_ctx(home))) == expected.format(home=home)  # type: ignore[attr-defined]


# --- our blocks under `set -e` --------------------------------------------------------------------


def _failing_tools(home: Path) -> Path:
    bin_dir = home / "fakebin"
    bin_dir.mkdir()
    for name in ("secret-tool", "security", "dashscope-setup"):
        tool = bin_dir / name
        tool.write_text("#!/bin/sh\nexit 1\n")
        tool.chmod(0o755)
    return bin_dir


@pytest.mark.parametrize("shell", ["bash", "zsh", "dash"])
@pytest.mark.parametrize("kind", ["keyring", "keyring-nodbus", "file-no-newline", "file-missing"])
def test_blocks_never_fail_under_set_e(home: Path, shell: str, kind: str) -> None:
    exe = require(shell)
    posix = SHELLS["zsh" if shell == "zsh" else "bash"]
    key_file = home / "key"
    if kind.startswith("keyring"):
        body = posix.keyring_block({})
    else:
        body = posix.file_block(key_file, {"DASHSCOPE_HTTP_BASE_URL": "https://x.example/api/v1"})
        if kind == "file-no-newline":
            key_file.write_text("sk-" + "a" * 32)
    rc = put(home / "rc", body + "\n")
    env = clean_env(home, PATH=f"{_failing_tools(home)}:{os.environ.get('PATH', '')}")
    if kind == "keyring":
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"
    else:
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    script = f'set -eu; . "{rc}"; echo "alive:${{DASHSCOPE_API_KEY:-}}"'
    out = subprocess.run([exe, "-c", script], env=env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    expected = "sk-" + "a" * 32 if kind == "file-no-newline" else ""
    assert out.stdout.strip() == f"alive:{expected}"


# --- relative HOME / XDG_CONFIG_HOME --------------------------------------------------------------


@pytest.mark.parametrize("var", ["HOME", "XDG_CONFIG_HOME"])
@pytest.mark.parametrize("argv", [["status"], [*NO_TEST, "--key-stdin"], ["remove", "--yes"]])
def test_relative_home_or_config_home_is_refused(home: Path, var: str, argv: list[str]) -> None:
    ctx = make_ctx(home, stdin=new_key(), env={var: "relative/dir"})
    if var == "HOME":
        ctx.home = Path("relative/dir")
    assert run(argv, ctx) == 2
    assert var in ctx.stderr.getvalue()
    assert not Path("relative").exists()


def test_ctrl_c_while_the_modules_load_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window between Python's start and our first prompt is a few hundred ms of imports: a
    Ctrl-C there is the user's, not a crash."""
    import builtins
    import sys

    from wizard import entry

    real_import = builtins.__import__

    def wrapped() -> None:
        # A Ctrl-C in a class body (ipaddress's, say) while a module loads reaches us like this.
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'cached_property' instance") from exc

    def plain() -> None:
        raise KeyboardInterrupt

    for how in (plain, wrapped):

        def interrupted(name: str, *args: object, how: object = how, **kwargs: object) -> object:
            if name == "wizard.cli.run":
                how()  # type: ignore[operator]
            return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(sys, "argv", ["dashscope-setup", "status"])
        monkeypatch.delitem(sys.modules, "wizard.cli.run", raising=False)
        monkeypatch.setattr(builtins, "__import__", interrupted)
        assert entry.main() == 130
        monkeypatch.setattr(builtins, "__import__", real_import)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err


def test_an_error_escaping_after_ctrl_c_is_the_interrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seen in the crash run: SIGINT during `import ssl` surfaced as a bare TypeError."""
    import contextlib
    import signal
    import sys

    from wizard import entry

    def odd_import_failure(_args: list[str]) -> int:
        with contextlib.suppress(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)  # runs entry's handler, as a real Ctrl-C would
        raise TypeError("expected a message argument")

    monkeypatch.setattr(sys, "argv", ["dashscope-setup", "status"])
    monkeypatch.setattr(entry, "_main", odd_import_failure)
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert entry.main() == 130
    finally:
        signal.signal(signal.SIGINT, previous)
