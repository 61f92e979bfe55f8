"""The console entry point, and the composition root: the one place that reads the real argv,
environment and streams. `--help` is answered here, before anything heavy is imported: the
overview is built from the command table and the catalogue alone, so `dashscope-setup --help`
costs about what Python's own start does.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    """Ctrl-C while the modules load (a few hundred ms on a slow disk) ends quietly with 130, like
    one at a prompt, instead of a traceback; once a command runs, cli/run.py reports it."""
    try:
        return _main(sys.argv[1:])
    except KeyboardInterrupt:
        return 130


def _main(args: list[str]) -> int:
    from wizard.cli import parser

    if parser.wants_overview(args):
        from wizard.messages import detect_lang

        sys.stdout.write(parser.overview(detect_lang(parser.lang_flag(args), os.environ)))
        return 0
    from wizard.cli.run import main as cli_main

    return cli_main(args)
