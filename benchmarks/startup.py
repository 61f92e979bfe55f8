"""Start-up figures: our command next to bare Python, and what our block costs a shell at start.

Prints medians over repeated runs; asserts nothing (speed goals live here, not in timed tests).
Run: .venv/bin/python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-" + "0123456789abcdef" * 2


def median_ms(
    argv: list[str], runs: int, env: dict[str, str] | None = None, stdin: str | None = None
) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True, check=False)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def row(label: str, ms: float, base: float | None = None) -> None:
    ratio = f"  {ms / base:5.2f}x" if base else ""
    print(f"  {label:<48} {ms:8.1f} ms{ratio}")


def cli_figures(runs: int) -> None:
    py = sys.executable
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"CLI start-up (median of {runs} runs; ratio to bare python)")
    bare = median_ms([py, "-c", "pass"], runs, env)
    row("python -c pass", bare)
    row('python -c "import questionary"', median_ms([py, "-c", "import questionary"], runs, env), bare)
    console = str(Path(py).with_name("dashscope-setup"))
    row("dashscope-setup --help", median_ms([console, "--help"], runs, env), bare)
    row(
        "dashscope-setup snippet --shell bash",
        median_ms([py, "-m", "wizard", "snippet", "--shell", "bash"], runs, env),
        bare,
    )
    with tempfile.TemporaryDirectory() as home:
        env_home = {**env, "HOME": home}
        argv = [py, "-m", "wizard", "setup", "--yes", "--no-test", "--key-stdin", "--shell", "bash"]
        row("setup --yes --no-test (bash, 2nd run: no change)", median_ms(argv, runs, env_home, KEY), bare)


def _terminal_env(home: str) -> dict[str, str]:
    """This process's environment as an English xterm in a fresh HOME (no cursor-position query)."""
    return {**os.environ, "HOME": home, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "LANG": "en_US.UTF-8"}


def first_prompt_ms(runs: int) -> float:
    """Time from exec to the first question on screen, in a real PTY."""
    import pexpect

    console = str(Path(sys.executable).with_name("dashscope-setup"))
    samples = []
    with tempfile.TemporaryDirectory() as home:
        env = _terminal_env(home)
        for _ in range(runs):
            start = time.perf_counter()
            child = pexpect.spawn(console, [], env=env, encoding="utf-8", timeout=30)
            child.expect("API key")  # the locale names the language: the key is the first question
            samples.append((time.perf_counter() - start) * 1000)
            child.sendcontrol("c")
            child.expect(pexpect.EOF)
            child.close()
    return statistics.median(samples)


def quit_ms(runs: int, keypress: str) -> tuple[float, float]:
    """After a keypress at the first prompt (drawn, cursor shown): the time until "Interrupted"
    is on screen (the prompt has closed), and until the process has ended (Python's own exit)."""
    import pexpect

    console = str(Path(sys.executable).with_name("dashscope-setup"))
    shown, ended = [], []
    with tempfile.TemporaryDirectory() as home:
        env = _terminal_env(home)
        for _ in range(runs):
            child = pexpect.spawn(console, [], env=env, encoding="utf-8", timeout=30)
            child.expect(r"API key.*?\x1b\[\?25h")
            time.sleep(0.2)
            start = time.perf_counter()
            child.send(keypress)
            child.expect("Interrupted")
            shown.append((time.perf_counter() - start) * 1000)
            child.expect(pexpect.EOF)
            ended.append((time.perf_counter() - start) * 1000)
            child.close()
    return statistics.median(shown), statistics.median(ended)


def wizard_figures(runs: int) -> None:
    py = sys.executable
    console = str(Path(py).with_name("dashscope-setup"))
    print(f"\nWizard start-up (median of {runs} runs)")
    bare = median_ms([py, "-c", "pass"], runs)
    q = median_ms([py, "-c", "import questionary"], runs)
    helptime = median_ms([console, "--help"], runs)
    first = first_prompt_ms(runs)
    row("python -c pass", bare)
    row("dashscope-setup --help (target <= 1.5x bare)", helptime, bare)
    row('python -c "import questionary"', q)
    row("first prompt on screen (target <= 1.3x questionary)", first, q)
    for name, keypress in (("Esc", "\x1b"), ("Ctrl-C", "\x03")):
        shown, ended = quit_ms(runs, keypress)
        target = " (target <= 300 ms)" if name == "Esc" else ""
        row(f"{name} to exit: prompt closed{target}", shown)
        row(f"{name} to exit: process ended", ended)
    answers, end_lines = first_run_figures()
    print(
        f"  first run against the fake DashScope: {answers} answers (target <= 3), "
        f"end screen {end_lines} lines (target <= 15)"
    )
    print(f"  second run (Keep it, the default): {second_run_answers()} answers (target <= 2)")


def _wizard_env(home: str, region_urls: str) -> dict[str, str]:
    """A user's terminal for a wizard run: a fresh HOME, bash, English, the fake service."""
    return {
        "HOME": home,
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm",
        "LANG": "en_US.UTF-8",
        "SHELL": "/bin/bash",
        "DASHSCOPE_SETUP_REGION_URLS": region_urls,
    }


