"""What is inside our markers is ours only while it is what we wrote, and only where the shell
reads the markers as comments.

A line a user adds inside our block would be lost by the next setup or by remove: both refuse, name
the file and the line, and leave every file as it was. Our marker text inside a here-document, a
string spanning lines or a PowerShell here-string is the user's text: setup adds its own block
beside it and remove leaves it. Each case runs the real command, and the real shell reads the result.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, require, run_cli, setup_cli, snapshot
from wizard.block import BEGIN, END
from wizard.shells import SHELLS


def setup(home: Path, key: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """The shared setup, the key on stdin as one line."""
    return setup_cli(home, key + "\n", *extra)


def bash_key(home: Path) -> str:
    bash = require("bash")
    out = subprocess.run(
        [bash, "-ic", 'printf %s "$DASHSCOPE_API_KEY"'],
        capture_output=True,
        text=True,
        env=clean_env(home, TERM="dumb"),
        timeout=30,
    )
    return out.stdout


def add_inside_block(path: Path, line: str) -> int:
    """Insert `line` right after our BEGIN marker; returns BEGIN's line number."""
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if ln.strip() == BEGIN)
    lines.insert(at + 1, line + "\n")
    path.write_text("".join(lines))
    return at + 1


@pytest.mark.parametrize("command", ["setup", "remove"])
def test_a_line_added_inside_the_block_stops_setup_and_remove(home: Path, command: str) -> None:
    rc = home / ".bashrc"
    rc.write_text("alias ll='ls -l'\n")
    key = new_key()
    assert setup(home, key, "--shell", "bash").returncode == 0
    line = add_inside_block(rc, "export EDITOR=vim  # mine")
    before = snapshot(home)

    done = (
        setup(home, new_key(), "--shell", "bash") if command == "setup" else run_cli(home, "remove", "--yes")
    )

    assert done.returncode == 8, done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert f"line {line}" in said and ".bashrc" in said and "checksum" in said
    assert snapshot(home) == before  # nothing written, the user's line still there
    assert "export EDITOR=vim  # mine" in rc.read_text()
    status = run_cli(home, "status", "--lang", "zh")
    assert f"第 {line} 行" in status.stdout + status.stderr


def test_deleting_the_checksum_line_lets_setup_replace_the_block_as_the_message_says(home: Path) -> None:
    rc = home / ".bashrc"
    assert setup(home, new_key(), "--shell", "bash").returncode == 0
    add_inside_block(rc, "export EDITOR=vim")
    rc.write_text("".join(ln for ln in rc.read_text().splitlines(keepends=True) if "(checksum " not in ln))
    key = new_key()
    assert setup(home, key, "--shell", "bash").returncode == 0
    assert "EDITOR" not in rc.read_text()
    assert bash_key(home) == key


HEREDOC = f"""# writes a template for a colleague
cat > /dev/null <<'EOF'
{BEGIN}
export DASHSCOPE_API_KEY=template
{END}
EOF
alias ll='ls -l'
"""

MULTILINE_STRING = f"""note='
{BEGIN}
quoted, not a block
{END}
'
"""


@pytest.mark.parametrize("text", [HEREDOC, MULTILINE_STRING], ids=["heredoc", "multi-line-string"])
def test_our_markers_in_a_users_text_are_not_our_block(home: Path, text: str) -> None:
    rc = home / ".bashrc"
    rc.write_text(text)
    key = new_key()
    done = setup(home, key, "--shell", "bash")
    assert done.returncode == 0, done.stdout + done.stderr
    assert rc.read_text().startswith(text)  # the user's text as it was, our block after it
    assert bash_key(home) == key
    assert setup(home, key, "--shell", "bash").returncode == 0  # a second run finds the same block
    assert rc.read_text().count(BEGIN) == 2
    removed = run_cli(home, "remove", "--yes")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert rc.read_text() == text


def test_fish_multi_line_string_holding_our_markers_is_text(home: Path) -> None:
    fish = require("fish")
    conf = home / ".config" / "fish" / "config.fish"
    conf.parent.mkdir(parents=True)
    text = f"set -g note '\n{BEGIN}\nquoted\n{END}\n'\n"
    conf.write_text(text)
    assert SHELLS["fish"].comment_lines(text) == frozenset()
    assert subprocess.run([fish, "-n", str(conf)], timeout=30).returncode == 0


def test_each_shell_reads_comments_only_where_its_lexer_says() -> None:
    posix = SHELLS["bash"].comment_lines(f"# a\nx=1 # b\ncat <<E\n{BEGIN}\nE\n  {END}\n")
    assert posix == frozenset({1, 6})
    ps = SHELLS["powershell"].comment_lines(f"# a\n$t = @'\n{BEGIN}\n'@\n<#\n{END}\n#>\n  {BEGIN}\n")
    assert ps == frozenset({1, 8})
    assert SHELLS["cmd"].comment_lines("REM x\n") is None  # no lexer: every line may hold a marker
