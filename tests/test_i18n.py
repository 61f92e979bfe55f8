"""Every user-facing message exists in English and Chinese, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from wizard.messages import catalogue, detect_lang


def fields(template: str) -> set[str]:
    """Placeholders, with a language's own variant (region_en / region_zh) counted as one."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return {n.removesuffix("_en").removesuffix("_zh") for n in names}


@pytest.mark.parametrize("msg_id", sorted(catalogue()))
def test_message_has_both_languages_with_the_same_placeholders(msg_id: str) -> None:
    en, zh = catalogue()[msg_id]
    assert en.strip() and zh.strip()
    assert fields(en) == fields(zh)


def test_chinese_text_is_really_chinese_where_it_differs() -> None:
    """A Chinese entry that is just the English again (or has no Han characters) is a missed translation."""
    untranslated = []
    for msg_id, (en, zh) in catalogue().items():
        words = "".join(literal for literal, *_ in string.Formatter().parse(zh))
        if en != zh and len(words) > 12 and not any("\u4e00" <= ch <= "\u9fff" for ch in words):
            untranslated.append(msg_id)
    assert untranslated == []


@pytest.mark.parametrize(
    ("flag", "env", "lang"),
    [
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ("en", {"LANG": "zh_TW.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_language_choice(flag: str | None, env: dict[str, str], lang: str) -> None:
    assert detect_lang(flag, env) == lang
