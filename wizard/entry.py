"""The console entry point, and the composition root: the one place that reads the real argv,
environment and streams. `--help` is answered here, before anything heavy is imported: the
overview is built from the command table and the catalogue alone, so `dashscope-setup --help`
costs about what Python's own start does.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    args = sys.argv[1:]
    from wizard.cli import parser

    if parser.wants_overview(args):
        from wizard.messages import detect_lang

        ui = None
        if sys.platform == "win32":  # Windows has no LANG: its display language says it
            from wizard.context import windows_ui_language

            ui = windows_ui_language()
        sys.stdout.write(parser.overview(detect_lang(parser.lang_flag(args), os.environ, ui)))
        return 0
    from wizard.cli.run import main as cli_main

    return cli_main(args)
