"""Just enough of sh/bash/zsh and fish syntax to follow a startup file the way the shell does.

Pure functions over text: no I/O, and nothing from the rest of `wizard`. `status` uses the trees to
predict which line ends up defining DASHSCOPE_API_KEY; `migrate` uses the tokens to find the lines to
disable. Words keep their raw text (quotes included); `posix_parts` / `fish_parts` split a word into
literal and expanded pieces.

Anything outside the supported subset raises `ParseError`, which carries a line number only: the
text it failed on may be a secret.
"""

from __future__ import annotations

from wizard.shellparse.fish_lex import tokenize_fish
from wizard.shellparse.fish_parse import (
    FishBlock,
    FishCmd,
    FishIf,
    FishNode,
    flat_fish,
    parse_fish,
    walk_fish,
)
from wizard.shellparse.fish_variables import fish_universal
from wizard.shellparse.posix_lex import tokenize_posix
from wizard.shellparse.posix_parse import (
    AndOr,
    Case,
    For,
    FuncDef,
    Group,
    If,
    Loop,
    Node,
    Pipeline,
    Simple,
    flat_posix,
    parse_posix,
    walk_posix,
)
from wizard.shellparse.tokens import ParseError, Tok
from wizard.shellparse.words import Part, fish_parts, is_name, literal, posix_parts, split_assignment

__all__ = [
    "AndOr",
    "Case",
    "FishBlock",
    "FishCmd",
    "FishIf",
    "FishNode",
    "For",
    "FuncDef",
    "Group",
    "If",
    "Loop",
    "Node",
    "ParseError",
    "Part",
    "Pipeline",
    "Simple",
    "Tok",
    "fish_parts",
    "fish_universal",
    "flat_fish",
    "flat_posix",
    "is_name",
    "literal",
    "parse_fish",
    "parse_posix",
    "posix_parts",
    "split_assignment",
    "tokenize_fish",
    "tokenize_posix",
    "walk_fish",
    "walk_posix",
]
