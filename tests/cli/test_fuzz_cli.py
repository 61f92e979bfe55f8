"""Fuzz the CLI's inputs: the real options with hostile values, the variables the tool reads, key-file
contents. Whatever comes in, the answer is a result or a usage error, never exit 1 (internal error).

Runs in-process with a fresh temporary HOME per example, `--offline` (no network) and only the stores
that stay inside HOME (file, inline), so nothing outside the example's HOME is touched.
"""

from __future__ import annotations

import collections
import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import IN_CI, make_ctx
from wizard.cli.run import run

HOSTILE = [
    "",
    " ",
    "-",
    "--",
    "\x00",
    "\n",
    "\r\n",
    "\x1b[2J",
    "\ufeff",
    "'",
    '"',
    "$(touch /tmp/pwned)",
    "`id`",
    "${HOME}",
    "~",
    "../../etc/passwd",
    "/dev/zero",
    "/dev/null",
    "/",
    "nan",
    "inf",
    "-1",
    "1e308",
    "0",
    "https://[::1",
    "https://exa mple.com",
    "https://a.com:99999",
    "http://example.com",
    "https://user:pw@example.com/v1",
    "https://example.com/compatible-mode/v1",
    "cn-beijing=https://[::1",
    "cn-beijing=https://example.com/v1,",
    "# >>> dashscope-setup >>>",
    "x" * 5000,
    "sk-" + "a" * 32,
    "sk-" + "a" * 32 + "\n# <<< dashscope-setup <<<",
    "中文",
    "\udcff",
]
value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))

COMMANDS = [
    ["setup", "--yes", "--offline"],
    ["setup", "--yes", "--offline", "--dry-run"],
    ["snippet"],
    ["status"],
    ["env"],
    ["remove", "--yes"],
    ["remove", "--yes", "--dry-run"],
]
# (flag, takes a value); values are real choices or hostile text.
OPTIONS: list[tuple[str, st.SearchStrategy[str] | None]] = [
    ("--shell", st.one_of(st.sampled_from(["bash", "zsh", "fish", "sh", "powershell", "cmd", "all"]), value)),
    ("--store", st.sampled_from(["file", "inline"])),
    ("--scope", st.one_of(st.sampled_from(["session", "persistent"]), value)),
    ("--region", st.one_of(st.sampled_from(["auto", "cn-beijing", "ap-southeast-1"]), value)),
    ("--base-url", value),
    ("--model", value),
    ("--key-file", value),
    ("--lang", st.one_of(st.sampled_from(["zh", "en"]), value)),
    ("--key-stdin", None),
    ("--use-env", None),
    ("--json", None),
    ("--scrub-history", None),
    ("--disable-foreign", None),
    ("--save-anyway", None),
]
_COMMON = {"--json", "--lang"}
ALLOWED = {
    "setup": _COMMON | {o[0] for o in OPTIONS},
    "snippet": _COMMON | {"--shell", "--scope", "--store", "--region", "--base-url"},
    "status": _COMMON | {"--scrub-history", "--model"},
    "env": _COMMON,
    "remove": _COMMON,
}
ENV_VARS = [
    "DASHSCOPE_SETUP_TIMEOUT",
    "DASHSCOPE_SETUP_REGION_URLS",
    "DASHSCOPE_API_KEY_FILE_PATH",
    "DASHSCOPE_API_KEY",
    "DASHSCOPE_SETUP_ALLOW_HTTP",
    "ZDOTDIR",
    "XDG_CONFIG_HOME",
    "HISTFILE",
    "LANG",
    "LC_ALL",
    "NO_COLOR",
    "TERM",
]


@st.composite
def invocations(draw: st.DrawFn) -> tuple[list[str], dict[str, str], str, bytes | None]:
    argv = list(draw(st.sampled_from(COMMANDS)))
    # Mostly options the command knows, so most examples get past argparse; sometimes any option.
    known = [o for o in OPTIONS if o[0] in ALLOWED[argv[0]]]
    pool = st.one_of(st.sampled_from(known), st.sampled_from(OPTIONS)) if known else st.sampled_from(OPTIONS)
    for flag, strategy in draw(st.lists(pool, max_size=5)):
        argv.append(flag)
        if strategy is not None:
            argv.append(draw(strategy))
    if argv[0] == "setup" and "--store" not in argv:
        argv += ["--store", draw(st.sampled_from(["file", "inline"]))]  # never the real keyring
    env = draw(st.dictionaries(st.sampled_from(ENV_VARS), value, max_size=4))
    stdin = draw(value)
    key_file = draw(
        st.one_of(
            st.none(),
            st.binary(max_size=64),
            st.sampled_from(HOSTILE).map(lambda s: s.encode("utf-8", "surrogateescape")),
        )
    )
    return argv, env, stdin, key_file


def _clean(text: str) -> str:
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


RUNS: dict[str, int] = {"examples": 0}
CODES: collections.Counter[int] = collections.Counter()


def test_no_input_is_an_internal_error(capsys: pytest.CaptureFixture[str]) -> None:
    RUNS["examples"] = 0
    CODES.clear()
    _fuzz()
    with capsys.disabled():
        print(
            f"\nCLI fuzz: {RUNS['examples']} examples, none exited 1; exit codes {dict(sorted(CODES.items()))}"
        )


@contextlib.contextmanager
def _inside(path: Path) -> Iterator[None]:
    """contextlib.chdir, which Python 3.9 and 3.10 do not have."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@settings(
    max_examples=400 if IN_CI else 80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(invocations())
def _fuzz(case: tuple[list[str], dict[str, str], str, bytes | None]) -> None:
    argv, env, stdin, key_file = case
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        if key_file is not None:
            (home / "key").write_bytes(key_file)
            argv = [*argv, "--key-file", str(home / "key")]
        env = {k: _clean(v) for k, v in env.items() if "\x00" not in v}
        ctx = make_ctx(home, stdin=stdin, env=env)
        with (
            _inside(home),
            contextlib.redirect_stderr(io.StringIO()),
        ):  # argparse writes here  # a relative path in a value lands inside this HOME
            code = run([a for a in argv if "\x00" not in a], ctx)
        RUNS["examples"] += 1
        CODES[code] += 1
        assert code != 1, (argv, sorted(env), ctx.stderr.getvalue()[-400:])
