"""The pieces every rendering module shares: how a path, a message and a region are shown, and
the marks that say how much was verified. Kept apart so render.py and render_status.py need not
import each other."""

from __future__ import annotations

from pathlib import Path

from wizard import regions
from wizard.messages import t
from wizard.report import Msg

OK, FAIL, WARN = "✓", "✗", "!"
PROG = "dashscope-setup"  # when the caller does not say how the tool was started
FACT = "•"  # a plain statement: nothing was verified about it


def short_path(path: str, home: Path | None) -> str:
    """A path under HOME as ~/…, as every report shows it."""
    return short(path, home)


def short(path: str, home: Path | None) -> str:
    if home is not None:
        try:
            return "~/" + Path(path).relative_to(home).as_posix()
        except ValueError:
            pass
    return path


def message(lang: str, m: Msg, prog: str = PROG) -> str:
    """A message with `{prog}` (the command that starts this tool, as it was started) filled in."""
    return t(lang, m.id, **{"prog": prog, **m.params})


def region_label(lang: str, region: str | None) -> str:
    if region in regions.REGIONS:
        return regions.REGIONS[region].name(lang)
    return t(lang, "region.custom")


def join(lang: str, items: list[str]) -> str:
    """Items as a list in a sentence, with the language's own separator."""
    return t(lang, "label.list_sep").join(items)
