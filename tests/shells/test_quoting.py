"""The lines we write must hand every value to every shell unchanged.

Proven against the REAL shells (bash, zsh, dash, fish), real CMD semantics through wine, and
PowerShell's grammar (tree-sitter-powershell) plus PowerShell's own single-quote rule. Values are
written into script FILES (never argv); the shell prints the variable and we compare bytes.

Batched runs (many values, one shell process) write each value to its own output file, so no
separator can collide with a value.

Line breaks: all shells here hold a newline inside single quotes, and the `quote` functions are
tested with every character but NUL (a C string cannot hold it). The template layer once split
values on every character `str.splitlines` treats as a line break and dropped blank lines; the
tests named `..._line_break_characters` keep it from coming back.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import IN_CI, clean_env, needs_python, require
from wizard import block
from wizard.errors import ExitCode, SetupError
from wizard.shells import KEY_VAR, SHELLS, Cmd, Shell

# --- values -------------------------------------------------------------------------------------

REALISTIC_HEX_KEY = "sk-" + "0123456789abcdef" * 2
REALISTIC_WS_KEY = "sk-ws-" + "Ab3_dE-f.9" * 9 + "xYz"

HOSTILE: dict[str, str] = {
    "single_quote": "a'b",
    "only_single_quote": "'",
    "three_single_quotes": "'''",
    "double_quote": 'a"b',
    "backslash": "a\\b",
    "trailing_backslash": "abc\\",
    "backslash_then_quote": "\\'",
    "quote_then_backslash": "'\\",
    "two_backslashes_quote": "a\\\\'b",
    "backslash_escapes_text": "\\n\\t\\x41\\u0041\\",
    "dollar_variable": "$HOME$1$$",
    "dollar_brace": "${HOME}x${DASHSCOPE_API_KEY}",
    "command_substitution": "$(id)",
    "backticks": "`id`",
    "fish_command_substitution": "(id)",
    "percent": "%PATH%%",
    "bang": "a!b",
    "bang_bang": "!!",
    "bang_history_forms": "!$ !-1 !echo",
    "caret": "^a^b",
    "spaces": "  lead and trail  ",
    "tab": "a\tb",
    "newline": "a\nb",
    "trailing_newline": "abc\n",
    "globs": "*?[a-z]",
    "tilde": "~root",
    "hash": "#not-a-comment",
    "semicolon_ampersand_pipe": "a;b&c|d&&e||f",
    "redirections": "<in >out 2>&1",
    "braces": "{a,b}{}",
    "parentheses": "(x)",
    "template_placeholders": "{{value}}{{name}}{{key_file}}",
    "chinese": "中文密钥",
    "emoji": "🔑😀",
    "curly_quotes": "\u2018\u2019\u201a\u201b",
    "curly_and_straight_quotes": "\u2018'\u2019''\u201b",
    "empty": "",
    "realistic_sk_hex": REALISTIC_HEX_KEY,
    "realistic_sk_ws": REALISTIC_WS_KEY,
    "everything": "sk-'\"\\$(id)`id`%!!^ \t*?~#;&|<>{}中文🔑\u2018\u2019\u201a\u201b\\",
}

# Every character `str.splitlines` breaks on, besides "\n". snippets.render joins with "\n".
SPLITLINES_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# Values that an older snippets.render changed: each is a fine value for the shells.
RENDER_BREAKERS: dict[str, str] = {
    "carriage_return": "a\rb",
    "crlf": "a\r\nb",
    "vertical_tab": "a\x0bb",
    "form_feed": "a\x0cb",
    "next_line_u0085": "a\x85b",
    "line_separator_u2028": "a\u2028b",
    "paragraph_separator_u2029": "a\u2029b",
    "blank_line": "a\n\nb",
    "whitespace_only_line": "a\n \t\nb",
}

# A key file in a directory whose name tries everything a path can hold.
HOSTILE_DIR_NAME = (
    "dir with spaces 'sq' \"dq\" $HOME $(id) `id` \\ 中文 😀 \u2018curly\u2019 !! #x ;&|<>*?~{}%^"
)

EXTRA = {
    "DASHSCOPE_HTTP_BASE_URL": "https://dashscope-intl.aliyuncs.com/api/v1",
    "DASHSCOPE_COMPATIBLE_BASE_URL": "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
}

# --- real shells --------------------------------------------------------------------------------

# (binary, SHELLS key): dash is the "sh" class.
REAL_SHELLS = [("bash", "bash"), ("zsh", "zsh"), ("dash", "sh"), ("fish", "fish")]
SHELL_IDS = [b for b, _ in REAL_SHELLS]

SYNTAX_CHECK = {
    "bash": ["bash", "-n"],
    "zsh": ["zsh", "-n"],
    "dash": ["dash", "-n"],
    "fish": ["fish", "--no-execute"],
}

PRINT_KEY = 'printf %s "$DASHSCOPE_API_KEY"'


def _env(home: Path, locale: str = "C.UTF-8") -> dict[str, str]:
    return clean_env(home, LC_ALL=locale)


def _run_file(
    binary: str, script: Path, home: Path, *, locale: str = "C.UTF-8", args: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[bytes]:
    exe = require(binary)
    return subprocess.run(
        [exe, *args, str(script)],
        capture_output=True,
        env=_env(home, locale),
        cwd=str(script.parent),
        timeout=60,
        check=False,
    )


def _roundtrip_many(
    binary: str,
    values: list[str],
    line_for: Callable[[str], str],
    workdir: Path,
    home: Path,
    *,
    locale: str = "C.UTF-8",
) -> dict[int, tuple[str, bytes | None]]:
    """Run one script that sets and prints every value; return the mismatches by index."""
    out = workdir / "out"
    out.mkdir()
    lines: list[str] = []
    for i, value in enumerate(values):
        lines.append(line_for(value))
        lines.append(f"{PRINT_KEY} > out/{i}")
    script = workdir / "script"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _run_file(binary, script, home, locale=locale)
    bad: dict[int, tuple[str, bytes | None]] = {}
    for i, value in enumerate(values):
        f = out / str(i)
        got = f.read_bytes() if f.exists() else None
        if got != value.encode("utf-8"):
            bad[i] = (value, got)
    return bad


def _quote_only_line(shell_key: str) -> Callable[[str], str]:
    """The session line built from `quote` alone, bypassing the templates."""
    shell = SHELLS[shell_key]
    if shell_key == "fish":
        return lambda v: f"set -gx {KEY_VAR} {shell.quote(v)}"
    return lambda v: f"export {KEY_VAR}={shell.quote(v)}"


@pytest.mark.real
@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_session_line_roundtrips_hostile_value_in_real_shell(
    binary: str, shell_key: str, value: str, tmp_path: Path, home: Path
) -> None:
    script = tmp_path / "session"
    script.write_text(SHELLS[shell_key].assign(KEY_VAR, value) + "\n" + PRINT_KEY + "\n", encoding="utf-8")
    result = _run_file(binary, script, home)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stdout == value.encode("utf-8")


@pytest.mark.real
@pytest.mark.parametrize("value", list(RENDER_BREAKERS.values()), ids=list(RENDER_BREAKERS))
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_quote_alone_roundtrips_line_breaks_in_real_shell(
    binary: str, shell_key: str, value: str, tmp_path: Path, home: Path
) -> None:
    """The quoting rule itself holds every line-break character (only the templates break them)."""
    script = tmp_path / "session"
    script.write_text(_quote_only_line(shell_key)(value) + "\n" + PRINT_KEY + "\n", encoding="utf-8")
    result = _run_file(binary, script, home)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stdout == value.encode("utf-8")


@pytest.mark.parametrize("value", list(RENDER_BREAKERS.values()), ids=list(RENDER_BREAKERS))
@pytest.mark.parametrize("shell_key", [k for k in SHELLS if k != "cmd"])  # cmd refuses them first
def test_assign_keeps_line_break_characters(shell_key: str, value: str) -> None:
    shell = SHELLS[shell_key]
    assert shell.assign(KEY_VAR, value) == _template_free_assign(shell_key, value)


def _template_free_assign(shell_key: str, value: str) -> str:
    quoted = SHELLS[shell_key].quote(value)
    if shell_key == "fish":
        return f"set -gx {KEY_VAR} {quoted}"
    if shell_key == "powershell":
        return f"$env:{KEY_VAR} = {quoted}"
    return f"export {KEY_VAR}={quoted}"


# --- property tests: many values per shell process -----------------------------------------------

# Each hypothesis example is a LIST of values run in one process, so a few dozen examples cover
# hundreds of values per shell. Scaled from the active profile (dev 150 -> 30, CI 500 -> 100).
_BATCHES = max(10, settings().max_examples // 5)

# codec="utf-8" leaves out surrogates, which no file or shell can hold.
_ANY_CHAR = st.characters(codec="utf-8", exclude_characters="\x00")
_ONE_LINE_CHAR = st.characters(codec="utf-8", exclude_characters="\x00\n" + SPLITLINES_BREAKS)
_any_values = st.lists(st.text(alphabet=_ANY_CHAR, max_size=30), min_size=1, max_size=50)
_one_line_values = st.lists(st.text(alphabet=_ONE_LINE_CHAR, max_size=30), min_size=1, max_size=50)
_batch_settings = settings(
    max_examples=_BATCHES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.real
@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
@_batch_settings
@given(values=_any_values)
def test_quote_roundtrips_any_text_property(
    binary: str, shell_key: str, locale: str, values: list[str], home: Path
) -> None:
    """Any text but NUL, newlines and every other line break included, in both locales."""
    with tempfile.TemporaryDirectory() as d:
        bad = _roundtrip_many(binary, values, _quote_only_line(shell_key), Path(d), home, locale=locale)
    assert bad == {}


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
@_batch_settings
@given(values=_one_line_values)
def test_assign_roundtrips_single_line_text_property(
    binary: str, shell_key: str, values: list[str], home: Path
) -> None:
    """`assign` (quote + template) for any one-line text; line breaks have their own test above."""
    shell = SHELLS[shell_key]
    with tempfile.TemporaryDirectory() as d:
        bad = _roundtrip_many(binary, values, lambda v: shell.assign(KEY_VAR, v), Path(d), home)
    assert bad == {}


# --- typed at an interactive prompt (history expansion is live) ---------------------------------

# --noediting: with readline on, a TAB in the pasted text triggers completion and is lost (not a
# quoting matter; terminals with bracketed paste avoid it). History expansion stays on: see canary.
INTERACTIVE = {"bash": ["bash", "--norc", "--noprofile", "--noediting", "-i"], "zsh": ["zsh", "-f", "-i"]}


@pytest.mark.real
@pytest.mark.parametrize("binary", list(INTERACTIVE))
def test_session_lines_survive_interactive_history_expansion(binary: str, tmp_path: Path, home: Path) -> None:
    """A user pastes the session line at a prompt: `!` must not trigger history expansion.

    The lines go to an interactive shell on stdin; a canary proves expansion is really on.
    """
    exe = require(binary)
    shell = SHELLS[binary]
    values = list(HOSTILE.values())
    (tmp_path / "out").mkdir()
    lines = ["true first-command"]
    for i, value in enumerate(values):
        lines.append(shell.assign(KEY_VAR, value))
        lines.append(f"{PRINT_KEY} > out/{i}")
    lines.append('printf %s "canary!!" > out/canary')
    lines.append("exit 0")
    result = subprocess.run(
        [exe, *INTERACTIVE[binary][1:]],
        input=("\n".join(lines) + "\n").encode("utf-8"),
        capture_output=True,
        env=_env(home),
        cwd=str(tmp_path),
        timeout=60,
        check=False,
    )
    canary = (tmp_path / "out" / "canary").read_bytes()
    assert canary != b"canary!!", "history expansion was not active: this test would prove nothing"
    got = {
        name: (tmp_path / "out" / str(i)).read_bytes() if (tmp_path / "out" / str(i)).exists() else None
        for i, name in enumerate(HOSTILE)
    }
    bad = {name: (HOSTILE[name], got[name]) for name in HOSTILE if got[name] != HOSTILE[name].encode()}
    assert bad == {}, result.stderr.decode(errors="replace")[-2000:]


# --- file store: key file at a hostile path ------------------------------------------------------


@pytest.fixture
def hostile_key_file(tmp_path: Path) -> Path:
    """A key file as KeyFileStore writes it (`key\\n`), in a directory with a hostile name."""
    d = tmp_path / HOSTILE_DIR_NAME / "中文 dir"
    d.mkdir(parents=True)
    f = d / "api key 'x'"
    f.write_bytes((REALISTIC_WS_KEY + "\n").encode("ascii"))
    return f


def _script_printing(body: str, tmp_path: Path, *names: str) -> Path:
    (tmp_path / "out").mkdir(exist_ok=True)
    prints = [f'printf %s "${name}" > out/{name}' for name in names]
    script = tmp_path / "script"
    script.write_text(body + "\n" + "\n".join(prints) + "\n", encoding="utf-8")
    return script


def _out(tmp_path: Path, name: str) -> bytes | None:
    f = tmp_path / "out" / name
    return f.read_bytes() if f.exists() else None


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_load_line_reads_key_file_at_hostile_path(
    binary: str, shell_key: str, hostile_key_file: Path, tmp_path: Path, home: Path
) -> None:
    script = _script_printing(SHELLS[shell_key].load_line(hostile_key_file), tmp_path, KEY_VAR)
    result = _run_file(binary, script, home)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert _out(tmp_path, KEY_VAR) == REALISTIC_WS_KEY.encode()


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_load_line_exports_key_to_child_processes(
    binary: str, shell_key: str, hostile_key_file: Path, tmp_path: Path, home: Path
) -> None:
    body = SHELLS[shell_key].load_line(hostile_key_file) + "\n" + f"sh -c '{PRINT_KEY}' > out/child"
    script = _script_printing(body, tmp_path)
    _run_file(binary, script, home)
    assert _out(tmp_path, "child") == REALISTIC_WS_KEY.encode()


@pytest.mark.real
@pytest.mark.parametrize(
    ("binary", "shell_key"),
    REAL_SHELLS,
    ids=SHELL_IDS,
)
def test_load_line_exports_key_from_file_without_final_newline(
    binary: str, shell_key: str, tmp_path: Path, home: Path
) -> None:
    """A key file edited by hand often has no final newline; KeyFileStore.plan calls it unchanged."""
    key_file = tmp_path / "api_key"
    key_file.write_bytes(REALISTIC_HEX_KEY.encode("ascii"))
    body = SHELLS[shell_key].load_line(key_file) + "\n" + f"sh -c '{PRINT_KEY}' > out/child"
    script = _script_printing(body, tmp_path)
    _run_file(binary, script, home)
    assert _out(tmp_path, "child") == REALISTIC_HEX_KEY.encode()


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_file_block_loads_key_from_hostile_path_and_sets_extras(
    binary: str, shell_key: str, hostile_key_file: Path, tmp_path: Path, home: Path
) -> None:
    body = SHELLS[shell_key].file_block(hostile_key_file, EXTRA)
    script = _script_printing(body, tmp_path, KEY_VAR, *EXTRA)
    result = _run_file(binary, script, home)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    got = {name: _out(tmp_path, name) for name in (KEY_VAR, *EXTRA)}
    assert got == {KEY_VAR: REALISTIC_WS_KEY.encode(), **{k: v.encode() for k, v in EXTRA.items()}}


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_file_block_exports_key_to_child_processes(
    binary: str, shell_key: str, hostile_key_file: Path, tmp_path: Path, home: Path
) -> None:
    body = SHELLS[shell_key].file_block(hostile_key_file, {})
    script = _script_printing(body + "\n" + f"sh -c '{PRINT_KEY}' > out/child", tmp_path)
    _run_file(binary, script, home)
    assert _out(tmp_path, "child") == REALISTIC_WS_KEY.encode()


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_file_block_with_missing_key_file_is_silent(
    binary: str, shell_key: str, tmp_path: Path, home: Path
) -> None:
    """A deleted key file must not make every new shell print an error."""
    missing = tmp_path / HOSTILE_DIR_NAME / "api_key"
    body = SHELLS[shell_key].file_block(missing, {})
    script = _script_printing(body, tmp_path, KEY_VAR)
    result = _run_file(binary, script, home)
    assert (result.returncode, result.stderr, _out(tmp_path, KEY_VAR)) == (0, b"", b"")


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_source_line_loads_startup_file_at_hostile_path(
    binary: str, shell_key: str, tmp_path: Path, home: Path
) -> None:
    rc_dir = tmp_path / HOSTILE_DIR_NAME
    rc_dir.mkdir()
    rc = rc_dir / "rc 'file'"
    rc.write_text(SHELLS[shell_key].assign(KEY_VAR, HOSTILE["everything"]) + "\n", encoding="utf-8")
    line = SHELLS[shell_key].source_line(rc)
    assert line is not None
    script = _script_printing(line, tmp_path, KEY_VAR)
    result = _run_file(binary, script, home)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert _out(tmp_path, KEY_VAR) == HOSTILE["everything"].encode()


@pytest.mark.real
@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_inline_block_roundtrips_hostile_key_and_extras(
    binary: str, shell_key: str, value: str, tmp_path: Path, home: Path
) -> None:
    body = SHELLS[shell_key].inline_block(value, EXTRA)
    script = _script_printing(body, tmp_path, KEY_VAR, *EXTRA)
    result = _run_file(binary, script, home)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    got = {name: _out(tmp_path, name) for name in (KEY_VAR, *EXTRA)}
    assert got == {KEY_VAR: value.encode(), **{k: v.encode() for k, v in EXTRA.items()}}


# The startup file each shell really reads, and how to start that shell so it reads it.
STARTUP = {
    "bash": (".bashrc", ["bash", "-ic"]),
    "zsh": (".zshrc", ["zsh", "-ic"]),
    "dash": (".profile", ["dash", "-lc"]),
    "fish": (".config/fish/conf.d/dashscope.fish", ["fish", "-c"]),
}
STARTUP_KEYS = {k: HOSTILE[k] for k in ("everything", "bang_bang", "curly_and_straight_quotes", "newline")}


@pytest.mark.real
@pytest.mark.parametrize("value", list(STARTUP_KEYS.values()), ids=list(STARTUP_KEYS))
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_inline_block_in_startup_file_is_read_by_real_shell(
    binary: str, shell_key: str, value: str, tmp_path: Path, home: Path
) -> None:
    """The marked block in the file a real (interactive/login) shell reads at start."""
    exe = require(binary)
    rc_name, argv = STARTUP[binary]
    rc = home / rc_name
    rc.parent.mkdir(parents=True, exist_ok=True)
    skel = Path("/etc/skel/.bashrc")
    before = skel.read_text() if binary == "bash" and skel.exists() else ""
    body = SHELLS[shell_key].inline_block(value, EXTRA)
    rc.write_text(before + block.make_block(body, "\n"), encoding="utf-8")
    result = subprocess.run(
        [exe, *argv[1:], f"{PRINT_KEY} > {tmp_path}/key"],
        capture_output=True,
        env=_env(home),
        cwd=str(home),
        timeout=60,
        check=False,
    )
    assert (tmp_path / "key").read_bytes() == value.encode(), result.stderr.decode(errors="replace")


# --- syntax checks ---------------------------------------------------------------------------------


@pytest.mark.real
@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_inline_block_with_hostile_key_passes_syntax_check(
    binary: str, shell_key: str, value: str, tmp_path: Path
) -> None:
    require(binary)
    body = SHELLS[shell_key].inline_block(value, EXTRA)
    f = tmp_path / "block"
    f.write_text(block.make_block(body, "\n"), encoding="utf-8")
    result = subprocess.run(
        [*SYNTAX_CHECK[binary], str(f)], capture_output=True, timeout=60, check=False, env=_env(tmp_path)
    )
    assert (result.returncode, result.stderr) == (0, b"")


@pytest.mark.real
@pytest.mark.parametrize(("binary", "shell_key"), REAL_SHELLS, ids=SHELL_IDS)
def test_file_block_with_hostile_path_passes_syntax_check(
    binary: str, shell_key: str, hostile_key_file: Path, tmp_path: Path
) -> None:
    require(binary)
    body = SHELLS[shell_key].file_block(hostile_key_file, EXTRA)
    f = tmp_path / "block"
    f.write_text(block.make_block(body, "\n"), encoding="utf-8")
    result = subprocess.run(
        [*SYNTAX_CHECK[binary], str(f)], capture_output=True, timeout=60, check=False, env=_env(tmp_path)
    )
    assert (result.returncode, result.stderr) == (0, b"")


# --- CMD through wine --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wine:
    exe: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    """One throwaway WINEPREFIX per session; building it takes ~4-20 s the first time.

    Speed: the first wine call starts background services (winedevice.exe, ...) that inherit its
    stdout. Given a pipe, every later call would wait ~2.5 s for them to let go of it. So the
    server is made persistent and started with output to /dev/null, and each batch writes its
    stdout to a file, never a pipe.
    """
    exe = require("wine")
    server = require("wineserver")
    base = tmp_path_factory.mktemp("wine")
    wine_home = base / "home"
    wine_home.mkdir()
    prefix = base / "prefix"
    prefix.mkdir()  # wineserver refuses to start for a prefix directory that does not exist
    env = clean_env(wine_home, WINEPREFIX=str(prefix), WINEDEBUG="-all")
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([server, "-p"], env=env, timeout=60, check=True, **quiet)  # detaches by itself
    try:
        built = subprocess.run(
            [exe, "cmd", "/c", "exit"], env=env, cwd=str(base), timeout=300, check=False, **quiet
        )
        assert built.returncode == 0, "wine could not build its prefix"
        yield Wine(exe, env)
    finally:
        # Stop this prefix's wineserver (we started it) and the services it runs.
        subprocess.run([server, "-k"], env=env, timeout=60, check=False, **quiet)


def _run_batch(wine: Wine, lines: list[str], workdir: Path) -> list[str]:
    """Run a .cmd FILE; return its stdout lines (CRLF stripped)."""
    batch = workdir / "test.cmd"
    batch.write_bytes(("@echo off\r\n" + "\r\n".join(lines) + "\r\n").encode("ascii"))
    stdout = workdir / "stdout"
    with stdout.open("wb") as out:
        subprocess.run(
            [wine.exe, "cmd", "/c", batch.name],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=wine.env,
            cwd=str(workdir),
            timeout=60,
            check=False,
        )
    return stdout.read_bytes().decode("ascii", errors="replace").split("\r\n")


def _cmd_values_seen(output: list[str]) -> list[str]:
    """`set DASHSCOPE_API_KEY` prints `DASHSCOPE_API_KEY=value` (and other names with that prefix)."""
    prefix = KEY_VAR + "="
    return [line[len(prefix) :] for line in output if line.startswith(prefix)]


def _windows_path(path: Path) -> str:
    """wine maps drive Z: to /."""
    return "Z:" + str(path).replace("/", "\\")


CMD = SHELLS["cmd"]
_CMD_SAFE_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in '%!^"')
CMD_SAFE = {
    "realistic_sk_hex": REALISTIC_HEX_KEY,
    "realistic_sk_ws": REALISTIC_WS_KEY,
    "spaces_inside_and_trailing": " a b  ",
    "cmd_operators": "a&b|c<d>e(f)g&&h||i",
    "separators_and_equals": "a;b,c=d==",
    "posix_specials": "'$(id)`id`$HOME\\",
    "globs_tilde_hash": "*?~#{}[]@",
    "every_safe_printable_ascii": _CMD_SAFE_PRINTABLE,
}
CMD_PERCENT = {
    "lone_percent": "%",
    "trailing_percent": "100%",
    "variable_reference": "%PATH%",
    "double_percent": "%%",
    "self_reference": "a%DASHSCOPE_API_KEY%b",
    "argument_reference": "%1%~dp0",
}
CMD_UNSAFE = {
    "bang": "sk-a!b",
    "caret": "sk-a^b",
    "double_quote": 'sk-a"b',
    "chinese": "sk-中文",
    "emoji": "sk-🔑",
    "curly_quote": "sk-\u2019",
    "latin1": "sk-é",
    "tab": "sk-a\tb",
    "newline": "sk-a\nb",
    "carriage_return": "sk-a\rb",
}


@pytest.mark.real
@pytest.mark.parametrize("value", list(CMD_SAFE.values()), ids=list(CMD_SAFE))
def test_cmd_batch_assign_roundtrips_safe_value_through_wine(wine: Wine, value: str, tmp_path: Path) -> None:
    out = _run_batch(wine, [CMD.assign_batch(KEY_VAR, value), f"set {KEY_VAR}"], tmp_path)
    assert _cmd_values_seen(out) == [value]


@pytest.mark.real
@pytest.mark.parametrize("value", list(CMD_SAFE.values()), ids=list(CMD_SAFE))
def test_cmd_session_line_roundtrips_safe_value_through_wine(wine: Wine, value: str, tmp_path: Path) -> None:
    out = _run_batch(wine, [CMD.assign(KEY_VAR, value), f"set {KEY_VAR}"], tmp_path)
    assert _cmd_values_seen(out) == [value]


@pytest.mark.real
@pytest.mark.parametrize("value", list(CMD_PERCENT.values()), ids=list(CMD_PERCENT))
def test_cmd_batch_assign_with_percent_roundtrips_through_wine(
    wine: Wine, value: str, tmp_path: Path
) -> None:
    out = _run_batch(wine, [CMD.assign_batch(KEY_VAR, value), f"set {KEY_VAR}"], tmp_path)
    assert _cmd_values_seen(out) == [value]


@pytest.mark.parametrize("value", list(CMD_PERCENT.values()), ids=list(CMD_PERCENT))
def test_cmd_batch_assign_doubles_every_percent(value: str) -> None:
    assert CMD.assign_batch(KEY_VAR, value) == f'set "{KEY_VAR}={value.replace("%", "%%")}"'


@pytest.mark.real
@pytest.mark.parametrize("line_ending", ["\n", "\r\n"], ids=["lf_as_keyfilestore_writes", "crlf"])
def test_cmd_load_line_reads_key_file_through_wine(wine: Wine, line_ending: str, tmp_path: Path) -> None:
    d = tmp_path / "dir with spaces (x) & y;z=1"
    d.mkdir()
    key_file = d / "api_key"
    key_file.write_bytes((REALISTIC_WS_KEY + line_ending).encode("ascii"))
    load = CMD.load_line(Path(_windows_path(key_file)))
    assert load == f'set /p {KEY_VAR}=<"{_windows_path(key_file)}"'
    out = _run_batch(wine, [load, f"set {KEY_VAR}"], tmp_path)
    assert _cmd_values_seen(out) == [REALISTIC_WS_KEY]


def _assert_refused_without_leak(call: Callable[[], object], value: str) -> None:
    with pytest.raises(SetupError) as info:
        call()
    err = info.value
    assert (err.code, err.msg_id) == (ExitCode.USAGE, "err.cmd_unsafe")
    assert value not in _exception_text(err)


@pytest.mark.parametrize("value", list(CMD_UNSAFE.values()), ids=list(CMD_UNSAFE))
def test_cmd_quote_refuses_unsafe_value_without_leaking_it(value: str) -> None:
    _assert_refused_without_leak(lambda: CMD.quote(value), value)


@pytest.mark.parametrize("value", list(CMD_UNSAFE.values()), ids=list(CMD_UNSAFE))
def test_cmd_quote_batch_refuses_unsafe_value_without_leaking_it(value: str) -> None:
    _assert_refused_without_leak(lambda: CMD.quote_batch(value), value)


@pytest.mark.parametrize("value", list(CMD_UNSAFE.values()), ids=list(CMD_UNSAFE))
def test_cmd_session_line_refuses_unsafe_value_without_leaking_it(value: str) -> None:
    _assert_refused_without_leak(lambda: CMD.assign(KEY_VAR, value), value)


@pytest.mark.parametrize("value", list(CMD_PERCENT.values()), ids=list(CMD_PERCENT))
def test_cmd_quote_refuses_percent_for_the_interactive_prompt(value: str) -> None:
    """At a prompt `%%` is not an escape, so `%` cannot be made safe there."""
    _assert_refused_without_leak(lambda: CMD.quote(value), value)


def test_cmd_quote_batch_refuses_percent_mixed_with_unsafe_character() -> None:
    value = "sk-%a!b%"
    _assert_refused_without_leak(lambda: CMD.quote_batch(value), value)


def test_cmd_load_line_for_a_chinese_user_folder_is_ascii_relative_to_userprofile() -> None:
    """Printed through a pipe in cp1252 a Chinese path would be lost; %USERPROFILE% is not."""
    path = Path("C:\\Users\\张三\\.dashscope\\api_key")
    assert CMD.load_line(path, "C:\\users\\张三") == f'set /p {KEY_VAR}=<"%USERPROFILE%\\.dashscope\\api_key"'
    # Elsewhere the path itself: `set /p … <` opens it by its Unicode name, typed or pasted.
    assert CMD.load_line(path, "C:\\Users\\李四") == f'set /p {KEY_VAR}=<"{path}"'
    assert CMD.load_line(Path("C:\\k\\api_key"), "C:\\k") == f'set /p {KEY_VAR}=<"C:\\k\\api_key"'


@pytest.mark.parametrize("bad", ["100%", "a!b", "a^b", 'a"b', "a\tb", "a\x85b"])
def test_cmd_load_line_refuses_a_path_cmd_would_change(bad: str) -> None:
    path = Path(f"C:\\Users\\{bad}\\api_key")
    _assert_refused_without_leak(lambda: CMD.load_line(path), str(path))


def test_powershell_path_in_a_chinese_user_folder_is_ascii_relative_to_userprofile(ps_parser) -> None:
    """Windows PowerShell 5.1 reads a profile without BOM in the ANSI code page."""
    path = Path("C:\\Users\\张三\\.dashscope\\api_key")
    body = PS.file_block(path, EXTRA, "C:\\Users\\张三")
    assert body.isascii()
    assert body.count('"$env:USERPROFILE\\.dashscope\\api_key"') == 2
    assert _ps_tree_problems(ps_parser.parse(body.encode()).root_node) == []
    # An ASCII path is written as it is; a path outside the profile too.
    assert PS.path_word(Path("C:\\Users\\bob\\k"), "C:\\Users\\bob") == "'C:\\Users\\bob\\k'"
    assert PS.path_word(path, "C:\\Users\\李四") == f"'{path}'"


@pytest.mark.parametrize("value", list(CMD_SAFE.values()), ids=list(CMD_SAFE))
def test_cmd_session_and_batch_lines_agree_for_safe_values(value: str) -> None:
    assert CMD.assign(KEY_VAR, value) == CMD.assign_batch(KEY_VAR, value) == f'set "{KEY_VAR}={value}"'


@given(st.text(alphabet=_ANY_CHAR, max_size=40))
def test_cmd_quote_either_refuses_or_returns_value_unchanged_property(value: str) -> None:
    """Never mangled: the interactive quote is the value itself or a refusal."""
    try:
        quoted = CMD.quote(value)
    except SetupError as err:
        assert err.msg_id == "err.cmd_unsafe"
        assert any(ch in '%!^"' or not 0x20 <= ord(ch) <= 0x7E for ch in value)
    else:
        assert quoted == value
        assert all(0x20 <= ord(ch) <= 0x7E and ch not in '%!^"' for ch in value)


# --- PowerShell: tree-sitter grammar + PowerShell's single-quote rule ----------------------------

PS = SHELLS["powershell"]
PS_QUOTES = "'\u2018\u2019\u201a\u201b"


@functools.cache
def _ps_parser():
    try:
        import tree_sitter_powershell as tsp
        from tree_sitter import Language, Parser
    except ImportError:
        needs_python((3, 10), "tree-sitter-powershell")
        if IN_CI:
            pytest.fail("tree-sitter and tree-sitter-powershell are required in CI")
        pytest.skip("tree-sitter-powershell not installed")
    return Parser(Language(tsp.language()))


@pytest.fixture(scope="module")
def ps_parser():
    return _ps_parser()


def ps_decode_single_quoted(text: str) -> tuple[str, int]:
    """PowerShell's tokenizer rule (tokenizer.cs ScanStringLiteral): the string opens with any of
    the 5 single-quote characters; inside, a quote character followed by another one yields the
    second; a lone quote character ends the string. Returns (value, index after the end)."""
    assert text[:1] in PS_QUOTES, text
    out: list[str] = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch in PS_QUOTES:
            if i + 1 < len(text) and text[i + 1] in PS_QUOTES:
                out.append(text[i + 1])
                i += 2
                continue
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise AssertionError(f"unterminated single-quoted string: {text!r}")


def _ps_tree_problems(root) -> list[str]:
    problems = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_error or node.is_missing:
            problems.append(f"{node.type} at {node.start_point}: {node.text!r}")
        stack.extend(node.children)
    return problems


def _ps_string_literals(root) -> list[str]:
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "string_literal":
            found.append((node.start_byte, node.text.decode("utf-8")))
            continue
        stack.extend(node.children)
    return [text for _, text in sorted(found)]


def _ps_values(parser, source: str) -> list[str]:
    """Parse, require a clean tree, and decode every single-quoted literal by PowerShell's rule
    (which must consume exactly the literal the grammar found)."""
    tree = parser.parse(source.encode("utf-8"))
    assert _ps_tree_problems(tree.root_node) == [], source
    values = []
    for literal in _ps_string_literals(tree.root_node):
        value, end = ps_decode_single_quoted(literal)
        assert end == len(literal), f"PowerShell would end the string early: {literal!r}"
        values.append(value)
    return values


def test_ps_decoder_sees_curly_quote_as_string_end() -> None:
    """The decoder is what makes the curly-quote tests meaningful: an undoubled ’ ends the string."""
    assert ps_decode_single_quoted("'a\u2019b'") == ("a", 3)
    assert ps_decode_single_quoted("'a\u2019\u2019b'") == ("a\u2019b", 6)
    assert ps_decode_single_quoted("'a\u2018'b'") == ("a'b", 6)


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_powershell_session_line_parses_and_decodes_to_value(ps_parser, value: str) -> None:
    line = PS.assign(KEY_VAR, value)
    assert line.startswith(f"$env:{KEY_VAR} = ")
    assert _ps_values(ps_parser, line) == [value]


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_powershell_inline_block_parses_and_decodes_to_key_and_extras(ps_parser, value: str) -> None:
    body = PS.inline_block(value, EXTRA)
    assert _ps_values(ps_parser, block.make_block(body, "\n")) == [value, *EXTRA.values()]


def test_powershell_file_block_with_hostile_path_parses_and_decodes(ps_parser, tmp_path: Path) -> None:
    key_file = tmp_path / HOSTILE_DIR_NAME / "api key 'x'"
    body = PS.file_block(key_file, EXTRA)
    assert _ps_values(ps_parser, block.make_block(body, "\n")) == [str(key_file)] * 2 + list(EXTRA.values())


def test_powershell_load_line_with_hostile_path_parses_and_decodes(ps_parser, tmp_path: Path) -> None:
    key_file = tmp_path / HOSTILE_DIR_NAME / "api key 'x'"
    assert _ps_values(ps_parser, PS.load_line(key_file)) == [str(key_file)]


@pytest.mark.parametrize(
    "quote_char", list(PS_QUOTES), ids=["U+0027", "U+2018", "U+2019", "U+201A", "U+201B"]
)
def test_powershell_doubles_each_single_quote_character(quote_char: str) -> None:
    """By rule (the grammar does not know curly quotes; real PowerShell does)."""
    value = f"sk-{quote_char}a{quote_char}{quote_char}"
    quoted = PS.quote(value)
    assert quoted == f"'sk-{quote_char * 2}a{quote_char * 4}'"
    assert ps_decode_single_quoted(quoted) == (value, len(quoted))


@given(st.text(alphabet=_ANY_CHAR, max_size=40))
def test_powershell_quote_decodes_back_by_rule_property(value: str) -> None:
    quoted = PS.quote(value)
    assert ps_decode_single_quoted(quoted) == (value, len(quoted))


@given(st.text(alphabet=_ONE_LINE_CHAR, max_size=40))
def test_powershell_session_line_parses_cleanly_property(value: str) -> None:
    parser = _ps_parser()
    assert _ps_values(parser, PS.assign(KEY_VAR, value)) == [value]


# --- no function leaks the value in an exception --------------------------------------------------


def _exception_text(err: BaseException) -> str:
    """Everything a log or traceback could show about the error and its chain."""
    parts: list[str] = []
    seen: set[int] = set()
    cur: BaseException | None = err
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        parts += [str(cur), repr(cur), repr(cur.args), *traceback.format_exception_only(type(cur), cur)]
        parts.append(repr(getattr(cur, "params", None)))
        parts += [repr(n) for n in getattr(cur, "__notes__", [])]
        cur = cur.__cause__ or cur.__context__
    return "\n".join(parts)


LEAK_MARK = "sk-LEAKCHECK-"

_CALLS: dict[str, Callable[[Shell, str], object]] = {
    "quote": lambda s, v: s.quote(v),
    "assign": lambda s, v: s.assign(KEY_VAR, v),
    "assign_all": lambda s, v: s.assign_all({KEY_VAR: v, "DASHSCOPE_HTTP_BASE_URL": v}),
    "load_line": lambda s, v: s.load_line(Path("/keys") / v),
    "source_line": lambda s, v: s.source_line(Path("/rc") / v),
    "block_body_inline": lambda s, v: s.inline_block(v, EXTRA),
    "block_body_file_extra": lambda s, v: s.file_block(Path("/k"), {"DASHSCOPE_HTTP_BASE_URL": v}),
    "quote_batch": lambda s, v: s.quote_batch(v) if isinstance(s, Cmd) else None,
    "assign_batch": lambda s, v: s.assign_batch(KEY_VAR, v) if isinstance(s, Cmd) else None,
}
_LEAK_VALUES = {**{k: LEAK_MARK + v for k, v in HOSTILE.items()}, **CMD_UNSAFE, "percent_only": "sk-%x%"}


@pytest.mark.parametrize("call", list(_CALLS))
@pytest.mark.parametrize("shell_key", list(SHELLS))
def test_no_exception_from_shell_functions_contains_the_value(shell_key: str, call: str) -> None:
    shell = SHELLS[shell_key]
    leaks = []
    for name, value in _LEAK_VALUES.items():
        try:
            _CALLS[call](shell, value)
        except Exception as err:
            if value in _exception_text(err):
                leaks.append((name, type(err).__name__))
    assert leaks == []


def test_setup_error_repr_and_str_never_show_params() -> None:
    """The error type itself: params (which could be mistakenly given a key) stay out of str/repr."""
    err = SetupError(ExitCode.USAGE, "err.cmd_unsafe", secret=LEAK_MARK + "x")
    assert LEAK_MARK not in str(err) + repr(err) + "".join(traceback.format_exception_only(type(err), err))


def test_hostile_values_are_distinct_strings() -> None:
    """Guards the tables above against a copy-paste that would silently shrink coverage."""
    assert len(set(HOSTILE.values())) == len(HOSTILE)
    assert os.sep not in HOSTILE_DIR_NAME
