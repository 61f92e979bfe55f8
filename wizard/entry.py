"""The console entry point, and the composition root: the one place that reads the real argv,
environment and streams. `--help` is answered here, before anything heavy is imported: the
overview is built from the command table and the catalogue alone, so `dashscope-setup --help`
costs about what Python's own start does. The real streams are prepared here, once, for any
encoding (cli/console.py).
"""

from __future__ import annotations

import os
import sys
from types import ModuleType


def main() -> int:
    """Ctrl-C while the modules load (a few hundred ms on a slow disk) ends quietly with 130, like
    one at a prompt, instead of a traceback; once a command runs, cli/run.py reports it.

    A Ctrl-C inside a C extension's import does not always surface as KeyboardInterrupt (the crash
    run saw `import ssl` fail with "TypeError: expected a message argument"), so the handler also
    notes that it ran: whatever escapes after it did is the interrupt's doing. One that lands while
    the handler is being put back (the run is over) is noted, not raised: it would escape as a
    traceback from the `finally` below."""
    restore = None
    interrupts: ModuleType | None = None
    try:
        import signal  # inside the try: a Ctrl-C can land in these imports too

        from wizard import interrupts as loaded

        interrupts = loaded
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, loaded.handler)
            restore = signal.default_int_handler
        return _main(sys.argv[1:])
    except BaseException as exc:
        if (interrupts is not None and interrupts.seen()) or _ctrl_c(exc):
            return 130
        raise
    finally:
        if interrupts is not None:
            interrupts.over()
        if restore is not None:
            signal.signal(signal.SIGINT, restore)


def _ctrl_c(exc: BaseException | None) -> bool:
    """A KeyboardInterrupt, or an error it caused: one landing in a class body while a module
    loads comes back as "RuntimeError: Error calling __set_name__" with the interrupt as cause."""
    for _ in range(8):
        if exc is None:
            return False
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _main(args: list[str]) -> int:
    from wizard.cli import console, parser

    console.prepare(sys.stdout, sys.stderr)
    if parser.wants_overview(args):
        from wizard.messages import detect_lang

        ui = None
        if sys.platform == "win32":  # Windows has no LANG: its display language says it
            from wizard.context import windows_ui_language

            ui = windows_ui_language()
        lang = console.fit_lang(detect_lang(parser.lang_flag(args), os.environ, ui), sys.stdout)
        sys.stdout.write(parser.overview(lang))
        return 0
    from wizard.cli.run import main as cli_main

    return cli_main(args)
