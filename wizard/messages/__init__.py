"""Every user-facing sentence, in English and Chinese, behind one function: `t(lang, msg_id, **params)`.

The language is chosen in one place, `detect_lang`. The entries live in one data module per group
of id prefixes (err, warn, label, wiz, help, usage) or per topic (check, status, keyring, windows); they
are merged on the first `t()`, so importing this package costs nothing on the fast paths (`--help`
imports it before anything else). An id defined twice is a bug the merge refuses. Parameters
never carry the raw key.
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing would cost `--help` a few milliseconds.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

LANGS = ("zh", "en")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

Catalogue = dict[str, tuple[str, str]]


def detect_lang(flag: str | None, env: Mapping[str, str], ui_language: str | None = None) -> str:
    """The `--lang` value when it names a language, else the first locale variable set (zh* is
    Chinese), else the system's UI language (`Context.ui_language`: Windows has no LANG, its users
    choose a display language), else English."""
    if flag in LANGS:
        return flag
    for var in LOCALE_VARS:
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if ui_language:
        return "zh" if ui_language.lower().startswith("zh") else "en"
    return "en"


class DuplicateMessageError(ValueError):
    """Two catalogue modules define the same id: one of them would silently win."""


def merge(parts: Mapping[str, Catalogue]) -> Catalogue:
    """One catalogue from several (module name -> its entries); an id may be defined once only."""
    merged: Catalogue = {}
    owner: dict[str, str] = {}
    for name, entries in parts.items():
        for msg_id, texts in entries.items():
            if msg_id in owner:
                raise DuplicateMessageError(f"{msg_id} is defined in both {owner[msg_id]} and {name}")
            owner[msg_id] = name
            merged[msg_id] = texts
    return merged


_catalogue: Catalogue | None = None


def catalogue() -> Catalogue:
    """The merged catalogue, built on first use."""
    global _catalogue
    if _catalogue is None:
        from wizard.messages import (
            check,
            consumer,
            err,
            help,
            keyring,
            label,
            status,
            team,
            usage,
            warn,
            windows,
            wiz,
        )

        modules = (err, warn, label, wiz, help, check, status, keyring, windows, usage, consumer, team)
        _catalogue = merge({m.__name__: m.MESSAGES for m in modules})
    return _catalogue


def _entry(msg_id: str) -> tuple[str, str] | None:
    """`--help` needs only the help texts: until something else asks, they are read from their own
    module, so the overview does not load (and merge) the whole catalogue."""
    if _catalogue is None and msg_id.startswith("help."):
        from wizard.messages import help

        return help.MESSAGES.get(msg_id)
    return catalogue().get(msg_id)


def t(lang: str, msg_id: str, **params: Any) -> str:
    """The message in `lang` ("zh", else English). An unknown id or a missing parameter shows the
    id or the raw template rather than failing: the text is never worth a crash."""
    entry = _entry(msg_id)
    if entry is None:
        return msg_id
    template = entry[1] if lang == "zh" else entry[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
