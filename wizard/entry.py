"""The console entry point, and the composition root: the one place that reads the real argv,
environment and streams. `--help` is answered here, before anything heavy is imported: the
overview is built from the command table and the catalogue alone, so `dashscope-setup --help`
costs about what Python's own start does. The real streams are prepared here, once, for any
encoding (cli/console.py).
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    args = sys.argv[1:]
    from wizard.cli import console, parser

    console.prepare(sys.stdout, sys.stderr)
    if parser.wants_overview(args):
        from wizard.messages import detect_lang

        lang = console.fit_lang(detect_lang(parser.lang_flag(args), os.environ), sys.stdout)
        sys.stdout.write(parser.overview(lang))
        return 0
    from wizard.cli.run import main as cli_main

    return cli_main(args)
