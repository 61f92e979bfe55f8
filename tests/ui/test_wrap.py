"""Wrapping to the terminal's width: at word boundaries in English, by display width in Chinese,
never inside a URL, a path or a command; and every catalogue text at 60 columns."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.messages import catalogue, t
from wizard.ui.wrap import width_of, wrap, wrap_line

PROG = "dashscope-setup"
URLS = [
    "https://modelstudio.console.alibabacloud.com/?tab=playground#/api-key",
    "https://bailian.console.aliyun.com/?tab=model#/api-key",
    "~/.dashscope/api_key",
    "/home/someone/.config/fish/config.fish",
]
# Tokens that must come out whole: a URL, a path, a flag.
TOKEN = re.compile(r"(?:https?://|~/|/)[\w./?#=&~:-]+|--[\w-]+", re.ASCII)

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.,:;()!?", min_size=1, max_size=14)
cjk = st.text(alphabet="密钥保存在哪里配置终端文件中国地域，。（）：", min_size=1, max_size=12)
# A command in running text, ended by its clause's punctuation.
COMMAND = f"{PROG} status --scrub-history"
piece = st.one_of(
    words, words, cjk, st.sampled_from(URLS), st.just(f"`{PROG} remove`"), st.just(COMMAND + ",")
)
sentences = st.lists(st.tuples(piece, st.sampled_from([" ", " ", ""])), min_size=1, max_size=30).map(
    lambda parts: "".join(p + s for p, s in parts).strip()
)


def _unbreakable(line: str) -> bool:
    """One token: nothing to break at (no space outside a command, no wide character
    but the punctuation that may not start or end a line)."""
    body = re.sub(r"`[^`]*`|" + re.escape(COMMAND), "x", line.strip())
    # A line's mark ("? ", "• "…) stays with its first token: "? https://…" is one unbreakable line.
    body = re.sub(r"^[✓✗!•?…-] ", "", body)
    if body[1:2] in set("，。）：:;,.!?)"):  # a character keeps the punctuation after it
        body = body[1:]
    body = body.strip("，。（）：")
    return " " not in body and not any(width_of(ch) == 2 for ch in body)


@given(text=sentences, width=st.integers(min_value=10, max_value=100))
def test_lines_fit_and_nothing_is_lost_or_split(text: str, width: int) -> None:
    out = wrap(text, width, (PROG,))
    lines = out.split("\n")
    # Wider than the line only when one token fills it (the terminal folds it, but it stays whole).
    for line in lines:
        if width_of(line) > width:
            assert _unbreakable(line), line
    # Joined, the pieces give back the text: only spaces became line breaks.
    assert "".join(out.split()) == "".join(text.split())
    ascii_words = [w for w in text.split() if all(width_of(c) == 1 for c in w)]
    for word in ascii_words:
        assert word in out, word
    for token in TOKEN.findall(text):
        assert any(token in line for line in lines), token
    if re.search(rf"(?:^| ){COMMAND}", text):  # a command that starts a word: one line holds it
        assert any(COMMAND in line for line in lines)


@given(text=st.text(alphabet="abc defg", max_size=200), width=st.integers(min_value=8, max_value=80))
def test_english_words_come_back_in_order(text: str, width: int) -> None:
    assert wrap(text, width).split() == text.split()


def test_a_url_is_never_broken_and_gets_a_line_of_its_own() -> None:
    text = f"No key yet? Create one here: {URLS[0]} (it is shown only once)."
    lines = wrap(text, 40).split("\n")
    assert URLS[0] in lines
    assert all(width_of(line) <= 40 for line in lines if line != URLS[0])


def test_chinese_is_wrapped_by_display_width_and_keeps_paths_whole() -> None:
    check = t("zh", "wiz.welcome_check_call", model="qwen-plus")
    keep = t("zh", "wiz.welcome_keep_file", path="~/.dashscope/api_key")
    text = t("zh", "wiz.welcome", prog=PROG, check=check, keep=keep)
    lines = wrap(text, 30, (PROG,)).split("\n")
    assert all(width_of(line) <= 30 for line in lines), lines
    assert any("~/.dashscope/api_key" in line for line in lines)
    assert any(f"`{PROG} remove`" in line for line in lines)
    assert not any(line.startswith(("，", "。", "）", "；")) for line in lines)


def test_a_command_after_a_colon_stays_whole() -> None:
    prog = "/home/me/.local/bin/python -m wizard"
    for lang in ("en", "zh"):
        text = t(lang, "next.remove", prog=prog)
        assert any(line.endswith(f"{prog} remove") for line in wrap(text, 30, (prog,)).split("\n"))


def test_continuation_lines_keep_the_indent_and_the_mark() -> None:
    lines = wrap_line("  ✓ " + "word " * 20, 30)
    assert lines[0].startswith("  ✓ word")
    assert all(line.startswith("    word") for line in lines[1:])


def test_lines_indented_four_spaces_are_commands_and_stay_as_they_are() -> None:
    command = (
        "    export DASHSCOPE_COMPATIBLE_BASE_URL='https://dashscope-intl.aliyuncs.com/compatible-mode/v1'"
    )
    assert wrap(command, 40) == command


def test_no_width_means_no_wrapping() -> None:
    text = "word " * 40
    assert wrap(text, 0) == text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_catalogue_text_fits_60_columns_without_splitting_a_word(lang: str) -> None:
    for msg_id in catalogue():
        try:
            text = t(lang, msg_id)
        except (KeyError, IndexError, ValueError):
            continue
        out = wrap(text, 60, (PROG,))
        assert "".join(out.split()) == "".join(text.split()), msg_id
        for word in text.split():
            if all(width_of(c) == 1 for c in word):
                assert word in out, (msg_id, word)
        for line in out.split("\n"):
            assert width_of(line) <= 60 or _unbreakable(line) or line.startswith("    "), (msg_id, line)
