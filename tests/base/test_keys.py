from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.errors import ExitCode, SetupError
from wizard.keys import mask, normalise, validate

KEY = "sk-0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("raw", "notes"),
    [
        (KEY, ()),
        (f"  {KEY}\n", ("note.stripped_whitespace",)),
        (f"'{KEY}'", ("note.stripped_quotes",)),
        (f'"{KEY}"', ("note.stripped_quotes",)),
        (f"“{KEY}”", ("note.stripped_quotes",)),
        (f"export DASHSCOPE_API_KEY={KEY}", ("note.stripped_assignment",)),
        (f"DASHSCOPE_API_KEY='{KEY}'", ("note.stripped_assignment", "note.stripped_quotes")),
    ],
)
def test_paste_artifacts_are_removed_and_reported(raw: str, notes: tuple[str, ...]) -> None:
    key = validate(raw)
    assert key.value == KEY
    assert key.notes == notes


def test_workspace_key_with_dots_and_underscores_is_accepted() -> None:
    long_key = "sk-ws-" + "Ab3._-" * 30
    assert validate(long_key).kind == "workspace"


def test_coding_plan_key_is_recognised() -> None:
    assert validate("sk-sp-0123456789abcdef0123456789ab").kind == "coding-plan"


@pytest.mark.parametrize(
    ("raw", "msg_id"),
    [
        ("", "err.key_empty"),
        ("   ", "err.key_empty"),
        ("sk-abc\ndef0123456789abcdef", "err.key_multiline"),
        ("sk-abc def0123456789abcdef", "err.key_space"),
        ("sk-abc\u3000def0123456789abcdef", "err.key_space"),
        ("sk-abcé0123456789abcdef0000", "err.key_nonascii"),
        ("pk-0123456789abcdef0123456789abcdef", "err.key_prefix"),
        ("sk-" + "a" * 600, "err.key_long"),
        ("sk-abc", "err.key_short"),
        ("sk-abc$def0123456789abcdef", "err.key_chars"),
        ("st-0123456789abcdef0123456789abcdef", "err.key_temporary"),
    ],
)
def test_invalid_keys_give_a_reason(raw: str, msg_id: str) -> None:
    with pytest.raises(SetupError) as info:
        validate(raw)
    assert info.value.code == ExitCode.USAGE
    assert info.value.msg_id == msg_id


def test_temporary_token_allowed_for_a_session() -> None:
    assert validate("st-0123456789abcdef0123456789abcdef", persistent=False).value.startswith("st-")


def test_mask_shows_prefix_and_last_four_only() -> None:
    assert mask(KEY) == "sk-…cdef"
    assert "short" not in mask("short")


def test_key_repr_and_str_never_show_the_value() -> None:
    key = validate(KEY)
    assert KEY not in repr(key)
    assert KEY not in str(key)
    assert KEY not in f"{key}"


@given(st.text(max_size=80))
def test_errors_never_carry_the_input(raw: str) -> None:
    try:
        validate(raw)
    except SetupError as exc:
        rendered = repr(exc) + str(exc) + repr(exc.params)
        stripped = normalise(raw)[0]
        if len(stripped) >= 6:
            assert stripped not in rendered


def test_a_bare_prefix_is_too_short_not_an_internal_error() -> None:
    """Found by hypothesis: "sk-" matched no rule and ended in StopIteration (exit 1)."""
    with pytest.raises(SetupError) as exc_info:
        validate("sk-")
    assert exc_info.value.msg_id == "err.key_short"
