"""Values that reach a user's file are one line of printable text (files.refuse_control).

A line break in a value once let our own marker lines into the block we write; every control
character is refused where the value enters: the key-file path, `--base-url`, the region override.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import make_ctx
from wizard import files, regions, stores
from wizard.errors import ExitCode, SetupError

CONTROL = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029"]
URL = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"


def refused(call: object) -> SetupError:
    with pytest.raises(SetupError) as exc_info:
        call()  # type: ignore[operator]
    assert exc_info.value.code == ExitCode.USAGE
    assert exc_info.value.msg_id == "err.control_char"
    return exc_info.value


@given(st.text(), st.sampled_from(CONTROL), st.text())
def test_every_control_character_is_refused_and_shown_escaped(head: str, c: str, tail: str) -> None:
    err = refused(lambda: files.refuse_control(head + c + tail, "X"))
    shown = err.params["value"]
    assert not any(ch in shown for ch in CONTROL)
    assert err.params["pos"] <= len(head) + 1


@given(st.text(st.characters(exclude_characters="".join(CONTROL), exclude_categories=("Cs",))))
def test_printable_text_passes_unchanged(value: str) -> None:
    assert files.refuse_control(value, "X") == value


def test_shown_escapes() -> None:
    assert files.shown("a\nb\tc\x1b[2J\u2028\x85") == "a\\nb\\tc\\x1b[2J\\u2028\\x85"
    assert files.shown("路径/中文 ok") == "路径/中文 ok"


@pytest.mark.parametrize("c", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_base_url_with_a_control_character_is_refused(c: str) -> None:
    err = refused(lambda: regions.endpoint_for(regions.DEFAULT_REGION, {}, f"{URL}{c}x"))
    assert err.params["name"] == "--base-url"


def test_base_url_surrounding_whitespace_is_still_stripped() -> None:
    assert regions.endpoint_for(regions.DEFAULT_REGION, {}, f" {URL}/\n").compatible_url == URL


@pytest.mark.parametrize("c", ["\n", "\r", "\x1b", "\u2028", "\x00"])
def test_region_override_with_a_control_character_is_refused(c: str) -> None:
    env = {regions.OVERRIDE_VAR: f"ap-southeast-1={URL}{c}# <<< dashscope-setup <<<"}
    err = refused(lambda: regions.region_urls(env))
    assert err.params["name"] == regions.OVERRIDE_VAR
    refused(lambda: regions.endpoint_for("ap-southeast-1", env))


@pytest.mark.parametrize("c", ["\n", "\r", "\t", "\x1b", "\x7f", "\u2029"])
def test_key_file_path_with_a_control_character_is_refused(home: Path, c: str) -> None:
    ctx = make_ctx(home, env={stores.KEY_FILE_VAR: f"~/key{c}# >>> dashscope-setup >>>"})
    err = refused(lambda: stores.default_key_file(ctx))
    assert err.params["name"] == stores.KEY_FILE_VAR
    refused(lambda: stores.create(ctx, stores.FILE))


def test_home_with_a_control_character_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "h\nome"
    odd.mkdir()
    err = refused(lambda: stores.default_key_file(make_ctx(odd)))
    assert err.params["name"] == "HOME"


def test_ordinary_key_file_paths_pass(home: Path) -> None:
    ctx = make_ctx(home, env={stores.KEY_FILE_VAR: "~/密钥 dir/api_key"})
    assert stores.default_key_file(ctx) == home / "密钥 dir" / "api_key"
    assert stores.default_key_file(make_ctx(home)) == home / ".dashscope" / "api_key"


def test_a_url_password_is_never_shown_in_the_control_character_message() -> None:
    with pytest.raises(SetupError) as exc_info:
        files.refuse_control("https://me:s3cret-pass@gw.example.com/v1\n", "--base-url")
    shown_value = exc_info.value.params["value"]
    assert "s3cret-pass" not in shown_value and "me:" not in shown_value
    assert shown_value == "https://***@gw.example.com/v1\\n"
