"""The end of a setup fits under the last answer and ends on what to do, in both languages.

A real setup (a PTY in a 100x40 terminal, and `--yes` with the key on stdin) against the fake: at most
15 lines after the last answer, ending on "Done", the sample-code command, how terminals get the key,
the command for this terminal, and how to undo. The command for this terminal is then run as printed
in a real bash, zsh and fish (the shell the tool was started from) and must give that shell the key;
the key itself is compared by its hash and never printed. The sample-code command it names is run
there too.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.conftest import clean_env, new_key, require, run_cli
from tests.fakes.dashscope import FakeDashScope
from wizard.messages import t
from wizard.ui.end_screen import END_LINES

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PROG = f"{sys.executable} -m wizard"


def lang_env(lang: str) -> dict[str, str]:
    return {"LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8"}


def assert_ends_on_what_to_do(lines: list[str], lang: str, *, bounded: bool = True) -> None:
    """The last lines, in order: Done with what was set up; sample code; how new terminals get
    it; the command for this one; undo. `bounded`: within END_LINES (-v is not)."""
    assert len(lines) <= END_LINES or not bounded, "\n".join(lines)
    assert lines[-1] == t(lang, "next.remove", prog=PROG)
    assert lines[-2] == f'    eval "$({PROG} env --shell bash)"'
    assert lines[-3] == t(lang, "next.this_terminal")
    assert lines[-4] == t(lang, "next.new_terminal")
    assert lines[-5] == t(lang, "end.samples", prog=PROG)
    assert lines[-6].startswith(f"✓ {t(lang, 'label.done')}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_yes_prints_the_short_screen(home: Path, fake: FakeDashScope, lang: str) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), **lang_env(lang)}
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--shell", "zsh")
    result = run_cli(home, *args, stdin=key, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.rstrip("\n").split("\n")  # the progress lines and the model's reply included
    assert_ends_on_what_to_do(lines, lang)
    region = t(lang, "region.ap-southeast-1")
    assert lines[-6] == "✓ " + t(
        lang,
        "end.done",
        done=t(lang, "label.done"),
        mask=f"sk-…{key[-4:]}",
        region=region,
        where="~/.dashscope/api_key",
        shells=t(lang, "label.list_sep").join(["bash", "zsh"]),
    )
    assert lines[-7].startswith("✓ " + t(lang, "label.check"))
    # Everything else is one flag away: every file written, the base URL.
    verbose = run_cli(home, *args, "-v", stdin=key, env=env).stdout
    assert "~/.zshrc" in verbose and fake.url("ap-southeast-1") in verbose
    assert_ends_on_what_to_do(verbose.rstrip("\n").split("\n"), lang, bounded=False)


def test_warnings_stay_on_the_short_screen(home: Path, fake: FakeDashScope) -> None:
    """A hand-made export that shadows the key, and a key left in history: each keeps its line."""
    key = new_key()
    fake.add_key(key, "cn-beijing")
    (home / ".bashrc").write_text(f"export DASHSCOPE_API_KEY={new_key()}\n")
    (home / ".bash_history").write_text(f"export DASHSCOPE_API_KEY={key}\nls\n")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), **lang_env("en")}
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--json")
    result = run_cli(home, *args, stdin=key, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.rstrip("\n").split("\n")  # with --json the screen goes to stderr
    assert_ends_on_what_to_do(lines, "en")
    steps = {m["id"]: m["message"] for m in json.loads(result.stdout)["next_step_items"]}
    for step in ("next.disable_foreign", "next.scrub_history"):
        assert f"! {steps[step]}" in lines[:-6]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_consumer_files_asked_for_each_get_a_line(home: Path, fake: FakeDashScope, lang: str) -> None:
    """A .env and Qwen Code's settings, written on request, are named on the short screen (they
    were only in -v): the user sees that what they asked for was done."""
    from wizard.stores import Change
    from wizard.ui.render import change_line
    from wizard.ui.render_base import OK

    key = new_key()
    fake.add_key(key, "cn-beijing")
    env = {"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), **lang_env(lang)}
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--dotenv", ".env", "--qwen-code")
    result = run_cli(home, *args, stdin=key, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.rstrip("\n").split("\n")
    assert_ends_on_what_to_do(lines, lang)
    for path, what in ((home / ".env", "dotenv"), (home / ".qwen" / "settings.json", "qwen-settings")):
        assert f"{OK} {change_line(lang, Change(str(path), 'created', what), home)}" in lines[:-6], lines
    assert key not in result.stdout


def first_run(home: Path, fake: FakeDashScope, key: str, lang: str) -> list[str]:
    """A first run in a 100x40 PTY, answering every question with its default: the lines after
    the last answer."""
    env = clean_env(
        home,
        DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(),
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm-256color",
        SHELL="/bin/bash",
        **lang_env(lang),
    )
    child = pexpect.spawn(
        sys.executable, ["-m", "wizard"], env=env, cwd=str(home), encoding="utf-8", timeout=30,
        dimensions=(40, 100),
    )  # fmt: skip
    log = io.StringIO()
    child.logfile_read = log
    key_prompt = re.escape(t(lang, "wiz.key_prompt")) + r".*?\x1b\[\?25h"
    key_sent = False
    menu = r"[(（]↑/↓"
    for _ in range(10):
        # The key prompt may be drawn again while the check runs: the key is typed once.
        found = child.expect([menu if key_sent else key_prompt, menu, pexpect.EOF])
        if found == 2:
            break
        key_sent = key_sent or found == 0
        time.sleep(0.5)  # prompt_toolkit may draw a prompt twice: answer after the drawing
        with contextlib.suppress(pexpect.TIMEOUT):
            child.read_nonblocking(100000, timeout=0.1)
        child.send(key + "\r" if found == 0 else "\r")
    child.close()
    assert child.exitstatus == 0, log.getvalue()[-2000:]
    plain = ANSI.sub("", log.getvalue()).replace("\r", "\n")
    return [line for line in plain.split("\n") if line.strip()]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_wizard_ends_on_the_short_screen(home: Path, fake: FakeDashScope, lang: str) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    lines = first_run(home, fake, key, lang)
    last = max(i for i, line in enumerate(lines) if line.lstrip().startswith("? "))  # the last answer
    assert_ends_on_what_to_do(lines[last + 1 :], lang)
    assert key not in "\n".join(lines)


SHELLS = {
    "bash": ["bash", "--norc", "--noprofile", "-c"],
    "zsh": ["zsh", "-f", "-c"],
    "fish": ["fish", "--no-config", "-c"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_the_command_for_this_terminal_works_as_printed(
    home: Path, fake: FakeDashScope, shell: str, lang: str
) -> None:
    """Setup is started from the shell (so that it is the current shell), and the line it prints
    is pasted into that shell: the key and the region's base URLs are there, no new terminal."""
    import subprocess

    argv = [require(SHELLS[shell][0]), *SHELLS[shell][1:]]
    key = new_key()
    fake.add_key(key, "us-east-1")
    (home / "key.txt").write_text(key + "\n")
    env = clean_env(home, DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(), SHELL=argv[0], **lang_env(lang))
    tool = f"'{sys.executable}' -m wizard setup --yes --key-file '{home / 'key.txt'}' --shell {shell}"

    def run(line: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*argv, line], capture_output=True, text=True, env=env, cwd=str(home),
            stdin=subprocess.DEVNULL, timeout=120,
        )  # fmt: skip

    done = run(f"{tool}; true")  # `; true`: the shell stays the tool's parent, as at a prompt
    assert done.returncode == 0, done.stderr
    lines = done.stdout.rstrip("\n").split("\n")
    assert len(lines) <= END_LINES and lines[-3] == t(lang, "next.this_terminal")
    printed = lines[-2].strip()
    assert "--shell " + shell in printed
    loaded = run(
        printed + '; printf "%s" "$DASHSCOPE_API_KEY" | sha256sum; printf "%s" "$DASHSCOPE_HTTP_BASE_URL"'
    )
    assert loaded.returncode == 0, loaded.stderr
    digest, url = loaded.stdout.split("\n", 1)
    assert digest.split()[0] == hashlib.sha256(key.encode()).hexdigest()
    assert url == fake.native_url("us-east-1")
    # The sample-code command, pasted into the same shell: the code for the region just saved.
    samples = run(lines[-5][lines[-5].index(PROG) :])
    assert samples.returncode == 0, samples.stderr
    assert samples.stdout.count(fake.url("us-east-1")) == 3  # Python, Node.js, curl