def first_run_figures() -> tuple[int, int]:
    """A first run as a new user makes it, in a 100x40 PTY: how many questions were answered, and
    how many lines the end screen (after the last answer) has."""
    import contextlib
    import io
    import re

    import pexpect

    sys.path.insert(0, str(ROOT))
    from tests.fakes.dashscope import FakeDashScope

    answered = 0
    with tempfile.TemporaryDirectory() as home, FakeDashScope() as fake:
        key = "sk-" + "5a" * 16
        fake.add_key(key, "ap-southeast-1")
        env = _wizard_env(home, fake.urls_env())
        child = pexpect.spawn(
            sys.executable, ["-m", "wizard"], env=env, encoding="utf-8", timeout=60, dimensions=(40, 100)
        )
        log = io.StringIO()
        child.logfile_read = log
        key_sent = False
        while True:
            # Each prompt may be drawn twice (prompt_toolkit redraws): answer once, after the drawing.
            # The key prompt is drawn again while the check runs: typing the key again there would
            # count an answer nobody gives and echo the key into the log.
            menu = r"\(↑/↓"
            found = child.expect([menu if key_sent else r"API key \(.*?\):.*?\x1b\[\?25h", menu, pexpect.EOF])
            if found == 2:
                break
            key_sent = key_sent or found == 0
            time.sleep(0.5)
            with contextlib.suppress(pexpect.TIMEOUT):
                child.read_nonblocking(100000, timeout=0.1)
            answered += 1
            child.send(key + "\r" if found == 0 else "\r")
        child.close()
        plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", log.getvalue()).replace("\r", "\n")
        lines = [line for line in plain.split("\n") if line.strip()]
        # The last answer, redrawn (after a cursor move, so maybe indented): the end screen follows.
        last = max(i for i, line in enumerate(lines) if line.lstrip().startswith("? "))
        end = lines[last + 1 :]
        assert child.exitstatus == 0 and key not in plain, "\n".join(end)
    return answered, len(end)


def second_run_answers() -> int:
    """A second run after a scripted setup, every default taken (Keep it: check, write nothing):
    how many questions it asked before it ended."""
    import contextlib
    import subprocess

    import pexpect

    sys.path.insert(0, str(ROOT))
    from tests.fakes.dashscope import FakeDashScope

    answered = 0
    with tempfile.TemporaryDirectory() as home, FakeDashScope() as fake:
        key = "sk-" + "6b" * 16
        fake.add_key(key, "ap-southeast-1")
        env = _wizard_env(home, fake.urls_env())
        first = [sys.executable, "-m", "wizard", "setup", "--yes", "--key-stdin", "--shell", "bash"]
        subprocess.run(first, input=key, env=env, text=True, capture_output=True, check=True, timeout=120)
        child = pexpect.spawn(
            sys.executable, ["-m", "wizard"], env=env, encoding="utf-8", timeout=60, dimensions=(40, 100)
        )
        while (found := child.expect([r"\(↑/↓", r"API key \(", pexpect.EOF])) != 2:
            if found == 1:  # asked for the key again: not a second run at all
                child.terminate(force=True)
                raise SystemExit("the second run asked for the key")
            time.sleep(0.5)
            with contextlib.suppress(pexpect.TIMEOUT):
                child.read_nonblocking(100000, timeout=0.1)
            answered += 1
            child.send("\r")
    return answered


SHELLS = [
    ("bash", ["bash", "-ic", "exit"]),
    ("zsh", ["zsh", "-ic", "exit"]),
    ("fish", ["fish", "-c", "exit"]),
    ("sh", ["dash", "-lc", "exit"]),
]


def _configure(name: str, store: str, env: dict[str, str]) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "wizard",
            "setup",
            "--yes",
            "--no-test",
            "--key-stdin",
            "--shell",
            name,
            "--store",
            store,
            "--region",
            "ap-southeast-1",
        ],
        input=KEY,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=True,
    )


def _keyring_ms(name: str, argv: list[str], runs: int) -> float | None:
    """The keyring block needs a real Secret Service: run the measurement inside its own D-Bus session."""
    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        return None
    inner = (
        'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null; '
        f'"{sys.executable}" "{__file__}" --inner-keyring {name} --runs {runs}'
    )
    with tempfile.TemporaryDirectory() as home:
        env = {"HOME": home, "PATH": os.environ.get("PATH", ""), "TERM": "dumb"}
        out = subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", inner], env=env, capture_output=True, text=True
        )
    try:
        return float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def inner_keyring(name: str, runs: int) -> None:
    env = dict(os.environ)
    _configure(name, "keyring", env)
    argv = dict(SHELLS)[name]
    print(median_ms(argv, runs, env))


def shell_block_cost(runs: int) -> None:
    print(f"\nShell start-up with our block (median of {runs} runs; ratio to no block)")
    for name, argv in SHELLS:
        if not shutil.which(argv[0]):
            print(f"  {name}: not installed")
            continue
        results: dict[str, float | None] = {}
        for store in ("none", "file", "inline"):
            with tempfile.TemporaryDirectory() as home:
                env = {"HOME": home, "PATH": os.environ.get("PATH", ""), "TERM": "dumb"}
                if store != "none":
                    _configure(name, store, env)
                results[store] = median_ms(argv, runs, env)
        results["keyring"] = _keyring_ms(name, argv, runs)
        base = results["none"]
        for store, ms in results.items():
            if ms is None:
                print(f"  {' '.join(argv)}  [{store}]  (needs dbus-run-session and gnome-keyring)")
            else:
                row(f"{' '.join(argv)}  [{store}]", ms, base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--inner-keyring", metavar="SHELL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner_keyring:
        inner_keyring(args.inner_keyring, args.runs)
        return
    cli_figures(args.runs)
    wizard_figures(args.runs)
    shell_block_cost(args.runs)


if __name__ == "__main__":
    main()
