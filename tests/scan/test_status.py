"""`status.scan`: every source found and masked, the winner per kind of shell, conflicts, warnings."""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT, make_ctx
from wizard import block, invocation, keys, shellparse
from wizard import scan as status
from wizard.context import Context
from wizard.shells import SHELLS, Bash, Fish, PowerShell, Zsh
from wizard.stores import StoreRecord

SKEL = Path("/etc/skel")


def new_key(tag: str = "") -> str:
    return "sk-" + tag + secrets.token_hex(16)


def write(path: Path, text: str, mode: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mode is not None:
        path.chmod(mode)
    return path


def fp(value: str) -> str:
    return status.fingerprint(value)


def winner_fp(report: status.StatusReport, scenario: str) -> str | None:
    w = report.winners[scenario]
    return w.key.fingerprint if w.key else None


def skel(home: Path) -> None:
    for name in (".bashrc", ".profile"):
        if (SKEL / name).exists():
            shutil.copy(SKEL / name, home / name)


def assert_no_raw(report: status.StatusReport, *raw: str) -> None:
    dumped = json.dumps(report.to_json(), ensure_ascii=False) + repr(report) + str(report)
    for value in raw:
        assert value not in dumped


# --- nothing, env --------------------------------------------------------------------------------


def test_nothing_configured_says_so(ctx: Context) -> None:
    report = status.scan(ctx)
    assert all(w.source is None for w in report.winners.values())
    assert "status.none" in [m.id for m in report.warnings]


def test_process_env_is_the_starting_value_of_every_shell(home: Path) -> None:
    key = new_key()
    report = status.scan(make_ctx(home, env={"DASHSCOPE_API_KEY": key}))
    for name in ("bash", "bash-login", "zsh", "fish", "sdk"):
        assert report.winners[name].source == "env:DASHSCOPE_API_KEY"
        assert winner_fp(report, name) == fp(key)
    assert "status.warn.env_only" in [m.id for m in report.warnings]
    assert_no_raw(report, key)


def test_base_url_variables_are_reported(home: Path) -> None:
    url = "https://dashscope-intl.aliyuncs.com/api/v1"
    report = status.scan(make_ctx(home, env={"DASHSCOPE_HTTP_BASE_URL": url}))
    assert report.env == {"DASHSCOPE_HTTP_BASE_URL": url}


# --- bash read order -----------------------------------------------------------------------------


def test_debian_bashrc_guard_hides_an_appended_line_from_bash_lc(home: Path) -> None:
    skel(home)
    key = new_key()
    with (home / ".bashrc").open("a") as fh:
        fh.write(f"export DASHSCOPE_API_KEY={key}\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "bash") == fp(key)
    assert winner_fp(report, "bash-login") == fp(key)  # ~/.profile sources ~/.bashrc, interactive
    assert report.winners["bash-login-noninteractive"].source is None  # the guard returns early
    assert report.winners["bash-login-noninteractive"].certain
    assert report.winners["sh-login"].source is None  # .profile sources .bashrc only under bash


def test_bash_profile_hides_profile_from_login_shells(home: Path) -> None:
    key = new_key()
    write(home / ".profile", f"export DASHSCOPE_API_KEY={key}\n")
    write(home / ".bash_profile", "# nothing\n")
    report = status.scan(make_ctx(home))
    assert report.winners["bash-login"].source is None
    assert winner_fp(report, "sh-login") == fp(key)
    assert report.winners["bash-login"].files == (str(home / ".bash_profile"),)


def test_last_assignment_in_a_file_wins(home: Path) -> None:
    a, b = new_key("a"), new_key("b")
    write(home / ".bashrc", f"export DASHSCOPE_API_KEY={a}\nexport DASHSCOPE_API_KEY='{b}'\n")
    report = status.scan(make_ctx(home))
    assert report.winners["bash"].source == f"{home / '.bashrc'}:2"
    assert winner_fp(report, "bash") == fp(b)
    assert len(report.conflicts) == 2


def test_unset_after_assignment_leaves_nothing(home: Path) -> None:
    write(home / ".bashrc", f"export DASHSCOPE_API_KEY={new_key()}\nunset DASHSCOPE_API_KEY\n")
    report = status.scan(make_ctx(home, env={"DASHSCOPE_API_KEY": new_key()}))
    assert report.winners["bash"].source is None
    assert any(s.kind == "unset" for s in report.sources)


def test_assignment_without_export_is_flagged(home: Path) -> None:
    write(home / ".bashrc", f"DASHSCOPE_API_KEY={new_key()}\n")
    report = status.scan(make_ctx(home))
    assert report.winners["bash"].exported is False
    assert "status.warn.not_exported" in [m.id for m in report.warnings]


def test_separate_export_line_exports(home: Path) -> None:
    write(home / ".bashrc", f"DASHSCOPE_API_KEY={new_key()}\nexport DASHSCOPE_API_KEY\n")
    assert status.scan(make_ctx(home)).winners["bash"].exported is True


def test_inherited_variable_stays_exported_after_plain_assignment(home: Path) -> None:
    write(home / ".bashrc", f"DASHSCOPE_API_KEY={new_key()}\n")
    report = status.scan(make_ctx(home, env={"DASHSCOPE_API_KEY": new_key()}))
    assert report.winners["bash"].exported is True


def test_set_a_exports_following_assignments(home: Path) -> None:
    write(home / ".bashrc", f"set -a\nDASHSCOPE_API_KEY={new_key()}\nset +a\n")
    assert status.scan(make_ctx(home)).winners["bash"].exported is True


def test_one_shot_prefix_assignment_is_not_a_definition(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", f"DASHSCOPE_API_KEY={key} python3 -c pass\n")
    report = status.scan(make_ctx(home))
    assert report.winners["bash"].source is None
    assert [s.kind for s in report.sources] == ["literal"]
    assert report.conflicts == ()


def test_key_in_a_comment_is_reported_but_never_wins(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", f"# export DASHSCOPE_API_KEY={key}\n")
    report = status.scan(make_ctx(home))
    (src,) = report.sources
    assert src.kind == "literal" and src.key and src.key.fingerprint == fp(key)
    assert report.winners["bash"].source is None


@pytest.mark.parametrize("platform", ["linux", "darwin"])
@pytest.mark.parametrize("existing", [(), (".bash_profile",), (".bash_login", ".profile"), (".profile",)])
@pytest.mark.parametrize("name", ["bash", "zsh", "sh", "fish", "powershell"])
def test_every_file_setup_writes_is_read_by_some_new_shell_of_that_kind(
    home: Path, name: str, existing: tuple[str, ...], platform: str
) -> None:
    for f in existing:
        write(home / f, "# theirs\n")
    ctx = make_ctx(home, platform=platform)
    shell = SHELLS[name]
    targets = [t.path for t in shell.targets(ctx)]
    for path in targets:
        if not path.exists():
            write(path, "# ours\n")
    read = {p for sc in shell.scenarios for p in shell.startup_files(ctx, sc)}
    assert set(targets) <= read


# --- value forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "export DASHSCOPE_API_KEY={k}",
        "export DASHSCOPE_API_KEY='{k}'",
        'export DASHSCOPE_API_KEY="{k}"',
        "export DASHSCOPE_API_KEY=$'{k}'",
        'export DASHSCOPE_API_KEY="$MY_KEY"',
        "declare -x DASHSCOPE_API_KEY={k}",
        "typeset -gx DASHSCOPE_API_KEY={k}",
        "export DASHSCOPE_API_KEY=$(cat ~/.mykey)",
        'export DASHSCOPE_API_KEY="$(< "$HOME/.mykey")"',
        "IFS= read -r DASHSCOPE_API_KEY < ~/.mykey; export DASHSCOPE_API_KEY",
        "[ -f ~/.mykey ] && export DASHSCOPE_API_KEY=$(cat ~/.mykey)",
    ],
)
def test_value_forms_resolve_to_the_key(home: Path, line: str) -> None:
    key = new_key()
    write(home / ".mykey", key + "\n")
    write(home / ".bashrc", f"MY_KEY='{key}'\n" + line.format(k=key) + "\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "bash") == fp(key), line
    assert report.winners["bash"].exported
    assert report.winners["bash"].certain
    assert_no_raw(report, key)


def test_crlf_line_keeps_the_cr_like_bash_and_warns(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", f"export DASHSCOPE_API_KEY={key}\r\n")
    write(home / ".config" / "fish" / "config.fish", f"set -gx DASHSCOPE_API_KEY {key}\r\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "bash") == fp(key + "\r")
    assert winner_fp(report, "fish") == fp(key)  # fish treats CR as blank
    assert "status.warn.crlf" in [m.id for s in report.sources for m in s.warnings]


def test_unknown_command_substitution_is_dynamic(home: Path) -> None:
    write(home / ".bashrc", "export DASHSCOPE_API_KEY=$(pass show dashscope)\n")
    report = status.scan(make_ctx(home))
    w = report.winners["bash"]
    assert w.source == f"{home / '.bashrc'}:1" and w.dynamic and w.key is None
    assert "status.warn.dynamic" in [m.id for s in report.sources for m in s.warnings]


def test_keyring_command_uses_the_injected_reader(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", "export DASHSCOPE_API_KEY=$(secret-tool lookup service dashscope username x)\n")
    report = status.scan(make_ctx(home), keyring_reader=lambda: key)
    assert winner_fp(report, "bash") == fp(key)
    assert report.source("keyring") is not None


def test_missing_key_file_in_read_means_no_assignment(home: Path) -> None:
    write(home / ".bashrc", "IFS= read -r DASHSCOPE_API_KEY < ~/.nothing\nexport DASHSCOPE_API_KEY\n")
    assert status.scan(make_ctx(home)).winners["bash"].source is None


# --- conditions, sourcing, functions, loops ------------------------------------------------------


def test_file_test_condition_is_decided(home: Path) -> None:
    write(home / ".bashrc", f"[ -f ~/.absent ] && export DASHSCOPE_API_KEY={new_key()}\n")
    report = status.scan(make_ctx(home))
    assert report.winners["bash"].source is None
    assert report.winners["bash"].certain


def test_bash_version_condition_differs_between_bash_and_sh(home: Path) -> None:
    key = new_key()
    write(home / ".profile", f'if [ -n "$BASH_VERSION" ]; then\n  export DASHSCOPE_API_KEY={key}\nfi\n')
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "bash-login") == fp(key)
    assert report.winners["sh-login"].source is None


def test_undecidable_condition_is_assumed_true_and_marked_uncertain(home: Path) -> None:
    write(home / ".bashrc", f'if [ "$(uname)" = Linux ]; then export DASHSCOPE_API_KEY={new_key()}; fi\n')
    w = status.scan(make_ctx(home)).winners["bash"]
    assert w.source is not None and not w.certain


def test_undecidable_return_is_assumed_not_taken(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", f'[ -n "$SOMETHING_ODD" ] || return\nexport DASHSCOPE_API_KEY={key}\n')
    report = status.scan(make_ctx(home, env={"SOMETHING_ODD": "1"}))
    assert winner_fp(report, "bash") == fp(key)


def test_interactive_guards(home: Path) -> None:
    key = new_key()
    for guard in ('[ -z "$PS1" ] && return', "[[ $- != *i* ]] && return", "[[ -o interactive ]] || return"):
        write(home / ".zshenv", f"{guard}\nexport DASHSCOPE_API_KEY={key}\n")
        report = status.scan(make_ctx(home))
        assert report.winners["zsh-noninteractive"].source is None, guard
        assert winner_fp(report, "zsh") == fp(key), guard


def test_sourced_files_are_followed(home: Path) -> None:
    key = new_key()
    write(home / ".config" / "shell" / "secrets.sh", f"export DASHSCOPE_API_KEY={key}\n")
    write(home / ".bashrc", '. "$HOME/.config/shell/secrets.sh"\n')
    report = status.scan(make_ctx(home))
    assert report.winners["bash"].source == f"{home / '.config/shell/secrets.sh'}:1"
    assert str(home / ".config/shell/secrets.sh") in report.winners["bash"].files


def test_bashrc_d_loop_is_followed(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc.d" / "10-ai.sh", f"export DASHSCOPE_API_KEY={key}\n")
    write(
        home / ".bashrc", 'for rc in ~/.bashrc.d/*; do\n  if [ -f "$rc" ]; then . "$rc"; fi\ndone\nunset rc\n'
    )
    assert winner_fp(status.scan(make_ctx(home)), "bash") == fp(key)


def test_function_runs_only_when_called(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", f"load() {{\n  export DASHSCOPE_API_KEY={key}\n}}\n")
    assert status.scan(make_ctx(home)).winners["bash"].source is None
    with (home / ".bashrc").open("a") as fh:
        fh.write("load\n")
    assert winner_fp(status.scan(make_ctx(home)), "bash") == fp(key)


def test_subshell_and_pipeline_assignments_do_not_persist(home: Path) -> None:
    write(home / ".bashrc", f"( export DASHSCOPE_API_KEY={new_key()} )\necho x | read DASHSCOPE_API_KEY\n")
    assert status.scan(make_ctx(home)).winners["bash"].source is None


def test_heredoc_body_is_not_code(home: Path) -> None:
    write(home / ".bashrc", f"cat <<'EOF' > /dev/null\nexport DASHSCOPE_API_KEY={new_key()}\nEOF\n")
    report = status.scan(make_ctx(home))
    assert report.winners["bash"].source is None
    assert [s.kind for s in report.sources] == ["literal"]


def test_eval_of_our_env_command_reads_the_store(home: Path) -> None:
    key = new_key()
    write(home / ".dashscope" / "api_key", key + "\n", 0o600)
    write(home / ".bashrc", 'eval "$(dashscope-setup env)"\n')
    assert winner_fp(status.scan(make_ctx(home)), "bash") == fp(key)


def test_debian_skeleton_files_parse_without_guessing(home: Path) -> None:
    skel(home)
    report = status.scan(make_ctx(home))
    assert "status.warn.unparsed" not in [m.id for m in report.warnings]


def test_unparseable_file_falls_back_to_a_flat_reading(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", f"if then fi )\nexport DASHSCOPE_API_KEY={key}\n")
    report = status.scan(make_ctx(home))
    assert "status.warn.unparsed" in [m.id for m in report.warnings]
    w = report.winners["bash"]
    assert w.key and w.key.fingerprint == fp(key) and not w.certain


# --- our blocks ----------------------------------------------------------------------------------


def test_file_store_block_reads_the_key_file(home: Path) -> None:
    key = new_key()
    key_file = write(home / ".dashscope" / "api_key", key + "\n", 0o600)
    body = Bash().file_block(key_file, {})
    write(home / ".bashrc", block.upsert_block("alias ll='ls -l'\n", body))
    report = status.scan(make_ctx(home))
    src = report.source(report.winners["bash"].source or "")
    assert src is not None and src.kind == "block" and src.store == "file" and src.key_file == str(key_file)
    assert winner_fp(report, "bash") == fp(key)
    assert report.conflicts == ()


def test_block_with_missing_key_file_warns_and_defines_nothing(home: Path) -> None:
    body = Bash().file_block(home / ".dashscope" / "api_key", {})
    write(home / ".bashrc", block.upsert_block("", body))
    report = status.scan(make_ctx(home))
    assert report.winners["bash"].source is None
    assert "status.warn.block_file_missing" in [m.id for s in report.sources for m in s.warnings]


def test_inline_block(home: Path) -> None:
    key = new_key()
    write(home / ".zshrc", block.upsert_block("", Zsh().inline_block(key, {})))
    report = status.scan(make_ctx(home))
    src = report.source(report.winners["zsh"].source or "")
    assert src is not None and src.kind == "block" and src.store == "inline"
    assert "status.warn.plaintext" in [m.id for m in src.warnings]


def fake_secret_tool(home: Path, key: str) -> dict[str, str]:
    """A stand-in `secret-tool` on PATH that prints the key from a file (never from argv)."""
    write(home / ".fake-keyring", key + "\n", 0o600)
    tool = write(home / "bin" / "secret-tool", '#!/bin/sh\ncat "$HOME/.fake-keyring"\n', 0o755)
    import os

    return {
        "PATH": f"{tool.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DBUS_SESSION_BUS_ADDRESS": "unix:x",
    }


@pytest.mark.parametrize(
    ("shell", "file", "scenario"),
    [
        (Bash(), ".bashrc", "bash"),
        (Zsh(), ".zshrc", "zsh"),
        (Fish(), ".config/fish/conf.d/dashscope.fish", "fish"),
        (PowerShell(), ".config/powershell/profile.ps1", "powershell"),
    ],
)
def test_keyring_block(home: Path, shell: Bash, file: str, scenario: str) -> None:
    key = new_key()
    write(home / file, block.upsert_block("", shell.keyring_block({})))
    report = status.scan(make_ctx(home, env=fake_secret_tool(home, key)), keyring_reader=lambda: key)
    w = report.winners[scenario]
    src = report.source(w.source or "")
    assert src is not None and src.kind == "block" and src.store == "keyring", scenario
    assert winner_fp(report, scenario) == fp(key)
    assert not w.certain  # whether the keyring answers is only known when the shell starts
    assert_no_raw(report, key)


def test_keyring_block_without_dbus_or_tools_defines_nothing(home: Path) -> None:
    write(home / ".bashrc", block.upsert_block("", Bash().keyring_block({})))
    report = status.scan(make_ctx(home, env={"PATH": "/nonexistent"}), keyring_reader=lambda: new_key())
    assert report.winners["bash"].source is None and report.winners["bash"].certain


def test_foreign_line_after_block_wins(home: Path) -> None:
    block_key, hand_key = new_key("b"), new_key("h")
    key_file = write(home / ".dashscope" / "api_key", block_key + "\n", 0o600)
    text = block.upsert_block("", Bash().file_block(key_file, {}))
    write(home / ".bashrc", text + f"export DASHSCOPE_API_KEY={hand_key}\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "bash") == fp(hand_key)
    assert {c.key.fingerprint for c in report.conflicts} == {fp(block_key), fp(hand_key)}


def test_the_saved_key_is_the_main_one_and_a_foreign_line_that_beats_it_is_a_problem(home: Path) -> None:
    """Most kinds of new shell get the hand-made key, yet the key dashscope-setup saved is the one
    the summary is about: the shells that do not get it are each a problem, with the place to fix."""
    block_key, hand_key = new_key("b"), new_key("h")
    key_file = write(home / ".dashscope" / "api_key", block_key + "\n", 0o600)
    write(home / ".zshrc", block.upsert_block("", Zsh().file_block(key_file, {})))
    write(home / ".bashrc", f"export DASHSCOPE_API_KEY={hand_key}\n")
    write(home / ".profile", ". ~/.bashrc\n")
    recorded = StoreRecord("file", key_file=str(key_file))
    report = status.scan(make_ctx(home), recorded=recorded)
    main = report.main
    assert main is not None and main.key is not None and main.key.fingerprint == fp(block_key)
    assert report.verdict.ours and report.verdict.configured
    assert {"zsh", "zsh-login"} <= set(report.verdict.reach)
    (other,) = [m for m in report.warnings if m.id == "status.warn.other_key"]
    assert {"bash", "bash-login", "sh-login"} <= set(other.params["scenarios"])
    assert other.params["source"] == f"{home / '.bashrc'}:1"


def test_a_script_shell_that_reads_no_file_inherits_and_is_no_problem(home: Path) -> None:
    key = new_key()
    key_file = write(home / ".dashscope" / "api_key", key + "\n", 0o600)
    write(home / ".zshrc", block.upsert_block("", Zsh().file_block(key_file, {})))
    write(home / ".zprofile", block.upsert_block("", Zsh().file_block(key_file, {})))
    report = status.scan(make_ctx(home), recorded=StoreRecord("file", key_file=str(key_file)))
    assert report.winners["zsh-noninteractive"].source is None  # `zsh -c` reads ~/.zshenv only
    not_set = [m.params["scenarios"] for m in report.warnings if m.id == "status.warn.not_set"]
    assert all("zsh-noninteractive" not in s and "zsh" not in s for s in not_set)


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "missing"), ({"same": True}, "same"), ({"other": True}, "different")],
)
def test_this_terminal_against_the_main_key(home: Path, env: dict[str, bool], expected: str) -> None:
    key = new_key()
    key_file = write(home / ".dashscope" / "api_key", key + "\n", 0o600)
    write(home / ".bashrc", block.upsert_block("", Bash().file_block(key_file, {})))
    value = key if env.get("same") else new_key() if env.get("other") else None
    ctx = make_ctx(home, env={"DASHSCOPE_API_KEY": value} if value else None)
    report = status.scan(ctx, current_shell="fish", env_loads=fp(key))
    assert report.verdict.this_terminal == expected
    fixes = [m for m in report.warnings if "terminal" in m.id]
    if expected == "same":
        assert fixes == []
    else:
        (fix,) = fixes
        assert fix.params["command"] == Fish().eval_env_line(invocation.words(ctx))


def test_damaged_block_is_a_warning_not_a_crash(home: Path) -> None:
    write(home / ".bashrc", f"{block.BEGIN}\nexport DASHSCOPE_API_KEY={new_key()}\n")
    report = status.scan(make_ctx(home))
    assert "status.warn.damaged_block" in [m.id for m in report.warnings]
    assert report.winners["bash"].source is not None


# --- zsh ------------------------------------------------------------------------------------------


def test_zdotdir_set_in_zshenv_moves_zshrc(home: Path) -> None:
    if not shutil.which("zsh"):
        pytest.skip("needs zsh to report ZDOTDIR")
    key, stale = new_key("z"), new_key("s")
    write(home / ".zshenv", 'ZDOTDIR="$HOME/.config/zsh"\n')
    write(home / ".config" / "zsh" / ".zshrc", f"export DASHSCOPE_API_KEY={key}\n")
    write(home / ".zshrc", f"export DASHSCOPE_API_KEY={stale}\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "zsh") == fp(key)
    assert "status.warn.not_read" in [m.id for m in report.warnings]


def test_zsh_login_order_zshenv_zprofile_zshrc_zlogin(home: Path) -> None:
    keys_ = {n: new_key() for n in (".zshenv", ".zprofile", ".zshrc", ".zlogin")}
    for name, k in keys_.items():
        write(home / name, f"export DASHSCOPE_API_KEY={k}\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "zsh-login") == fp(keys_[".zlogin"])
    assert winner_fp(report, "zsh") == fp(keys_[".zshrc"])
    assert winner_fp(report, "zsh-noninteractive") == fp(keys_[".zshenv"])


# --- fish -----------------------------------------------------------------------------------------


def fish_dir(home: Path) -> Path:
    return home / ".config" / "fish"


def test_fish_conf_d_natural_order_then_config_fish(home: Path) -> None:
    k9, k10, kcfg = new_key("a"), new_key("b"), new_key("c")
    write(fish_dir(home) / "conf.d" / "9-x.fish", f"set -gx DASHSCOPE_API_KEY {k9}\n")
    write(fish_dir(home) / "conf.d" / "10-x.fish", f"set -gx DASHSCOPE_API_KEY {k10}\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "fish") == fp(k10)
    write(
        fish_dir(home) / "config.fish",
        f"if status is-interactive\n    set -gx DASHSCOPE_API_KEY '{kcfg}'\nend\n",
    )
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "fish") == fp(kcfg)
    assert winner_fp(report, "fish-noninteractive") == fp(k10)


def test_fish_block_file_store(home: Path) -> None:
    key = new_key()
    key_file = write(home / ".dashscope" / "api_key", key + "\n", 0o600)
    write(
        fish_dir(home) / "conf.d" / "dashscope.fish",
        block.upsert_block("", Fish().file_block(key_file, {})),
    )
    report = status.scan(make_ctx(home))
    src = report.source(report.winners["fish"].source or "")
    assert src is not None and src.kind == "block" and src.store == "file"
    assert winner_fp(report, "fish") == fp(key)


def universal_line(value: str) -> str:
    escaped = "".join(ch if ch.isalnum() else f"\\x{ord(ch):02x}" for ch in value)
    return f"# This file contains fish universal variable definitions.\nSETUVAR --export DASHSCOPE_API_KEY:{escaped}\n"


def test_fish_universal_is_shadowed_by_global(home: Path) -> None:
    uni, glob = new_key("u"), new_key("g")
    write(fish_dir(home) / "fish_variables", universal_line(uni))
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "fish") == fp(uni)
    assert report.winners["fish"].source.startswith("fish-universal:")  # type: ignore[union-attr]
    write(fish_dir(home) / "config.fish", f"set -gx DASHSCOPE_API_KEY {glob}\n")
    assert winner_fp(status.scan(make_ctx(home)), "fish") == fp(glob)
    write(fish_dir(home) / "config.fish", f"set -gx DASHSCOPE_API_KEY {glob}\nset -e DASHSCOPE_API_KEY\n")
    assert winner_fp(status.scan(make_ctx(home)), "fish") == fp(uni)


def test_fish_universal_is_shadowed_by_inherited_env(home: Path) -> None:
    env_key = new_key()
    write(fish_dir(home) / "fish_variables", universal_line(new_key()))
    report = status.scan(make_ctx(home, env={"DASHSCOPE_API_KEY": env_key}))
    assert winner_fp(report, "fish") == fp(env_key)


def test_fish_set_without_scope_modifies_the_universal(home: Path) -> None:
    k = new_key()
    write(fish_dir(home) / "fish_variables", universal_line(new_key()))
    write(fish_dir(home) / "config.fish", f"set -x DASHSCOPE_API_KEY {k}\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "fish") == fp(k)


def test_fish_universal_escapes_decode() -> None:
    ((_, name, value, exported),) = list(
        shellparse.fish_universal("SETUVAR --export K:sk\\x2dab\\x24c\\x20d\n")
    )
    assert (name, value, exported) == ("K", "sk-ab$c d", True)


# --- PowerShell -------------------------------------------------------------------------------------


def test_powershell_profile_assignment(home: Path) -> None:
    key = new_key()
    profile = home / ".config" / "powershell" / "profile.ps1"
    write(profile, f"$env:DASHSCOPE_API_KEY = {PowerShell().quote(key)}\n")
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "powershell") == fp(key)


def test_powershell_user_scope_setenv_is_not_this_session(home: Path) -> None:
    profile = home / ".config" / "powershell" / "profile.ps1"
    write(profile, f"[Environment]::SetEnvironmentVariable('DASHSCOPE_API_KEY', '{new_key()}', 'User')\n")
    report = status.scan(make_ctx(home))
    assert report.winners["powershell"].source is None
    assert [s.scope for s in report.sources] == ["user"]


def test_powershell_block_file_store(home: Path) -> None:
    key = new_key()
    key_file = write(home / ".dashscope" / "api_key", key + "\n", 0o600)
    body = PowerShell().file_block(key_file, {})
    write(home / ".config" / "powershell" / "profile.ps1", block.upsert_block("", body))
    report = status.scan(make_ctx(home))
    assert winner_fp(report, "powershell") == fp(key)


# --- key file, keyring, .env, registry ----------------------------------------------------------------


def test_key_file_mode_warning(home: Path) -> None:
    write(home / ".dashscope" / "api_key", new_key() + "\n", 0o644)
    report = status.scan(make_ctx(home))
    (src,) = [s for s in report.sources if s.kind == "key-file"]
    (warn,) = src.warnings
    assert warn.id == "status.warn.key_file_mode" and warn.params["mode"] == "0644"
    assert report.winners["sdk"].source == src.ref


def test_key_file_0600_has_no_warning(home: Path) -> None:
    write(home / ".dashscope" / "api_key", new_key() + "\n", 0o600)
    (src,) = status.scan(make_ctx(home)).sources
    assert src.warnings == ()


@pytest.mark.parametrize(
    ("content", "warning"),
    [
        ("\n", "status.warn.key_file_empty"),
        ("sk-a\nsk-b\n", "status.warn.key_file_lines"),
        (" sk-abcdefghijklmnopqrstuvwx\r\n", "status.warn.key_file_whitespace"),
    ],
)
def test_key_file_content_warnings(home: Path, content: str, warning: str) -> None:
    write(home / ".dashscope" / "api_key", content, 0o600)
    report = status.scan(make_ctx(home))
    assert warning in [m.id for s in report.sources for m in s.warnings]


def test_key_file_that_is_a_directory(home: Path) -> None:
    (home / ".dashscope" / "api_key").mkdir(parents=True)
    report = status.scan(make_ctx(home))
    assert "status.warn.key_file_dir" in [m.id for s in report.sources for m in s.warnings]


def test_unreadable_key_file_is_a_warning(home: Path) -> None:
    d = home / ".dashscope"
    d.mkdir()
    (d / "api_key").symlink_to(d / "loop")
    (d / "loop").symlink_to(d / "api_key")  # ELOOP: unreadable even for root
    report = status.scan(make_ctx(home))
    (warn,) = [m for s in report.sources for m in s.warnings]
    assert warn.id == "status.warn.key_file_unreadable" and warn.params["reason"]


def test_key_file_path_variable(home: Path) -> None:
    custom, default = new_key("c"), new_key("d")
    write(home / "keys" / "ds", custom + "\n", 0o600)
    write(home / ".dashscope" / "api_key", default + "\n", 0o600)
    report = status.scan(make_ctx(home, env={"DASHSCOPE_API_KEY_FILE_PATH": str(home / "keys" / "ds")}))
    assert winner_fp(report, "sdk") == fp(custom)
    shadowed = [s for s in report.sources if s.scope == "shadowed"]
    assert [s.path for s in shadowed] == [str(home / ".dashscope" / "api_key")]
    assert report.conflicts == ()


def test_key_file_path_variable_to_missing_file(home: Path) -> None:
    report = status.scan(make_ctx(home, env={"DASHSCOPE_API_KEY_FILE_PATH": str(home / "nope")}))
    assert "status.warn.key_file_path_missing" in [m.id for m in report.warnings]


def test_keyring_reader_errors_are_a_warning_with_the_class_only(home: Path) -> None:
    key = new_key()

    def broken() -> str | None:
        raise RuntimeError(f"backend said {key}")

    report = status.scan(make_ctx(home), keyring_reader=broken)
    (warn,) = [m for m in report.warnings if m.id == "status.warn.keyring_error"]
    assert warn.params == {"error": "RuntimeError"}
    assert_no_raw(report, key)


@pytest.mark.parametrize(
    "line", ["DASHSCOPE_API_KEY={k}", "export DASHSCOPE_API_KEY='{k}'", 'DASHSCOPE_API_KEY = "{k}"  # x']
)
def test_dotenv_in_cwd(home: Path, line: str) -> None:
    key = new_key()
    write(home / ".env", "OTHER=1\n" + line.format(k=key) + "\n")
    report = status.scan(make_ctx(home))
    (src,) = [s for s in report.sources if s.kind == "dotenv"]
    assert src.key and src.key.fingerprint == fp(key) and src.line == 2


def test_registry_reader_gives_a_windows_winner(home: Path) -> None:
    user, machine = new_key("u"), new_key("m")
    values = {"user": user, "machine": machine}
    report = status.scan(make_ctx(home), registry_reader=values.get)
    assert winner_fp(report, "windows") == fp(user)


# --- conflicts and secrecy ------------------------------------------------------------------------------


def test_same_key_everywhere_is_no_conflict(home: Path) -> None:
    key = new_key()
    write(home / ".bashrc", f"export DASHSCOPE_API_KEY={key}\n")
    write(home / ".dashscope" / "api_key", key + "\n", 0o600)
    report = status.scan(make_ctx(home, env={"DASHSCOPE_API_KEY": key}), keyring_reader=lambda: key)
    assert report.conflicts == ()


def test_no_raw_key_anywhere_in_the_report(home: Path) -> None:
    planted = [new_key(str(i)) for i in range(8)]
    skel(home)
    write(home / ".bashrc", f"export DASHSCOPE_API_KEY={planted[0]}\n# {planted[1]}\n")
    write(home / ".zshrc", f'DASHSCOPE_API_KEY="{planted[2]}"\n')
    write(fish_dir(home) / "fish_variables", universal_line(planted[3]))
    write(home / ".dashscope" / "api_key", planted[4] + "\n", 0o644)
    write(home / ".env", f"DASHSCOPE_API_KEY={planted[5]}\n")
    write(home / ".config" / "powershell" / "profile.ps1", f"$env:DASHSCOPE_API_KEY = '{planted[6]}'\n")
    report = status.scan(
        make_ctx(home, env={"DASHSCOPE_API_KEY": planted[7]}), keyring_reader=lambda: planted[0]
    )
    assert len(report.sources) >= 8
    assert_no_raw(report, *planted)
    for value in planted:
        assert keys.mask(value) in json.dumps(report.to_json(), ensure_ascii=False)


def test_json_shape(home: Path) -> None:
    write(home / ".bashrc", f"export DASHSCOPE_API_KEY={new_key()}\n")
    data = status.scan(make_ctx(home)).to_json()
    # Additive only: the first edition's fields keep their names; the verdict came later.
    first = {"sources", "winners", "conflicts", "warnings", "env", "key_file", "fingerprint"}
    assert set(data) == first | {"configured", "main", "this_terminal", "reach"}
    src = data["sources"][0]
    assert {
        "ref",
        "kind",
        "path",
        "line",
        "mask",
        "length",
        "fingerprint",
        "dynamic",
        "store",
        "read_by",
        "warnings",
    } <= set(src)
    assert {"bash", "zsh", "fish", "powershell", "sdk"} <= set(data["winners"])
    json.dumps(data)


# --- robustness -------------------------------------------------------------------------------------------

_SHELLISH = st.lists(
    st.sampled_from(
        [
            "if",
            "then",
            "fi",
            "else",
            "case",
            "esac",
            "in",
            "do",
            "done",
            "for",
            "while",
            "{",
            "}",
            "(",
            ")",
            ";",
            ";;",
            "&&",
            "||",
            "|",
            "'",
            '"',
            "$(",
            "`",
            "<<EOF",
            "EOF",
            "\\",
            "#",
            "\n",
            " ",
            "x",
            "=",
            "export",
            "DASHSCOPE_API_KEY=",
            "set -gx DASHSCOPE_API_KEY",
            "end",
            "function",
            "source",
            ".",
            "~/.bashrc",
            "return",
            "$-",
            "*i*)",
            "\r\n",
            "$env:DASHSCOPE_API_KEY = '",
            "\x00",
            "\udcff",
        ]
    ),
    max_size=40,
).map("".join)


@given(noise=_SHELLISH)
def test_scan_never_crashes_and_never_leaks(noise: str) -> None:
    import tempfile

    key = "sk-" + "7" * 32
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        text = noise.replace("DASHSCOPE_API_KEY=", f"DASHSCOPE_API_KEY={key}")
        for name in (".bashrc", ".zshenv", ".config/fish/config.fish", ".config/powershell/profile.ps1"):
            p = home / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(text.encode("utf-8", "surrogateescape"))
        ctx = make_ctx(home)
        ctx.run = lambda argv, env: (1, "")  # no zsh probe per example
        report = status.scan(ctx)
        assert_no_raw(report, key)


@given(st.text(max_size=200))
def test_parsers_fail_only_with_parse_error(text: str) -> None:
    for parse in (shellparse.parse_posix, shellparse.parse_fish):
        with contextlib.suppress(shellparse.ParseError):
            parse(text)
    shellparse.flat_posix(text)
    shellparse.flat_fish(text)


# --- the message catalogue -------------------------------------------------------------------------------


def _used_ids() -> set[str]:
    import re

    root = ROOT / "wizard"
    files = [*(root / "scan").rglob("*.py"), *(root / "edits").rglob("*.py")]
    text = "".join(f.read_text() for f in files)
    ids = set(re.findall(r'"((?:status|history|migrate)\.[a-z_.-]+)"', text))
    return ids | {"status.warn.literal", "status.warn.disabled"}


def test_every_message_used_is_in_the_catalogue() -> None:
    from wizard.messages import catalogue
    from wizard.messages.status import MESSAGES

    assert _used_ids() <= set(catalogue())
    assert {f"status.scenario.{sc.name}" for sc in status.SCENARIOS} <= set(MESSAGES)
    kinds = [
        "env",
        "block",
        "assignment",
        "unset",
        "fish-universal",
        "key-file",
        "keyring",
        "dotenv",
        "registry",
        "literal",
        "disabled",
    ]
    assert {f"status.kind.{k}" for k in kinds} <= set(MESSAGES)


def test_messages_are_bilingual_with_the_same_parameters() -> None:
    import re
    import string

    from wizard.messages.status import MESSAGES

    def fields(t: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(t) if name}

    for msg_id, (en, zh) in MESSAGES.items():
        assert fields(en) == fields(zh), msg_id
        assert re.search(r"[\u4e00-\u9fff]", zh), msg_id
        assert not re.search(r"[\u4e00-\u9fff]", en), msg_id


# --- the parsers on real-world syntax ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "COMPREPLY=()\nf() { :; }\narr=(a 'b c' $(d))\n",
        "case $x in\n  -*=) y=() ;;\n  *) IFS=$'\\n' ;;\nesac\n",
        "for f in ~/.zsh/*.zsh(N); do source $f; done\n",
        '(( $+commands[pyenv] )) && eval "$(pyenv init -)"\n',
        "source <(kubectl completion bash)\n[[ -f a && -r b ]] || true\n",
        "cat <<-EOF >/dev/null\n\tif then\n\tEOF\necho ok\n",
        "while read -r l; do :; done < <(ls)\n",
    ],
)
def test_posix_constructs_parse(text: str) -> None:
    shellparse.parse_posix(text)


@pytest.mark.parametrize(
    "text",
    [
        "while count $args >/dev/null\n    set -e args[1]\nend\n",
        "begin\n    echo a\nend | string replace a b\n",
        "echo x | begin\n    read -l y\nend\n",
        "set os (string match -r 'x' < /etc/os-release | \\\n    string trim -c '\\'\"')\n",
        'if test -n "$a" || set -q b\n    and true\nelse if not status is-interactive\nend\n',
        "switch $x\n    case 'a*' b\n        echo\n    case '*'\nend\n",
    ],
)
def test_fish_constructs_parse(text: str) -> None:
    shellparse.parse_fish(text)


def test_system_script_corpus_parses() -> None:
    posix = [
        SKEL / ".bashrc",
        SKEL / ".profile",
        Path("/etc/profile"),
        Path("/usr/share/bash-completion/bash_completion"),
    ]
    fish = sorted(Path("/usr/share/fish/functions").glob("*.fish"))
    checked = 0
    for paths, parse in ((posix, shellparse.parse_posix), (fish, shellparse.parse_fish)):
        for p in paths:
            if p.is_file():
                parse(p.read_text(encoding="utf-8", errors="surrogateescape"))
                checked += 1
    if checked == 0:
        pytest.skip("no system shell scripts on this machine")
