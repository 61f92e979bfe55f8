"""The wizard: the Decisions of the one setup flow (commands/setup.py), answered by asking.

Order: what will happen -> shells -> key -> region (probe) -> store -> scope -> summary (diff on
request) -> live call -> write -> history -> what now. Nothing is written before the user confirms
and the live call succeeds (or they choose to save anyway). Ctrl-C or Esc at any question:
KeyboardInterrupt, which cli/run.py turns into exit 130 and "nothing was changed".
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import keys, regions, stores
from wizard.commands.decisions import NextStep, Stage
from wizard.commands.plan import SetupPlan
from wizard.context import Context
from wizard.errors import SetupError
from wizard.options import Options
from wizard.report import Msg
from wizard.shells import KEY_VAR, SHELLS
from wizard.ui.progress import Progress
from wizard.ui.prompter import Option, Prompter

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.shells.detect import Detected

AUTO = "auto"
CUSTOM = "custom"


class WizardDecisions:
    asks = True

    def __init__(self, ctx: Context, opts: Options, prompter: Prompter, progress: Progress) -> None:
        self.ctx = ctx
        self.opts = opts
        self.ask = prompter
        self.progress = progress

    @property
    def lang(self) -> str:
        return self.ask.lang

    def say(self, msg_id: str, **params: Any) -> None:
        self.ctx.stdout.write(self.ask.say(msg_id, **params) + "\n")
        self.ctx.stdout.flush()

    def line(self, text: str = "") -> None:
        self.ctx.stdout.write(text + "\n")
        self.ctx.stdout.flush()

    def start(self, detected: Detected, warnings: list[Msg]) -> None:
        self.line()
        self.say("wiz.welcome")
        self.say(
            "wiz.detected",
            os=self.ask.say(f"os.{detected.os.name}"),
            shell=SHELLS[detected.shell.name].display,
        )
        if detected.os.wsl:
            self.say("warn.wsl")

    # --- the questions -------------------------------------------------------------------------

    def shells(self, detected: Detected) -> list[str]:
        options = []
        for name, shell in SHELLS.items():
            if not shell.has_startup_file:
                continue
            installed = name in detected.installed or name == detected.shell.name
            label = shell.display
            if name == detected.shell.name:
                label += "  " + self.ask.say("wiz.current")
            disabled = None if installed else self.ask.say("wiz.not_installed")
            checked = installed and (shell.auto or name == detected.shell.name)
            options.append(Option(name, label, disabled=disabled, checked=checked))
        chosen: list[str] = self.ask.checkbox("wiz.shells", options)
        return chosen

    def existing_key(self) -> tuple[str, str] | None:
        value = self.ctx.env.get(KEY_VAR, "").strip()
        if value:
            return value, "env"
        from wizard.commands import env as keyenv

        with contextlib.suppress(SetupError):
            stored, _extra = keyenv.stored_key(self.ctx)
            return stored, "stored"
        return None

    def key(self, *, reuse: bool) -> tuple[keys.Key, str]:
        existing = self.existing_key() if reuse else None
        if existing is not None:
            value, where = existing
            with contextlib.suppress(SetupError):
                found = keys.validate(value)
                reuse = self.ask.select(
                    "wiz.key_existing",
                    [
                        Option(
                            True, self.ask.say(f"wiz.key_reuse_{where}", mask=found.mask, length=found.length)
                        ),
                        Option(False, self.ask.say("wiz.key_replace")),
                    ],
                    default=True,
                )
                if reuse:
                    return found, where
        self.line()
        self.say("wiz.key_hint")
        for rid in regions.SHARED_REGION_IDS:
            r = regions.REGIONS[rid]
            self.line(f"    {r.name(self.lang)}: {r.console_url}")

        def problem(text: str) -> str | None:
            try:
                keys.validate(text)
            except SetupError as exc:
                return self.ask.say(exc.msg_id, **exc.params)
            return None

        raw = self.ask.secret("wiz.key_prompt", problem)
        key = keys.validate(raw)
        self.say("wiz.key_received", mask=key.mask, length=key.length)
        for note in key.notes:
            self.line("    " + self.ask.say(note, prefix=key.removed_prefix))
        if key.kind == "coding-plan":
            self.say("warn.coding_plan")
        return key, "prompt"

    def region(self, key: keys.Key) -> tuple[regions.Endpoint | None, str]:
        options = [Option(AUTO, self.ask.say("wiz.region_auto"))]
        options += [Option(rid, regions.REGIONS[rid].name(self.lang)) for rid in regions.SHARED_REGION_IDS]
        options.append(Option(CUSTOM, self.ask.say("wiz.region_custom")))
        choice = self.ask.select("wiz.region", options, default=AUTO)
        if choice == CUSTOM:

            def problem(text: str) -> str | None:
                try:
                    regions.endpoint_for(regions.DEFAULT_REGION, self.ctx.env, text)
                except SetupError as exc:
                    return self.ask.say(exc.msg_id, **exc.params)
                return None

            url = self.ask.text("wiz.base_url", problem)
            return regions.endpoint_for(regions.DEFAULT_REGION, self.ctx.env, url), "base-url"
        if choice != AUTO:
            return regions.endpoint_for(choice, self.ctx.env), "chosen"
        return None, "detected"

    def region_found(self, endpoint: regions.Endpoint) -> None:
        self.say("wiz.region_found", region=regions.REGIONS[endpoint.region].name(self.lang))

    def keyring_option(self) -> Option:
        """Offered only when a probe (bounded by a timeout) found a working keyring; otherwise
        shown disabled with the reason."""
        from wizard.stores import keyring as keyring_store

        status = keyring_store.probe(self.ctx)
        why = status.short_id or status.reason_id or ""
        reason = None if status.available else self.ask.say(why, **status.params)
        return Option("keyring", self.ask.say("wiz.store_keyring"), disabled=reason)

    def store(self) -> str:
        # The honest trade-offs are printed (and wrap on narrow terminals); the menu stays short.
        self.line()
        kinds = (
            ("userenv", "file", "keyring", "inline")
            if self.ctx.os_name == "windows"
            else ("file", "keyring", "inline")
        )
        for kind in kinds:
            label, why = self.ask.say(f"wiz.store_{kind}"), self.ask.say(f"wiz.store_{kind}_why")
            self.line("  • " + self.ask.say("wiz.store_line", label=label, why=why))
        options = [
            Option("file", self.ask.say("wiz.store_file")),
            self.keyring_option(),
            Option("inline", self.ask.say("wiz.store_inline")),
        ]
        if self.ctx.os_name == "windows":
            options.insert(0, Option("userenv", self.ask.say("wiz.store_userenv")))
        chosen: str = self.ask.select("wiz.store", options, default=stores.default_kind(self.ctx))
        return chosen

    def scope(self) -> str:
        chosen: str = self.ask.select(
            "wiz.scope",
            [
                Option("persistent", self.ask.say("wiz.scope_persistent")),
                Option("session", self.ask.say("wiz.scope_session")),
            ],
            default="persistent",
        )
        return chosen

    def confirm(self, plan: SetupPlan) -> bool:
        from wizard.ui import render

        self.line()
        self.say("wiz.summary")
        for change in plan.planned_changes():
            # Not a dry run: these changes WILL be made once the user says so.
            planned = dataclasses.replace(change, action=change.action.replace("would-", "will-"))
            self.line("  " + render.change_line(self.lang, planned, self.ctx.home))
        for warning in plan.warnings:
            self.line("  ! " + self.ask.say(warning.id, **warning.params))
        while True:
            action = self.ask.select(
                "wiz.confirm",
                [
                    Option("write", self.ask.say("wiz.confirm_write")),
                    Option("diff", self.ask.say("wiz.confirm_diff")),
                    Option("quit", self.ask.say("wiz.confirm_quit")),
                ],
                default="write",
            )
            if action == "write":
                return True
            if action == "quit":
                return False
            for f in plan.files:
                if f.diff:
                    self.line(f.diff.rstrip("\n"))

    def yes_no(self, msg_id: str, default: bool, **params: Any) -> bool:
        answer: bool = self.ask.select(
            msg_id,
            [Option(True, self.ask.say("wiz.yes")), Option(False, self.ask.say("wiz.no"))],
            default=default,
            **params,
        )
        return answer

    def disable_foreign(self, foreign: list[Any]) -> bool:
        """Hand-made exports (from following the guide) would shadow or contradict the new setup."""
        self.line()
        self.say("migrate.found")
        for f in foreign:
            msg = "migrate.item_dynamic" if f.key is None else "migrate.item"
            mask = f.key.mask if f.key else ""
            self.line("  " + self.ask.say(msg, path=str(f.path), line=f.line, mask=mask))
        return self.yes_no("migrate.ask", True)

    def scrub_history(self, findings: list[Any]) -> bool:
        self.line()
        self.say("history.found", count=len(findings))
        for f in findings:
            lines = ", ".join(str(n) for n in f.lines)
            self.line(
                "  " + self.ask.say("history.item", path=str(f.path), lines=lines, masks=", ".join(f.masks))
            )
        return self.yes_no("history.ask_scrub", True)

    def delete_old_key_file(self, path: Path) -> bool:
        self.line()
        return self.yes_no("wiz.delete_old_key_file", True, path=str(path))

    def checking(self, done: bool) -> None:
        self.line()

    def after_failure(self, result: CheckResult | None, *, stage: Stage, can_save: bool) -> NextStep:
        """Show a failed check inside the flow and let the user decide what happens next. Saving
        anyway is offered only after the test call: a failed probe has not even found a region."""
        from wizard.messages import check as messages_check

        message = (
            messages_check.render(result.msg_id, result.params, self.lang, request_id=result.request_id)
            if (result is not None and result.msg_id)
            else self.ask.say("check.network_error", detail="—", host="—")
        )
        self.line("✗ " + message.replace("\n", "\n  "))
        options = [
            Option("key", self.ask.say("wiz.fail_key")),
            Option("region", self.ask.say("wiz.fail_region")),
        ]
        if can_save and stage == "call":
            options.append(Option("save", self.ask.say("wiz.fail_save")))
        options.append(Option("quit", self.ask.say("wiz.fail_quit")))
        step: NextStep = self.ask.select("wiz.fail_what", options, default="key")
        return step
