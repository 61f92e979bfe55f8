"""Ownership: a fact lives in one place. Only `wizard/shells/` compares against a shell's name
(everything else asks the shell class: its files, history, syntax, aliases); only `wizard/stores/`
compares against a store kind (everything else asks the store); only `wizard/messages/` holds
user-facing text; no comment points at a file outside the repository."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

from tests.conftest import ROOT, needs_python

SHELL_NAMES = frozenset({"bash", "zsh", "fish", "sh", "dash", "powershell", "pwsh", "cmd"})
OWNER = "wizard/shells/"
STORE_KINDS = frozenset({"file", "keyring", "inline", "userenv"})
STORE_OWNER = "wizard/stores/"
_COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)
KNOWN_OUTSIDE: frozenset[tuple[str, str]] = frozenset(
    {
        ("wizard/commands/setup.py", 'if ctx.os_name == "windows" and "powershell" in shell_names:'),
        ("wizard/commands/setup.py", 'if detected.shell.name == "powershell":'),
    }
)


def _is_shell_name(node: ast.AST, names: frozenset[str] = SHELL_NAMES) -> bool:
    """One of `names` as a string, or a tuple/list/set holding one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in names
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_shell_name(e, names) for e in node.elts)
    return False


def _is_part_kind(node: ast.AST, other: ast.AST) -> bool:
    """`part.kind == "cmd"`: a shellparse Part that is a command substitution, not CMD the shell."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "kind"
        and isinstance(other, ast.Constant)
        and other.value == "cmd"
    )


# The match statement exists from Python 3.10 on (wizard/ cannot use it while it supports 3.9).
_MATCH = getattr(ast, "Match", None)


def _pattern_is_shell_name(pattern: ast.pattern, names: frozenset[str] = SHELL_NAMES) -> bool:
    if isinstance(pattern, ast.MatchValue):
        return _is_shell_name(pattern.value, names)
    if isinstance(pattern, ast.MatchOr):
        return any(_pattern_is_shell_name(p, names) for p in pattern.patterns)
    if isinstance(pattern, ast.MatchAs) and pattern.pattern is not None:
        return _pattern_is_shell_name(pattern.pattern, names)
    return False


def shell_name_comparisons(source: str, names: frozenset[str] = SHELL_NAMES) -> list[tuple[int, str]]:
    """(line, text) of every ==, !=, in, not in and `match`/`case` against one of `names`."""
    lines = source.splitlines()
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, a, b in zip(node.ops, operands, operands[1:]):
                if not isinstance(op, _COMPARISONS):
                    continue
                if (_is_shell_name(a, names) and not _is_part_kind(b, a)) or (
                    _is_shell_name(b, names) and not _is_part_kind(a, b)
                ):
                    found.append((node.lineno, lines[node.lineno - 1].strip()))
                    break
        elif _MATCH is not None and isinstance(node, _MATCH):
            found.extend(
                (case.pattern.lineno, lines[case.pattern.lineno - 1].strip())
                for case in node.cases
                if _pattern_is_shell_name(case.pattern, names)
            )
    return sorted(found)


def offending(root: Path, names: frozenset[str] = SHELL_NAMES, owner: str = OWNER) -> set[tuple[str, str]]:
    """Every comparison against one of `names` in `root/wizard` outside `owner`."""
    out: set[tuple[str, str]] = set()
    for path in sorted((root / "wizard").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(owner):
            continue
        for _, text in shell_name_comparisons(path.read_text(encoding="utf-8"), names):
            out.add((rel, text))
    return out


def test_only_shells_compare_against_a_shell_name() -> None:
    found = offending(ROOT)
    assert not found, (
        "compare against a shell's name only inside wizard/shells/: give the shell class a method or "
        f"an attribute and ask it instead. Found: {sorted(found)}"
    )


def test_only_stores_compare_against_a_store_kind() -> None:
    found = offending(ROOT, STORE_KINDS, STORE_OWNER)
    assert not found, (
        "compare against a store kind only inside wizard/stores/: give the Store protocol a method or "
        f"an attribute and ask the store instead. Found: {sorted(found)}"
    )


def test_the_check_finds_every_form_of_comparison() -> None:
    source = textwrap.dedent(
        """
        if shell == "bash":
            pass
        ok = name != "pwsh"
        both = family in ("zsh", "fish")
        listed = "sh" in [x, y]
        sets = name not in {"cmd", "dash"}
        chained = a < b == "powershell"
        fine = part.kind == "cmd" or family == "posix" or name == "other"
        """
    )
    assert [line for line, _ in shell_name_comparisons(source)] == [2, 4, 5, 6, 7, 8]


def test_the_check_finds_match_case_comparisons() -> None:
    needs_python((3, 10), "the match statement")
    source = textwrap.dedent(
        """
        match name:
            case "zsh" | "fish":
                pass
            case "posix":
                pass
        """
    )
    assert [line for line, _ in shell_name_comparisons(source)] == [3]


def test_a_new_comparison_outside_shells_fails_and_one_inside_does_not(tmp_path: Path) -> None:
    bad = 'def f(shell: str) -> bool:\n    return shell == "zsh"\n'
    for module in ("wizard/shells/zsh_rules.py", "wizard/commands/new.py"):
        path = tmp_path / module
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bad, encoding="utf-8")
    assert offending(tmp_path) == {("wizard/commands/new.py", 'return shell == "zsh"')}


def test_a_store_kind_comparison_outside_stores_fails(tmp_path: Path) -> None:
    path = tmp_path / "wizard" / "commands" / "new.py"
    path.parent.mkdir(parents=True)
    path.write_text('if state.store == "keyring":\n    pass\n', encoding="utf-8")
    assert offending(tmp_path, STORE_KINDS, STORE_OWNER) == {
        ("wizard/commands/new.py", 'if state.store == "keyring":')
    }


# --- user-facing text -------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Not text for the user: the official guide's test prompt, sent to the model word for word.
TEXT_ALLOWED = {("wizard/check/call.py", 'USER_PROMPT = "你是谁？"')}


def chinese_text_outside_messages(root: Path) -> set[tuple[str, str]]:
    """Every line of code outside wizard/messages/ with Chinese in a string or comment: one sign of
    user text living outside the catalogue (English text cannot be told from identifiers so simply;
    the catalogue tests check that every message id used exists)."""
    out: set[tuple[str, str]] = set()
    for path in sorted((root / "wizard").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("wizard/messages/"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if _CJK.search(line):
                out.add((rel, line.strip()))
    return out - TEXT_ALLOWED


def test_only_messages_hold_user_text() -> None:
    found = chinese_text_outside_messages(ROOT)
    assert not found, f"user-facing text belongs in wizard/messages/ (both languages): {sorted(found)}"


def test_text_outside_messages_is_found(tmp_path: Path) -> None:
    path = tmp_path / "wizard" / "ui" / "new.py"
    path.parent.mkdir(parents=True)
    path.write_text('LABEL = "完成"\nOK = "done"\n', encoding="utf-8")
    assert chinese_text_outside_messages(tmp_path) == {("wizard/ui/new.py", 'LABEL = "完成"')}


# --- no pointers outside the repository -----------------------------------------------------------

_OUTSIDE = re.compile(
    r"product\.md|facts/|facts\.md|\.\./shared|(?<![\w/])(?:shells|dashscope|peers)\.md\s*§"
)


def pointers_outside(root: Path) -> set[tuple[str, str]]:
    """Comments and docstrings that send the reader to a file the repository does not contain."""
    out: set[tuple[str, str]] = set()
    for path in sorted((root / "wizard").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for line in path.read_text(encoding="utf-8").splitlines():
            if _OUTSIDE.search(line):
                out.add((rel, line.strip()))
    return out


def test_no_comment_points_outside_the_repository() -> None:
    found = pointers_outside(ROOT)
    assert not found, f"say the fact, or point into docs/: {sorted(found)}"


def test_a_pointer_outside_is_found(tmp_path: Path) -> None:
    path = tmp_path / "wizard" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text(
        '"""The region table (facts/dashscope.md §1)."""\n# see docs/dashscope.md\n', encoding="utf-8"
    )
    assert pointers_outside(tmp_path) == {("wizard/x.py", '"""The region table (facts/dashscope.md §1)."""')}
