"""Ownership: only `wizard/shells/` compares against a shell's name; everything else asks the shell
class (its files, history, syntax, aliases), so a fact about a shell lives in one place."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from tests.conftest import ROOT

SHELL_NAMES = frozenset({"bash", "zsh", "fish", "sh", "dash", "powershell", "pwsh", "cmd"})
OWNER = "wizard/shells/"
_COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)

# Comparisons in modules other people are reshaping now; each entry goes when its module asks the
# shell class instead. (file, the line's text)
KNOWN_OUTSIDE: frozenset[tuple[str, str]] = frozenset(
    {
        ("wizard/commands/setup.py", 'if ctx.os_name == "windows" and "powershell" in shell_names:'),
        ("wizard/commands/setup.py", 'if detected.shell.name == "powershell":'),
    }
)


def _is_shell_name(node: ast.AST) -> bool:
    """A shell-name string, or a tuple/list/set holding one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in SHELL_NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_shell_name(e) for e in node.elts)
    return False


def _is_part_kind(node: ast.AST, other: ast.AST) -> bool:
    """`part.kind == "cmd"`: a shellparse Part that is a command substitution, not CMD the shell."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "kind"
        and isinstance(other, ast.Constant)
        and other.value == "cmd"
    )


def _pattern_is_shell_name(pattern: ast.pattern) -> bool:
    if isinstance(pattern, ast.MatchValue):
        return _is_shell_name(pattern.value)
    if isinstance(pattern, ast.MatchOr):
        return any(_pattern_is_shell_name(p) for p in pattern.patterns)
    if isinstance(pattern, ast.MatchAs) and pattern.pattern is not None:
        return _pattern_is_shell_name(pattern.pattern)
    return False


def shell_name_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, text) of every ==, !=, in, not in and `match`/`case` against a shell name."""
    lines = source.splitlines()
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op, a, b in zip(node.ops, operands, operands[1:]):
                if not isinstance(op, _COMPARISONS):
                    continue
                if (_is_shell_name(a) and not _is_part_kind(b, a)) or (
                    _is_shell_name(b) and not _is_part_kind(a, b)
                ):
                    found.append((node.lineno, lines[node.lineno - 1].strip()))
                    break
        elif isinstance(node, ast.Match):
            found.extend(
                (case.pattern.lineno, lines[case.pattern.lineno - 1].strip())
                for case in node.cases
                if _pattern_is_shell_name(case.pattern)
            )
    return sorted(found)


def offending(root: Path) -> set[tuple[str, str]]:
    """Every shell-name comparison in `root/wizard` outside `wizard/shells/`."""
    out: set[tuple[str, str]] = set()
    for path in sorted((root / "wizard").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(OWNER):
            continue
        for _, text in shell_name_comparisons(path.read_text(encoding="utf-8")):
            out.add((rel, text))
    return out


def test_only_shells_compare_against_a_shell_name() -> None:
    new = offending(ROOT) - KNOWN_OUTSIDE
    assert not new, (
        "compare against a shell's name only inside wizard/shells/: give the shell class a method or "
        f"an attribute and ask it instead. Found: {sorted(new)}"
    )


def test_known_outside_lists_only_comparisons_that_still_exist() -> None:
    fixed = KNOWN_OUTSIDE - offending(ROOT)
    assert not fixed, f"these were fixed: remove them from KNOWN_OUTSIDE: {sorted(fixed)}"


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
        match name:
            case "zsh" | "fish":
                pass
            case "posix":
                pass
        fine = part.kind == "cmd" or family == "posix" or name == "other"
        """
    )
    assert [line for line, _ in shell_name_comparisons(source)] == [2, 4, 5, 6, 7, 8, 10]


def test_a_new_comparison_outside_shells_fails_and_one_inside_does_not(tmp_path: Path) -> None:
    bad = 'def f(shell: str) -> bool:\n    return shell == "zsh"\n'
    for module in ("wizard/shells/zsh_rules.py", "wizard/commands/new.py"):
        path = tmp_path / module
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bad, encoding="utf-8")
    assert offending(tmp_path) == {("wizard/commands/new.py", 'return shell == "zsh"')}
