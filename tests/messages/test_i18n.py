"""One catalogue: every message in English and Chinese with the same placeholders, each id defined
once and every id the code uses defined."""

from __future__ import annotations

import importlib
import re
import string
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from wizard.messages import DuplicateMessageError, catalogue, detect_lang, merge, t


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


# --- one catalogue, merged from one module per group of id prefixes -----------------------------------


def test_merge_refuses_an_id_defined_twice() -> None:
    with pytest.raises(DuplicateMessageError, match=r"err\.same"):
        merge({"err": {"err.same": ("a", "甲")}, "wiz": {"err.same": ("b", "乙")}})


def test_every_catalogue_module_is_merged() -> None:
    """A module the merge leaves out would be dead text."""
    on_disk = {f"wizard.messages.{p.stem}" for p in (ROOT / "wizard" / "messages").glob("*.py")}
    on_disk.remove("wizard.messages.__init__")
    catalogue()
    assert {m for m in sys.modules if m.startswith("wizard.messages.")} == on_disk
    assert len(catalogue()) == sum(len(importlib.import_module(m).MESSAGES) for m in on_disk)


def _literal_ids() -> dict[str, str]:
    """Every string literal in wizard/ that looks like a message id -> a file using it. Ids built
    at run time (f"action.{action}") are not seen here."""
    prefixes = "|".join(sorted({msg_id.split(".")[0] for msg_id in catalogue()}))
    pattern = re.compile(rf"""["']((?:{prefixes})\.[A-Za-z0-9_.-]*[A-Za-z0-9_])["']""")
    found: dict[str, str] = {}
    for path in (ROOT / "wizard").rglob("*.py"):
        if "messages" in path.relative_to(ROOT / "wizard").parts:
            continue
        for msg_id in pattern.findall(path.read_text(encoding="utf-8")):
            if not msg_id.startswith("keyring.backends."):  # keyring's own module names
                found[msg_id] = str(path.relative_to(ROOT))
    return found


def test_every_message_id_used_in_the_code_is_in_the_catalogue() -> None:
    found = _literal_ids()
    assert len(found) > 200  # the scan itself works
    assert {msg_id: where for msg_id, where in found.items() if msg_id not in catalogue()} == {}


def test_unknown_id_and_missing_parameter_show_text_rather_than_fail() -> None:
    assert t("en", "no.such.id") == "no.such.id"
    assert t("en", "err.key_short").startswith("The key is only {length} characters long; it looks cut off")
    assert t("zh", "err.key_short", length=5).startswith("密钥只有 5 个字符，看起来被截断了")


def test_importing_the_package_loads_no_catalogue_module() -> None:
    """`--help` imports wizard.messages first; the entries are loaded on the first t() only."""
    code = "import sys, wizard.messages; print(sorted(m for m in sys.modules if m.startswith('wizard.messages.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_help_ids_live_in_the_help_module_only() -> None:
    """`--help` reads `help.*` ids from messages/help.py alone (it skips loading the catalogue):
    an id of that prefix anywhere else would go missing there."""
    from wizard.messages import catalogue, help

    assert all(msg_id.startswith("help.") for msg_id in help.MESSAGES)
    assert {i for i in catalogue() if i.startswith("help.")} == set(help.MESSAGES)
