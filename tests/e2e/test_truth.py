"""Every line the summary prints is a fact, and the fix it names works when run as printed.

Through the real command against the fake DashScope: ✓ only for what the service confirmed, the
key's source as it really was, `--no-test` still finding the region (no tokens), `--offline`
assuming it, and `test` naming the key's region and the command that points the setup there.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import new_key, run_cli, setup_cli, snapshot
from tests.fakes.dashscope import FakeDashScope


def cli(
    home: Path, fake: FakeDashScope, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        home,
        *args,
        stdin=stdin,
        env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "2", **env},
    )


def lines_starting(text: str, label: str) -> list[str]:
    return [line for line in text.splitlines() if line[2:].startswith(label)]


def closed_port_urls() -> str:
    """Every region at a loopback port nobody listens on: a network that reaches no region."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return ",".join(
        f"{r}=http://127.0.0.1:{port}/{r}/compatible-mode/v1"
        for r in ("cn-beijing", "ap-southeast-1", "us-east-1", "cn-hongkong")
    )


# --- item 1: --no-test finds the region; --offline assumes it ----------------------------------


def test_no_test_still_finds_the_region_without_a_test_call(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    result = cli(home, fake, "setup", "--yes", "--no-test", "--key-stdin", "--shell", "bash", "-v", stdin=key)
    assert result.returncode == 0, result.stderr
    assert fake.recorded("chat") == []  # no tokens used
    assert lines_starting(result.stdout, "Region:") == [f"✓ Region: US (Virginia) — {fake.url('us-east-1')}"]
    assert lines_starting(result.stdout, "Key:")[0].startswith("✓ ")
    assert fake.native_url("us-east-1") in (home / ".bashrc").read_text()


def test_no_test_json_says_the_region_was_detected_and_verified(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    args = ("setup", "--yes", "--no-test", "--key-stdin", "--shell", "bash", "--json")
    data = json.loads(cli(home, fake, *args, stdin=key).stdout)
    assert (data["region"], data["region_source"], data["region_verified"]) == ("us-east-1", "detected", True)
    assert data["key"]["verified"] is True


def test_offline_assumes_the_region_without_a_tick_and_makes_no_request(
    home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash")
    result = cli(home, fake, *args, "--verbose", stdin=key)
    assert result.returncode == 0, result.stderr
    assert fake.recorded() == []
    region = lines_starting(result.stdout, "Region:")
    assert region and region[0].startswith("! ") and "assumed" in region[0]
    assert "✓ Region" not in result.stdout and "✓ Key" not in result.stdout
    # The short end screen says it too: no tick on "Done", the region marked as assumed.
    short = cli(home, fake, *args, stdin=key).stdout
    done = lines_starting(short, "Done.")
    assert done and done[0].startswith("• ") and "China (Beijing) (assumed, not checked)" in done[0]
    assert "✓" not in short
    data = json.loads(cli(home, fake, *args, "--json", stdin=key).stdout)
    assert (data["region_source"], data["region_verified"], data["key"]["verified"]) == (
        "assumed",
        False,
        False,
    )


def test_no_test_without_any_network_assumes_the_region_and_says_why(home: Path) -> None:
    key = new_key()
    args = ("setup", "--yes", "--no-test", "--key-stdin", "--shell", "bash", "--json")
    env = {"DASHSCOPE_SETUP_REGION_URLS": closed_port_urls(), "DASHSCOPE_SETUP_TIMEOUT": "2"}
    result = run_cli(home, *args, stdin=key, env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["region_source"], data["region_verified"]) == ("assumed", False)
    assert [w["id"] for w in data["warnings"]] == ["warn.region_unreachable"]
    assert "✓ Region" not in result.stderr


def test_no_test_with_the_wrong_region_names_the_right_one_and_writes_nothing(
    home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    before = snapshot(home)
    args = ("setup", "--yes", "--no-test", "--key-stdin", "--region", "cn-beijing", "--shell", "bash")
    result = cli(home, fake, *args, stdin=key)
    assert result.returncode == 3
    assert "belongs to US (Virginia)" in result.stderr
    assert "with --region us-east-1 in place of --region." in result.stderr
    assert snapshot(home) == before
    fixed = cli(home, fake, *[a if a != "cn-beijing" else "us-east-1" for a in args], stdin=key)
    assert fixed.returncode == 0, fixed.stderr


def test_a_401_in_the_given_region_names_the_keys_region(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-hongkong")
    args = ("setup", "--yes", "--key-stdin", "--region", "ap-southeast-1", "--shell", "bash", "--lang", "zh")
    result = cli(home, fake, *args, stdin=key)
    assert result.returncode == 3
    assert "属于中国香港" in result.stderr and "--region cn-hongkong" in result.stderr


def test_a_401_in_the_given_region_for_a_key_no_region_takes_says_just_that(
    home: Path, fake: FakeDashScope
) -> None:
    args = ("setup", "--yes", "--key-stdin", "--region", "cn-beijing", "--shell", "bash", "--json")
    result = cli(home, fake, *args, stdin=new_key())
    assert result.returncode == 3
    error = json.loads(result.stdout)["error"]
    assert error["id"] == "check.rejected_nowhere"
    assert "without --region" not in error["message"]  # no region would have found it


@pytest.mark.parametrize(
    ("key_region", "error_id"), [(None, "check.rejected_custom"), ("us-east-1", "check.key_belongs_flag")]
)
def test_a_401_at_a_custom_base_url(
    home: Path, fake: FakeDashScope, key_region: str | None, error_id: str
) -> None:
    """A custom endpoint (the fake's Beijing, by another host name): a key no region takes gets the
    message about workspace and plan endpoints; a key of a known region is sent there."""
    key = new_key()
    if key_region:
        fake.add_key(key, key_region)
    custom = fake.url("cn-beijing").replace("127.0.0.1", "localhost")
    args = ("setup", "--yes", "--key-stdin", "--base-url", custom, "--shell", "bash", "--json")
    result = cli(home, fake, *args, stdin=key)
    assert result.returncode == 3
    error = json.loads(result.stdout)["error"]
    assert error["id"] == error_id
    if key_region:
        assert f"--region {key_region} in place of --base-url." in error["message"]


def test_test_after_a_wrong_region_names_the_region_and_a_command_that_fixes_it(
    home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    # The README's first example, with a US key: the region is assumed (Beijing).
    setup = cli(home, fake, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=key)
    assert setup.returncode == 0, setup.stderr
    failed = cli(home, fake, "test")
    assert failed.returncode == 3
    assert "--region/--base-url" not in failed.stderr  # neither was passed
    assert "belongs to US (Virginia)" in failed.stderr
    printed = [
        line.strip() for line in failed.stderr.splitlines() if line.strip().startswith("dashscope-setup ")
    ]
    assert len(printed) == 1 and key not in printed[0]
    argv = shlex.split(printed[0])
    assert argv[:2] == ["dashscope-setup", "setup"] and "--key-stdin" not in argv
    fixed = cli(home, fake, *argv[1:])  # as printed, with no key on stdin: the stored one is reused
    assert fixed.returncode == 0, fixed.stderr
    again = cli(home, fake, "test", "--json")
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert (data["region"], data["key"]["source"]) == ("us-east-1", "stored")
    # The fix kept the shells of the first setup: only bash was asked for then.
    assert not (home / ".zshrc").exists()


def test_test_with_a_key_no_region_accepts_says_so_without_naming_flags(
    home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    assert (
        cli(home, fake, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=key).returncode
        == 0
    )
    result = cli(home, fake, "test", "--json")
    assert result.returncode == 3
    data = json.loads(result.stdout)
    assert data["error"]["id"] == "check.rejected_configured"
    assert "--region" not in data["error"]["message"]


# --- item 5: the summary states facts ------------------------------------------------------------


def test_a_rejected_key_has_a_cross_not_a_tick(home: Path, fake: FakeDashScope) -> None:
    result = cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin=new_key())
    assert result.returncode == 3
    key_line = lines_starting(result.stderr, "Key:")
    assert key_line and key_line[0].startswith("✗ ")


def test_dry_run_says_would_store_and_ticks_nothing_it_did_not_do(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    result = cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", "--dry-run", stdin=key)
    assert result.returncode == 0, result.stderr
    assert "✓ Stored in" not in result.stdout and "✓ Shells" not in result.stdout
    assert "• Would store in: ~/.dashscope/api_key" in result.stdout
    assert "✓ Live check" in result.stdout  # the check did run: that tick is earned


@pytest.mark.parametrize(
    ("how", "stdin", "extra_env", "expected", "source"),
    [
        ("--key-stdin", "KEY", {}, "from standard input", "stdin"),
        (
            "--use-env",
            "",
            {"DASHSCOPE_API_KEY": "KEY"},
            "from the environment variable DASHSCOPE_API_KEY",
            "env",
        ),
        ("--key-file", "", {}, "from the file ~/key.txt (--key-file)", "key-file"),
        (None, "", {}, "stored by an earlier setup in ~/.dashscope/api_key", "stored"),
    ],
)
def test_the_key_source_is_where_the_key_really_came_from(
    home: Path,
    fake: FakeDashScope,
    how: str | None,
    stdin: str,
    extra_env: dict[str, str],
    expected: str,
    source: str,
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    if how is None:  # an earlier setup stored it; this one is given no key at all
        first = cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin=key)
        assert first.returncode == 0, first.stderr
    (home / "key.txt").write_text(key + "\n")
    args = [
        "setup",
        "--yes",
        "--shell",
        "bash",
        *([how, str(home / "key.txt")] if how == "--key-file" else [how] if how else []),
    ]
    env = {k: v.replace("KEY", key) for k, v in extra_env.items()}
    result = cli(home, fake, *args, "-v", stdin=stdin.replace("KEY", key), **env)
    assert result.returncode == 0, result.stderr
    assert lines_starting(result.stdout, "Key:") == [
        f"✓ Key: {key[:3]}…{key[-4:]} (35 characters) {expected}"
    ]
    data = json.loads(cli(home, fake, *args, "--json", stdin=stdin.replace("KEY", key), **env).stdout)
    assert data["key"]["source"] == source


def test_save_anyway_is_named_only_when_the_flag_was_given(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error="Arrearage")
    args = ("setup", "--yes", "--key-stdin", "--shell", "bash", "--save-anyway")
    result = cli(home, fake, *args, stdin=key)
    assert result.returncode == 0, result.stderr
    assert "(--save-anyway)" in result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_this_terminal_only_never_claims_a_key_was_saved(home: Path, fake: FakeDashScope, lang: str) -> None:
    """`--scope session --save-anyway` after a failed check: the note says the lines were printed,
    and the last line says nothing was saved; before, the one contradicted the other."""
    from wizard.messages import t

    key = new_key()
    fake.add_key(key, "ap-southeast-1", account_error="Arrearage")
    before = snapshot(home)
    args = ("setup", "--yes", "--key-stdin", "--scope", "session", "--save-anyway", "--lang", lang)
    result = cli(home, fake, *args, stdin=key)
    assert result.returncode == 0, result.stderr
    prog = "dashscope-setup"
    saved = t(lang, "warn.saved_anyway", prog=prog).split("`")[0]
    printed = t(lang, "warn.session_anyway", prog=prog).split("`")[0]
    assert saved not in result.stdout and printed in result.stdout
    # A Singapore key needs its base URLs too: several lines, so "the lines above".
    assert t(lang, "next.session_only_lines") in result.stdout
    assert snapshot(home) == before


def test_this_terminal_only_with_one_line_says_the_line_above(home: Path) -> None:
    result = setup_cli(home, new_key(), "--scope", "session", "--region", "cn-beijing", "--lang", "en")
    assert result.returncode == 0, result.stderr
    session_lines = [line for line in result.stdout.splitlines() if line.startswith("    ")]
    assert len(session_lines) == 1, result.stdout
    assert "Run the line above in this terminal" in result.stdout


def test_an_inline_key_is_read_back_from_our_blocks_by_test_env_and_run(
    home: Path, fake: FakeDashScope
) -> None:
    """An inline key is only in the startup files: `test`, `env` and `run` read it back from our
    blocks, as `status` does (they refused, naming the file or keyring store), and say so when
    the blocks no longer hold one key."""
    from tests.conftest import require
    from wizard.messages import t

    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    args = ("setup", "--yes", "--key-stdin", "--store", "inline", "--shell", "bash", "--shell", "zsh")
    assert cli(home, fake, *args, stdin=key).returncode == 0
    tested = cli(home, fake, "test", "--lang", "en")
    assert tested.returncode == 0, tested.stderr
    assert "Singapore" in tested.stdout and key not in tested.stdout + tested.stderr
    printed = cli(home, fake, "env", "--shell", "bash")
    assert printed.returncode == 0, printed.stderr
    # The printed lines hold the key: bash reads them on stdin, never on its command line.
    loaded = subprocess.run(
        [require("bash"), "-s"], input=printed.stdout + '\nprintf %s "$DASHSCOPE_API_KEY" | sha256sum\n',
        capture_output=True, text=True, timeout=60, check=False, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert loaded.stdout.split()[0] == hashlib.sha256(key.encode()).hexdigest()
    ran = cli(
        home,
        fake,
        "run",
        "--",
        sys.executable,
        "-c",
        "import os; print(len(os.environ['DASHSCOPE_API_KEY']))",
    )
    assert ran.returncode == 0 and ran.stdout.strip() == str(len(key)), ran.stderr

    # A block whose key was changed by hand disagrees with the other: no one key, and it says so.
    bashrc = home / ".bashrc"
    bashrc.write_text(bashrc.read_text().replace(key, new_key()))
    refused = cli(home, fake, "test", "--lang", "en")
    assert refused.returncode == 9
    assert t("en", "err.inline_unreadable", prog="").split("`")[0] in refused.stderr


def test_a_server_error_is_not_called_a_request_to_slow_down(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    fake.add_fault("server_error", times=None)
    result = cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin=key)
    assert result.returncode == 7
    text = result.stdout + result.stderr
    assert "slow down" not in text
    assert "server error (HTTP 500); trying once more" in text
    assert "server error (HTTP 500, internal_error)" in text


def test_a_429_is_still_a_request_to_slow_down(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    fake.add_fault("error", code="limit_requests", times=1)
    result = cli(home, fake, "setup", "--yes", "--key-stdin", "--shell", "bash", stdin=key)
    assert result.returncode == 0, result.stderr
    assert "asked to slow down (HTTP 429)" in result.stdout


@pytest.mark.parametrize(
    ("pasted", "removed"),
    [
        ("export DASHSCOPE_API_KEY={key}", "export DASHSCOPE_API_KEY="),
        ("DASHSCOPE_API_KEY={key}", "DASHSCOPE_API_KEY="),
        ("set -gx DASHSCOPE_API_KEY {key}", "set -gx DASHSCOPE_API_KEY"),
    ],
)
def test_the_note_names_exactly_the_prefix_that_was_removed(
    home: Path, fake: FakeDashScope, pasted: str, removed: str
) -> None:
    key = new_key()
    args = ("setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", "--json")
    data = json.loads(cli(home, fake, *args, stdin=pasted.format(key=key)).stdout)
    assert [n["message"] for n in data["key"]["notes"]] == [f'Removed "{removed}" in front of the key.']


# --- item 6: setup --yes reuses the stored key ----------------------------------------------------


def test_setup_yes_without_a_key_reuses_the_stored_one_to_change_the_region(
    home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    first = cli(home, fake, "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash", stdin=key)
    assert first.returncode == 0, first.stderr
    assert fake.native_url("ap-southeast-1") not in (home / ".bashrc").read_text()
    again = cli(home, fake, "setup", "--yes", "--shell", "bash", "--json")  # nothing on stdin
    assert again.returncode == 0, again.stderr
    data = json.loads(again.stdout)
    assert (data["key"]["source"], data["key"]["source_store"]) == ("stored", "file")
    assert data["region"] == "ap-southeast-1"
    assert fake.native_url("ap-southeast-1") in (home / ".bashrc").read_text()
    assert (home / ".dashscope" / "api_key").read_text() == key + "\n"


def test_setup_yes_without_a_key_and_nothing_stored_is_a_usage_error(home: Path, fake: FakeDashScope) -> None:
    result = cli(home, fake, "setup", "--yes", "--shell", "bash")
    assert result.returncode == 2
    assert "no stored key" in result.stderr and "--key-stdin" in result.stderr
