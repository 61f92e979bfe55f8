"""The pages in docs/ point at code that exists: a file moved by a refactoring must take its links along."""

from __future__ import annotations

import re

from tests.conftest import ROOT

DOCS = ROOT / "docs"
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
_INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _targets(text: str) -> list[str]:
    """Link targets outside code: inline `[text](target)` and reference `[name]: target` links."""
    text = _CODE_SPAN.sub("", _FENCE.sub("", text))
    return _INLINE.findall(text) + _REFERENCE.findall(text)


def test_every_relative_link_in_docs_resolves_to_a_path_in_the_repo() -> None:
    pages = sorted(DOCS.glob("*.md"))
    assert pages, "docs/ has no pages"
    root = ROOT.resolve()
    broken: list[str] = []
    for page in pages:
        for target in _targets(page.read_text(encoding="utf-8")):
            if _SCHEME.match(target) or target.startswith("#"):
                continue  # a web address or an anchor in the same page
            path = target.split("#", 1)[0]
            resolved = (page.parent / path).resolve()
            if not resolved.is_relative_to(root) or not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, "links to nothing in the repository:\n" + "\n".join(broken)
