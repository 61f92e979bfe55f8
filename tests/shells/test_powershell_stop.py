"""A PowerShell profile may set `$ErrorActionPreference = 'Stop'` (or `$PSNativeCommandUseErrorActionPreference`)
before our block. Then Windows PowerShell 5.1 turns a native command's stderr, even redirected to
$null, into an error that ends the profile, and any cmdlet error (an unreadable key file, an empty one
giving `$null.Trim()`) does the same in every version. Our blocks therefore run everything that can
fail inside `try { } catch { }`.

No PowerShell runs here, so the check is on the parse tree (tree-sitter-powershell): every command
that can fail sits inside a try statement, and the block still parses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, needs_python
from wizard.shells import SHELLS

# Commands in our blocks that can raise: native programs, reading a file, running text.
CAN_FAIL = {"timeout", "secret-tool", "security", "dashscope-setup", "get-content", "invoke-expression"}
EXTRA = {"DASHSCOPE_HTTP_BASE_URL": "https://x"}


def parser() -> Any:
    try:
        import tree_sitter_powershell as tsp
        from tree_sitter import Language, Parser
    except ImportError:
        needs_python((3, 10), "tree-sitter-powershell")
        if IN_CI:
            pytest.fail("tree-sitter and tree-sitter-powershell are required in CI")
        pytest.skip("tree-sitter-powershell not installed")
    return Parser(Language(tsp.language()))


def unguarded(body: str) -> tuple[list[str], list[str]]:
    """(commands that can fail outside any try statement, parse errors)."""
    tree = parser().parse(body.encode())
    outside: list[str] = []
    errors: list[str] = []
    stack: list[tuple[Any, bool]] = [(tree.root_node, False)]
    while stack:
        node, in_try = stack.pop()
        if node.is_error or node.is_missing:
            errors.append(str(node))
        if node.type == "command":
            name = node.child_by_field_name("command_name")
            text = (name.text or b"").decode().lower() if name is not None else ""
            if text in CAN_FAIL and not in_try:
                outside.append(text)
        inside = in_try or node.type == "try_statement"
        stack.extend((child, inside) for child in node.children)
    return outside, errors


@pytest.mark.parametrize("kind", ["file", "keyring"])
def test_every_command_that_can_fail_is_inside_try(kind: str) -> None:
    ps = SHELLS["powershell"]
    body = (
        ps.file_block(Path("C:/Users/u/.dashscope/api_key"), EXTRA)
        if kind == "file"
        else ps.keyring_block(EXTRA)
    )
    outside, errors = unguarded(body)
    assert errors == []
    assert outside == []
    found, _ = unguarded(body.replace("try {", "if ($true) {"))
    assert found, "the check must see the commands it guards"  # proves the walk finds them
