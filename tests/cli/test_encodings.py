"""Every command on any console encoding: Windows output redirected to a file or pipe (cp1252, GBK),
PYTHONIOENCODING=ascii. The real command in a child process, stdout and stderr pipes in that encoding;
nothing may end in UnicodeEncodeError, JSON stays valid, and text in a language the stream cannot
carry is not sent as escapes: English instead of Chinese, plain marks instead of ✓ ✗ •.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key
from tests.fakes.dashscope import FakeDashScope

ENCODINGS = ("cp1252", "gbk", "ascii")
ESCAPE = re.compile(r"\\u[0-9a-f]{4}|\\x[0-9a-f]{2}")


def cli(
    home: Path, encoding: str, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        input=stdin.encode(),
        capture_output=True,
        env=clean_env(home, PYTHONIOENCODING=encoding, **(env or {})),
        cwd=str(home),
        timeout=60,
    )
    # decoding strictly proves every byte is what the encoding says
    out, err = proc.stdout.decode(encoding), proc.stderr.decode(encoding)
    assert "Traceback" not in err, err
    return proc.returncode, out, err


def plain(text: str, encoding: str) -> None:
    """Human text: no escapes (the model's reply and sample code aside, which callers cut off)."""
    assert not ESCAPE.search(text), text


def configure(home: Path, fake: FakeDashScope) -> tuple[str, dict[str, str]]:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "5"}
    return key, env


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_command_runs_to_its_end(home: Path, fake: FakeDashScope, encoding: str, lang: str) -> None:
    key, env = configure(home, fake)
    env["LANG"] = "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8"
    chinese = lang == "zh" and encoding == "gbk"

    code, out, err = cli(
        home, encoding, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin=key, env=env
    )
    assert code == 0, err
    # after the model's own streamed reply (escaped where the stream cannot carry it) and before the sample code
    summary = out[out.index("密钥" if chinese else "Key") - 2 :].split("\n\n", 1)[0]
    plain(summary, encoding)
    assert ("密钥" in out) is chinese
    assert ("√" in out) is (encoding == "gbk")
    if encoding == "ascii":
        assert out.isascii() and "OK Done. Key sk-..." in out

    for args in (
        ("test",),
        ("status",),
        ("status", "--live"),
        ("snippet", "--shell", "fish"),
        ("remove", "--dry-run"),
    ):
        code, out, err = cli(home, encoding, *args, env=env)
        assert code == 0, (args, err)
        if args != ("test",) and args != ("status", "--live"):
            plain(out, encoding)
        assert ("密钥" in out + err) is (chinese and args[0] not in ("snippet",)), args

    code, out, err = cli(home, encoding, "env", "--shell", "bash", env=env)
    assert (code, out.splitlines()[0]) == (0, f"export DASHSCOPE_API_KEY='{key}'"), err

    code, out, err = cli(
        home,
        encoding,
        "run",
        "--",
        sys.executable,
        "-c",
        "import os;print(len(os.environ['DASHSCOPE_API_KEY']))",
        env=env,
    )
    assert (code, out.strip()) == (0, str(len(key))), err

    for args in (("--help",), ("setup", "--help"), ("status", "--help")):
        code, out, err = cli(home, encoding, *args, env=env)
        assert code == 0, err
        plain(out, encoding)
        assert ("密钥" in out) is chinese
        assert out.startswith("用法:" if chinese else "usage:")

    code, out, err = cli(home, encoding, "remove", "--yes", env=env)
    assert code == 0, err
    plain(out, encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_stays_valid_and_keeps_every_character(home: Path, encoding: str) -> None:
    key = new_key()
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--json", "--lang", "zh")
    code, out, err = cli(home, encoding, *args, stdin=key)
    assert code == 0, err
    data = json.loads(out)
    assert data["key"]["mask"] == f"sk-…{key[-4:]}"  # the ellipsis survives as \u2026
    if encoding != "gbk":
        assert out.isascii()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_usage_errors_and_their_json_on_any_encoding(home: Path, encoding: str) -> None:
    env = {"LANG": "zh_CN.UTF-8"}
    code, out, err = cli(home, encoding, "setup", "--region", "mars", env=env)
    assert code == 2 and not out
    assert err.startswith("用法:" if encoding == "gbk" else "usage:")
    plain(err, encoding)
    code, out, err = cli(home, encoding, "--json", "login", env=env)
    assert code == 2 and json.loads(out)["error"]["id"] == "err.unknown_command"
    code, out, err = cli(home, encoding, "completion", "fish", env=env)
    assert code == 0 and ("显示密钥" in out) is (encoding == "gbk")
    plain(out, encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_errors_are_written_whole(home: Path, encoding: str) -> None:
    code, out, err = cli(
        home,
        encoding,
        "setup",
        "--yes",
        "--offline",
        "--key-stdin",
        stdin="nope",
        env={"LANG": "zh_CN.UTF-8"},
    )
    assert code == 2
    assert "sk-" in err and not out
    assert ("密钥" in err) is (encoding == "gbk")
    first = err.splitlines()[0]
    assert first[0] == ("X" if encoding == "ascii" else "×"), first
    plain(err, encoding)


def test_utf8_streams_are_left_alone(home: Path) -> None:
    env = clean_env(home, PYTHONIOENCODING="utf-8", LANG="zh_CN.UTF-8")
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash"],
        input=new_key(),
        capture_output=True,
        text=True,
        env=env,
        cwd=str(home),
        timeout=60,
    )
    assert proc.returncode == 0 and "\n• 完成。密钥 sk-…" in proc.stdout  # offline: stated, not verified


def test_a_handler_the_user_chose_is_kept(home: Path) -> None:
    env = clean_env(home, PYTHONIOENCODING="ascii:replace")
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash"],
        input=new_key().encode(),
        capture_output=True,
        env=env,
        cwd=str(home),
        timeout=60,
    )
    assert proc.returncode == 0 and b"\n? Done. Key sk-?" in proc.stdout
