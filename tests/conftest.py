"""Hermetic by default: every test gets its own HOME, no XDG dirs, no SHELL/ZDOTDIR, no proxies."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from wizard.context import Context

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# The one skip CI accepts: a component that has no release for the running Python (see needs_python).
NOT_ON_THIS_PYTHON = "not available on this Python: "

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI every real component is installed by .ci/run, so a skip means something is missing:
    it fails instead of passing silently."""
    outcome = yield
    report = outcome.get_result()
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if IN_CI and report.skipped and not hasattr(report, "wasxfail") and NOT_ON_THIS_PYTHON not in reason:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where it must run: {reason}"


# In CI the property tests run at least 500 examples each.
settings.register_profile("ci", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=150, deadline=None)
settings.load_profile("ci" if IN_CI else "dev")

_STRIP = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "ZDOTDIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "BASH_ENV",
    "ENV",
    "DASHSCOPE_API_KEY",
    "DASHSCOPE_API_KEY_FILE_PATH",
    "DASHSCOPE_HTTP_BASE_URL",
    "DASHSCOPE_COMPATIBLE_BASE_URL",
    "DASHSCOPE_SETUP_REGION_URLS",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
    "PROMPT_COMMAND",
)


def new_key() -> str:
    """A fresh key shaped like a real one (sk- + 32 hex), different in every test."""
    import secrets

    return "sk-" + secrets.token_hex(16)


def require(binary: str) -> str:
    """A real component: skip locally when missing, fail in CI (where .ci/run installs it)."""
    path = shutil.which(binary)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{binary} is required in CI but not installed")
    pytest.skip(f"{binary} not installed")


def needs_python(version: tuple[int, int], what: str) -> None:
    """Skip, also in CI, when `what` has no release for this Python (a test extra with a marker);
    from `version` on, a missing `what` is the caller's failure like any other missing component."""
    if sys.version_info < version:
        pytest.skip(f"{NOT_ON_THIS_PYTHON}{what} needs Python {version[0]}.{version[1]} or newer")


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _STRIP}
    env.update(HOME=str(home), SHELL="", TERM="dumb", PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(ROOT))
    env.pop("SHELL")
    env.update(extra)
    return env


@pytest.fixture(autouse=True)
def hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    for k in _STRIP:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SHELL", raising=False)
    yield home


@pytest.fixture
def home(hermetic: Path) -> Path:
    return hermetic


def make_ctx(
    home: Path,
    *,
    stdin: str = "",
    env: dict[str, str] | None = None,
    shell: str = "bash",
    platform: str = "linux",
) -> Context:
    return Context(
        home=home,
        env=clean_env(home, **(env or {})),
        cwd=home,
        stdin=io.StringIO(stdin),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        platform=platform,
        process_names=[shell],
    )


@pytest.fixture
def ctx(home: Path) -> Context:
    return make_ctx(home)


def run_cli(
    home: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, as a user runs it."""
    full_env = clean_env(home, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=str(home),
        timeout=60,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def setup_cli(
    home: Path, key: str, *args: str, env: dict[str, str] | None = None, offline: bool = True
) -> subprocess.CompletedProcess[str]:
    """`setup --yes [--offline] --key-stdin ARGS` as a script runs it; `key` goes to stdin as given."""
    flags = ("--yes", "--offline", "--key-stdin") if offline else ("--yes", "--key-stdin")
    return run_cli(home, "setup", *flags, *args, stdin=key, env=env)


def snapshot(root: Path) -> dict[str, tuple[str, bytes | str]]:
    """Every file, link and directory under root, with content, for byte-identity checks."""
    result: dict[str, tuple[str, bytes | str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                result[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                result[rel] = ("dir", "")
            else:
                result[rel] = (oct(p.stat().st_mode & 0o777), p.read_bytes())
    return result
