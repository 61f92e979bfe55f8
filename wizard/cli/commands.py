"""The one list of commands: name -> where its function lives, its help texts, its options.

The parser, the static `--help` overview and the dispatch are all built from `COMMANDS`, so a
command is added in one place. Functions are imported only when their command runs (importlib),
which keeps `--help`, `snippet` and `env` free of questionary, httpx and keyring. Plain classes
rather than dataclasses or NamedTuple: this module is on the `--help` path, and importing
dataclasses or typing would cost more than printing the overview.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from wizard.report import Report


class Command:
    """A command: `target` is "module:function", called as f(ctx, opts) or, when `progress` is
    set, f(ctx, opts, progress). `interactive` is the wizard that asks instead, used unless
    --yes: f(ctx, opts, progress, lang). `options` names groups of options the parser knows, in the
    order `COMMAND --help` lists them."""

    __slots__ = ("exit_id", "help_id", "interactive", "name", "options", "progress", "summary_id", "target")

    def __init__(
        self,
        name: str,
        target: str,
        *,
        options: tuple[str, ...] = (),
        progress: bool = False,
        interactive: str | None = None,
    ) -> None:
        self.name = name
        self.target = target
        self.options = options
        self.progress = progress
        self.interactive = interactive
        self.help_id = f"help.cmd.{name}"  # argparse's text for `COMMAND --help`
        self.summary_id = f"help.summary.{name}"  # its line in the overview
        self.exit_id = f"help.exit.{name}"  # its exit codes, under `COMMAND --help`

    def load(self, *, ask: bool = False) -> Callable[..., Report]:
        """The function to call: the wizard when `ask` and the command has one."""
        import importlib

        module, _, function = (self.interactive if ask and self.interactive else self.target).partition(":")
        return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "setup",
            "wizard.commands.setup:setup",
            progress=True,
            interactive="wizard.ui.interactive:run",
            options=(
                "key-source",
                "endpoint",
                "shell",
                "scope",
                "store",
                "model",
                "no-test",
                "offline",
                "save-anyway",
                "dry-run",
                "scrub-history",
                "disable-foreign",
                "consumers",
                "yes",
            ),
        ),
        Command("test", "wizard.commands.test:test", progress=True, options=("endpoint", "model")),
        Command(
            "status",
            "wizard.commands.status:status",
            progress=True,
            options=("check", "live", "scrub-history", "model"),
        ),
        Command(
            "snippet",
            "wizard.commands.snippet:snippet",
            options=("shell", "scope", "snippet-store", "endpoint"),
        ),
        Command(
            "samples",
            "wizard.commands.samples:samples",
            options=("sample-language", "endpoint", "model"),
        ),
        Command("env", "wizard.commands.env:env", options=("env-shell",)),
        Command("run", "wizard.commands.env:run", options=("argv",)),
        Command(
            "remove",
            "wizard.commands.remove:remove",
            interactive="wizard.ui.removal:run",
            options=("dry-run", "yes"),
        ),
        Command("completion", "wizard.cli.completion:completion", options=("completion-shell",)),
    )
}

DEFAULT = "setup"  # `dashscope-setup [OPTIONS]` means `dashscope-setup setup [OPTIONS]`
