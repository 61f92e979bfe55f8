"""Our block is written the way each shell reads it: LF for bash, zsh, dash and fish even in a
CRLF file (a CR becomes part of the line, and the key was never set), and a file the shell would
no longer parse with the block in it is not written at all."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import clean_env, make_ctx, new_key, require, setup_cli
from wizard import keys, regions
from wizard.commands.plan import make_plan, preflight
from wizard.edits.startup import syntax_ok
from wizard.errors import SetupError


def test_a_crlf_bashrc_gets_an_lf_block_and_a_new_bash_has_the_key(home: Path) -> None:
    bash = require("bash")
    (home / ".bashrc").write_bytes(b"# mine\r\nexport EDITOR=vi\r\n")
    key = new_key()
    done = setup_cli(home, key + "\n", "--shell", "bash")
    assert done.returncode == 0, done.stderr
    data = (home / ".bashrc").read_bytes()
    block = data[data.index(b"# >>> dashscope-setup >>>") :]
    assert b"\r" not in block
    assert data.startswith(b"# mine\r\nexport EDITOR=vi\r\n")  # the user's lines keep theirs
    got = subprocess.run(
        [bash, "-ic", 'printf %s "$DASHSCOPE_API_KEY"'],
        env=clean_env(home),
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert got.stdout == key
    again = setup_cli(home, key + "\n", "--shell", "bash")
    assert (home / ".bashrc").read_bytes() == data, again.stderr  # a second run changes nothing


def test_syntax_ok_asks_the_real_shell(home: Path) -> None:
    require("bash")
    ctx = make_ctx(home)
    rc = home / ".bashrc"
    assert syntax_ok(ctx, rc, "posix", "echo hi\n", "echo hi\nif true; then :; fi\n") is True
    assert syntax_ok(ctx, rc, "posix", "echo hi\n", "echo hi\nif true; then\n") is False
    assert syntax_ok(ctx, rc, "posix", "if true; then\n", "if true; then\nx\n") is None  # broken before


def test_the_last_preflight_refuses_a_file_our_block_would_break(home: Path) -> None:
    require("bash")
    ctx = make_ctx(home)
    key = keys.validate(new_key())
    endpoint = regions.endpoint_for(regions.DEFAULT_REGION, ctx.env)
    plan = make_plan(ctx, key=key, endpoint=endpoint, shell_names=["bash"], store_kind="file")
    bashrc = next(f for f in plan.files if f.target.path.name == ".bashrc")
    bashrc.after = bashrc.after + b"if true; then\n"  # as a block-writer bug would leave it
    preflight(ctx, plan)  # the early preflight does not start shells
    with pytest.raises(SetupError) as exc_info:
        preflight(ctx, plan, check_syntax=True)
    assert exc_info.value.msg_id == "err.block_syntax"
