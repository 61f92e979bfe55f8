"""Entry to the interactive wizard. The language is asked only when neither --lang nor the locale
says zh or en (LANG=C, nothing set), and before the rest of the wizard is imported, so it
appears about as fast as questionary itself can draw it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.ui.ask import Option, for_terminal

if TYPE_CHECKING:
    from wizard.context import Context
    from wizard.options import Options
    from wizard.report import Report
    from wizard.ui.progress import Progress


def run(ctx: Context, opts: Options, progress: Progress, lang: str) -> Report:
    if not ctx.can_prompt():
        from wizard.commands.decisions import not_interactive

        raise not_interactive(ctx)
    prompter = for_terminal(ctx, lang)
    if not _decided(ctx, opts):
        chosen = prompter.select(
            "wiz.language",
            [Option(code, prompter.say(f"wiz.lang_{code}")) for code in ("zh", "en")],
            default=lang,
        )
        prompter.lang = progress.lang = chosen
    from wizard.shells import detect

    prompter.params["prog"] = detect.command(ctx)
    from wizard.commands.setup import setup
    from wizard.ui import second_run
    from wizard.ui.wizard import WizardDecisions

    decisions = WizardDecisions(ctx, opts, prompter, progress)
    found = second_run.existing(ctx, opts)
    if found is not None:
        choice = second_run.choose(ctx, prompter, found)
        if choice == "keep":
            return second_run.keep(ctx, opts, progress)
        if choice == "remove":
            from wizard.ui import removal

            return removal.run(ctx, opts, progress, prompter.lang)
        config = found.config
        decisions.resume(found.key if choice == "change" else None, config.store.kind, list(config.shells))
    return setup(ctx, opts, progress, decisions)


def _decided(ctx: Context, opts: Options) -> bool:
    """--lang, or the first locale variable set (or the system's UI language) names zh or en."""
    from wizard.messages import LOCALE_VARS

    if opts.lang in ("zh", "en"):
        return True
    value = next((ctx.env[v] for v in LOCALE_VARS if ctx.env.get(v)), None) or ctx.ui_language() or ""
    return value.lower().startswith(("zh", "en"))
