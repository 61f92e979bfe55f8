"""The check's message catalogue agrees with the exit-code table and is complete in both languages."""

from __future__ import annotations

import re
import string

import pytest

from wizard.check import EXIT_CODES
from wizard.messages.check import MESSAGES, render

CJK = re.compile(r"[\u4e00-\u9fff]")


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("msg_id", sorted(EXIT_CODES))
def test_every_diagnosis_has_a_message(msg_id: str) -> None:
    assert msg_id in MESSAGES


@pytest.mark.parametrize("msg_id", sorted(MESSAGES))
def test_english_and_chinese_use_the_same_params(msg_id: str) -> None:
    en, zh = MESSAGES[msg_id]
    # The language-specific region/list names are the one intended difference.
    normalise = lambda names: {n.removesuffix("_en").removesuffix("_zh") for n in names}  # noqa: E731
    assert normalise(fields(en)) == normalise(fields(zh))


@pytest.mark.parametrize("msg_id", sorted(MESSAGES))
def test_chinese_text_is_chinese(msg_id: str) -> None:
    assert CJK.search(MESSAGES[msg_id][1])


@pytest.mark.parametrize("msg_id", sorted(MESSAGES))
def test_english_uses_only_english_region_names(msg_id: str) -> None:
    assert not any(name.endswith("_zh") for name in fields(MESSAGES[msg_id][0]))


@pytest.mark.parametrize("msg_id", sorted(MESSAGES))
def test_no_message_suggests_disabling_verification(msg_id: str) -> None:
    text = " ".join(MESSAGES[msg_id]).lower()
    assert "--insecure" not in text and "verify=false" not in text


def test_stage_and_summary_messages_have_no_exit_code() -> None:
    extra = set(MESSAGES) - set(EXIT_CODES)
    assert extra == {
        "check.ok",
        "check.skipped",
        "check.request_id",
        "check.stage.probing",
        "check.stage.calling",
        "check.stage.retrying",
        "check.stage.retrying_server",
    }


def test_render_appends_request_id_line_in_chinese() -> None:
    text = render("check.skipped", {}, "zh", request_id="abc-123")
    assert text.endswith("请求 ID（联系技术支持时请提供）：abc-123")


def test_render_defaults_to_english() -> None:
    assert render("check.skipped", {}, "fr").startswith("Live check skipped")
