"""Migration: foreign `export DASHSCOPE_API_KEY=` lines are found and disabled reversibly."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.conftest import clean_env, make_ctx, new_key, require
from wizard import keys
from wizard import scan as status
from wizard.block import shell_lines, upsert_block
from wizard.edits import manifest, migrate
from wizard.edits.history import redact
from wizard.errors import SetupError
from wizard.shells import Bash


def put(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    path.chmod(mode)
    return path


# --- finding ---------------------------------------------------------------------------------------


def test_finds_foreign_lines_but_never_our_block(home: Path) -> None:
    k = new_key()
    key_file = put(home / ".dashscope" / "api_key", new_key() + "\n", 0o600)
    block = upsert_block("", Bash().file_block(key_file, {}))
    put(home / ".bashrc", f"export DASHSCOPE_API_KEY={k}\n" + block)
    put(home / ".config" / "fish" / "config.fish", f"set -gx DASHSCOPE_API_KEY {k}\n")
    found = migrate.find_foreign_exports(make_ctx(home))
    assert sorted((f.path.name, f.line, f.shell) for f in found) == [
        (".bashrc", 1, "posix"),
        ("config.fish", 1, "fish"),
    ]
    assert all(f.key and f.key.mask == keys.mask(k) for f in found)
    assert "bash" in next(f for f in found if f.shell == "posix").read_by
    assert k not in repr(found) and k not in str([f.to_json() for f in found])


def test_our_own_eval_line_is_not_migrated(home: Path) -> None:
    put(home / ".dashscope" / "api_key", new_key() + "\n", 0o600)
    put(home / ".bashrc", 'eval "$(dashscope-setup env --shell bash)"\n')
    assert migrate.find_foreign_exports(make_ctx(home)) == []


def test_compound_lines_are_flagged(home: Path) -> None:
    put(
        home / ".bashrc",
        f"export A=1; export DASHSCOPE_API_KEY={new_key()}\nexport DASHSCOPE_API_KEY={new_key()}\n",
    )
    found = migrate.find_foreign_exports(make_ctx(home))
    assert [(f.line, f.compound) for f in found] == [(1, True), (2, False)]


# --- the pure edit ----------------------------------------------------------------------------------


def test_comment_out_and_restore() -> None:
    text = "a\r\nexport DASHSCOPE_API_KEY=x\r\nb"
    out = migrate.comment_out(text, [2])
    assert out == "a\r\n# disabled by dashscope-setup: export DASHSCOPE_API_KEY=…\r\nb"
    assert migrate.restore(out, migrate.originals(text, [2])) == text


def test_sole_command_of_a_body_gets_a_noop() -> None:
    text = "if true; then\n  export DASHSCOPE_API_KEY=x\nfi\n"
    out = migrate.comment_out(text, [2])
    assert out.splitlines()[1] == ": # disabled by dashscope-setup:   export DASHSCOPE_API_KEY=…"
    assert migrate.restore(out, migrate.originals(text, [2])) == text
    assert migrate.comment_out(text, [2], family="fish").splitlines()[1].startswith("# disabled")


def test_continuation_line_gets_a_plain_comment() -> None:
    text = "export A=1 \\\n  DASHSCOPE_API_KEY=x\n"
    assert migrate.comment_out(text, [2]).splitlines()[1].startswith("# disabled")


def test_out_of_range_line_is_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        migrate.comment_out("a\n", [2])


@pytest.mark.parametrize(
    "text",
    [
        "if [ -f ~/.k ]; then\n  export DASHSCOPE_API_KEY=x\nfi\n",
        "while false; do\n  DASHSCOPE_API_KEY=x\ndone\n",
        "f() {\n  export DASHSCOPE_API_KEY=x\n}\n",
        "[ -f ~/.k ] &&\n  export DASHSCOPE_API_KEY=x\necho ok\n",
        "if true; then\n  # note\n  export DASHSCOPE_API_KEY=x\n\nelse\n  :\nfi\n",
        "case $- in\n  *i*)\n    export DASHSCOPE_API_KEY=x\n    ;;\nesac\n",
    ],
)
@pytest.mark.parametrize("shell", ["bash", "dash", "zsh"])
def test_disabled_file_still_parses_in_the_real_shell(tmp_path: Path, text: str, shell: str) -> None:
    require(shell)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "DASHSCOPE_API_KEY" in x)
    path = tmp_path / "rc"
    path.write_text(migrate.comment_out(text, [line]))
    proc = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


_LINES = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20).map(
        lambda s: s.replace("\n", "")
    ),
    max_size=20,
)


@given(
    lines=_LINES,
    crlf=st.booleans(),
    final=st.booleans(),
    picks=st.sets(st.integers(1, 20)),
    family=st.sampled_from(["posix", "fish", "powershell"]),
)
def test_restore_inverts_comment_out_and_nothing_else_changes(
    lines: list[str], crlf: bool, final: bool, picks: set[int], family: str
) -> None:
    nl = "\r\n" if crlf else "\n"
    text = nl.join(lines) + (nl if final and lines else "")
    physical = shell_lines(text)
    assume(not any(x.startswith((migrate.PREFIX, migrate.NOOP_PREFIX)) for x in physical))
    chosen = {n for n in picks if n <= len(physical)}
    out = migrate.comment_out(text, chosen, family=family)
    assert migrate.restore(out, migrate.originals(text, chosen)) == text
    after = shell_lines(out)
    assert len(after) == len(physical)
    for n, (old, new) in enumerate(zip(physical, after), start=1):
        if n in chosen:
            assert new in (migrate.PREFIX + redact(old), migrate.NOOP_PREFIX + redact(old))
        else:
            assert new == old


# --- plan and apply ------------------------------------------------------------------------------------


def test_plan_and_apply(home: Path) -> None:
    k = new_key()
    before = (
        f"alias ll='ls -l'\r\nif [ -n \"$BASH_VERSION\" ]; then\r\n  export DASHSCOPE_API_KEY='{k}'\r\nfi\r\n"
    )
    path = put(home / ".bashrc", before, 0o640)
    ctx = make_ctx(home)
    plans = migrate.plan(ctx, migrate.find_foreign_exports(ctx))
    (p,) = plans
    assert p.lines == (3,) and p.changed
    assert k not in p.diff and keys.mask(k) in p.diff and k not in repr(p)
    if shutil.which("bash"):
        assert p.syntax_ok is None  # bash itself cannot parse a CRLF `then`: the check proves nothing
    changes = migrate.apply(ctx, plans)
    assert [(c.what, c.action) for c in changes] == [("backup", "created"), ("foreign-export", "modified")]
    assert path.read_bytes() == p.after
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert k not in path.read_text() and keys.mask(k) in path.read_text()
    saved = migrate.load_saved_lines(ctx)
    assert saved == {str(path): [f"  export DASHSCOPE_API_KEY='{k}'\r\n"]}
    assert stat.S_IMODE(migrate.saved_lines_path(ctx).stat().st_mode) == 0o600
    assert migrate.restore(path.read_bytes().decode(), saved[str(path)]) == before
    backup = next(p for p in manifest.backups_dir(ctx).iterdir() if p != migrate.saved_lines_path(ctx))
    assert backup.read_bytes() == before.replace(k, keys.mask(k)).encode()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    report = status.scan(ctx)
    assert report.winners["bash"].source is None
    assert [s.kind for s in report.sources] == []  # the disabled line holds no key any more


def test_plan_syntax_check_passes_for_a_good_edit(home: Path) -> None:
    require("bash")
    put(home / ".bashrc", f'if [ -n "$BASH_VERSION" ]; then\n  export DASHSCOPE_API_KEY={new_key()}\nfi\n')
    ctx = make_ctx(home)
    (p,) = migrate.plan(ctx, migrate.find_foreign_exports(ctx))
    assert p.syntax_ok is True


def test_apply_refuses_a_file_changed_since_planning(home: Path) -> None:
    path = put(home / ".bashrc", f"export DASHSCOPE_API_KEY={new_key()}\n")
    ctx = make_ctx(home)
    plans = migrate.plan(ctx, migrate.find_foreign_exports(ctx))
    path.write_text("changed\n")
    with pytest.raises(SetupError) as exc:
        migrate.apply(ctx, plans)
    assert exc.value.msg_id == "migrate.err.changed"


def test_apply_refuses_a_syntax_breaking_edit(home: Path) -> None:
    require("bash")
    # the assignment shares its line with the `then`: commenting the line out breaks the if.
    put(home / ".bashrc", f"if true; then export DASHSCOPE_API_KEY={new_key()}\nfi\n")
    ctx = make_ctx(home)
    (p,) = migrate.plan(ctx, migrate.find_foreign_exports(ctx))
    assert p.syntax_ok is False
    with pytest.raises(SetupError) as exc:
        migrate.apply(ctx, [p])
    assert exc.value.msg_id == "migrate.err.syntax"


def test_plan_refuses_lines_inside_our_block(home: Path) -> None:
    key_file = put(home / ".dashscope" / "api_key", new_key() + "\n", 0o600)
    put(
        home / ".bashrc",
        upsert_block("", Bash().file_block(key_file, {})),
    )
    bogus = migrate.Finding(home / ".bashrc", 3, "posix", None, True, (), False)
    with pytest.raises(ValueError, match="own block"):
        migrate.plan(make_ctx(home), [bogus])


@pytest.mark.real
def test_new_shell_after_migration_gets_the_block_key(home: Path) -> None:
    require("bash")
    old, new = new_key(), new_key()
    key_file = put(home / ".dashscope" / "api_key", new + "\n", 0o600)
    block = upsert_block("", Bash().file_block(key_file, {}))
    put(home / ".bashrc", block + f"export DASHSCOPE_API_KEY={old}\n")
    ctx = make_ctx(home)
    migrate.apply(ctx, migrate.plan(ctx, migrate.find_foreign_exports(ctx)))
    out = subprocess.run(
        ["bash", "-ic", 'printf "<%s>" "$DASHSCOPE_API_KEY"'],
        capture_output=True,
        text=True,
        env=clean_env(home),
        stdin=subprocess.DEVNULL,
        timeout=30,
    ).stdout
    assert f"<{new}>" in out
