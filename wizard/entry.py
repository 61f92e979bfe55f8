"""The console entry point. Answers `--help` before anything heavy is imported: the
overview is static text, so `dashscope-setup --help` costs about what Python's own start does."""

from __future__ import annotations

import os
import sys


def _lang(args: list[str]) -> str:
    # The composition root may look at the real environment; everything below gets a Context.
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "zh" if args[i + 1] == "zh" else "en"
        if arg.startswith("--lang="):
            return "zh" if arg.endswith("=zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] in ("-h", "--help") and len([a for a in args if not a.startswith("--lang")]) <= 2:
        from wizard.cli.helptext import overview

        sys.stdout.write(overview(_lang(args)))
        return 0
    from wizard.cli.run import main as cli_main

    return cli_main(args)
