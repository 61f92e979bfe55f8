"""The wizard: the Decisions of the one setup flow (commands/setup.py), answered by asking.

Order: key -> region (probe) and live call -> one summary with the defaults (shells this user
uses, key file, every new terminal, hand-made exports and history entries) -> Go ahead / Change…
/ Show the diff / Quit -> write -> what now. Three answers on a first run; anything else is asked
only when detection fails or the user chooses Change…. Nothing is written before the user
confirms and the live call succeeds (or they choose to save anyway). Ctrl-C or Esc at any question:
KeyboardInterrupt, which cli/run.py turns into exit 130 and "nothing was changed".

At about 460 lines: it is one Decisions implementation, one method per question the flow can ask;
the second-run screen and the failure menus already live in their own modules.
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import keys, regions, stores
from wizard.commands.decisions import NextStep, Stage, Verdict
from wizard.commands.plan import SetupPlan
from wizard.context import Context
from wizard.errors import SetupError
from wizard.options import Options
from wizard.report import Msg
from wizard.shells import KEY_VAR, SHELLS
from wizard.ui import welcome
from wizard.ui.ask import Option, Prompter, columns
from wizard.ui.progress import Progress
from wizard.ui.wrap import wrap

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
        self._shells: list[str] | None = None  # None: the defaults; else what the user chose
        self._store: str | None = None
        self._scope = opts.scope
        self._disable = True  # comment out hand-made exports (a default shown in the summary)
        self._scrub = True  # remove history entries holding the key (likewise)
        self._key: keys.Key | None = None
        self._endpoint: regions.Endpoint | None = None
        self._ask_region = False  # after "pick another region": ask instead of detecting
        self._checked: str | None = None  # "ok" or "failed" once the live call has answered
        self._proven = False  # the probe found the key's region (whatever the test call says)
        self._reuse = True  # False: a second run chose "Replace the key"
        self._open_change = False  # True: a second run chose "Change…": open it at the first summary
        self._preset: keys.Key | None = None  # a second run's stored key, used without asking
        self._foreign: list[Any] = []

    @property
    def lang(self) -> str:
        return self.ask.lang

    def say(self, msg_id: str, **params: Any) -> None:
        self.line(self.ask.say(msg_id, **params))

    def line(self, text: str = "", *, verbatim: bool = False, prose: bool = False) -> None:
        """`text` wrapped to the terminal's width at word boundaries, unless it is verbatim.
        `prose`: an indented line that is text, not a command, is wrapped too."""
        if not verbatim:
            text = wrap(text, columns(self.ctx.stdout), (self.ask.params.get("prog", ""),), prose=prose)
        self.ctx.stdout.write(text + "\n")
        self.ctx.stdout.flush()

    def start(self, detected: Detected, warnings: list[Msg]) -> None:
        if self._reuse:  # not on a second run: its screen has said what this is
            self.line()
            team = self.opts.team
            if team is None:
                msg_id, params = welcome.welcome(self.ask.say, self.ctx, self.opts, self.store(), self._scope)
                self.say(msg_id, **params)
            else:  # its store and model may not be the ones the plain welcome names
                self.say(
                    "team.wiz.welcome",
                    path=team.path,
                    check=welcome.check_clause(self.ask.say, self.opts),
                    stores=", ".join(team.stores or (self.store(),)),
                )
            self.say(
                "wiz.detected",
                os=self.ask.say(f"os.{detected.os.name}"),
                shell=SHELLS[detected.shell.name].display,
            )
        if detected.os.wsl:
            self.say("warn.wsl")

    # --- the questions -------------------------------------------------------------------------

    def shells(self, detected: Detected) -> list[str]:
        from wizard.commands.plan import resolve_shells

        if self.opts.shells and self.opts.shells != ("auto",):
            return resolve_shells(self.opts.shells, detected, self.ctx)
        if self._shells is None:
            self._shells = resolve_shells((), detected, self.ctx)
        return list(self._shells)

    def ask_shells(self, detected: Detected) -> None:
        current = self._shells or []
        options = []
        for name, shell in SHELLS.items():
            if not shell.has_startup_file:
                continue
            installed = name in detected.installed or name == detected.shell.name
            label = shell.display
            if name == detected.shell.name:
                label += "  " + self.ask.say("wiz.current")
            disabled = None if installed else self.ask.say("wiz.not_installed")
            options.append(Option(name, label, disabled=disabled, checked=installed and name in current))
        self._shells = self.ask.checkbox("wiz.shells", options)

    def existing_key(self) -> tuple[str, str] | None:
        value = self.ctx.env.get(KEY_VAR, "").strip()
        if value:
            return value, "env"
        from wizard.commands import env as keyenv

        with contextlib.suppress(SetupError):
            stored, _extra = keyenv.stored_key(self.ctx)
            return stored, "stored"
        return None

    def resume(self, key: keys.Key | None, store: str, shells: list[str]) -> None:
        """A second run: the recorded store and shells are the defaults. `key` (Change…) is used
        without asking and the summary opens on Change…; None (Replace the key) asks for a new one."""
        self._store, self._shells = store, shells or None
        self._reuse, self._preset, self._open_change = False, key, key is not None

    def key(self, *, reuse: bool) -> tuple[keys.Key, str]:
        self._checked, self._proven = None, False
        if self._preset is not None:
            self._key, self._preset = self._preset, None
            return self._key, "stored"
        existing = self.existing_key() if reuse and self._reuse else None
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
                    self._key = found
                    return found, where
        self.line()
        self.say("wiz.key_hint")  # where to create one, in three lines
        self.say("wiz.key_console_cn", url=regions.REGIONS["cn-beijing"].console_url)
        self.say("wiz.key_console_intl", url=regions.REGIONS["ap-southeast-1"].console_url)

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
            self.line("    " + self.ask.say(note, prefix=key.removed_prefix), prose=True)
        if key.kind == "coding-plan":
            self.say("warn.coding_plan")
        self._key = key
        return key, "prompt"

    def region(self, key: keys.Key) -> tuple[regions.Endpoint | None, str]:
        """Given by --region/--base-url, else detected; asked only after detection failed and the
        user chose another region."""
        if not self._ask_region:
            given, how = regions.requested(
                self.ctx.env, self.opts.region, self.opts.base_url, self.opts.workspace
            )
            self._endpoint = given
            return given, how
        self._ask_region, self._proven, self._checked = False, False, None
        self._endpoint, how = self.ask_region()
        return self._endpoint, how

    def ask_region(self) -> tuple[regions.Endpoint | None, str]:
        """Found from the key, one of the regions, or a custom base URL. Frankfurt and Tokyo have
        only workspace hosts: choosing one asks for the workspace id (checked as --workspace is)."""
        options = [Option(AUTO, self.ask.say("wiz.region_auto"))]
        for rid, r in regions.REGIONS.items():
            label = r.name(self.lang)
            if r.workspace_only:
                label = self.ask.say("wiz.region_workspace_only", region=label)
            options.append(Option(rid, label))
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
        if choice == AUTO:
            return None, "detected"
        workspace = self.opts.workspace
        if regions.REGIONS[choice].workspace_only and not workspace:

            def bad_id(text: str) -> str | None:
                try:
                    regions.valid_workspace(text.strip())
                except SetupError as exc:
                    return self.ask.say(exc.msg_id, **exc.params)
                return None

            workspace = self.ask.text("wiz.workspace", bad_id, region=choice).strip()
        return regions.endpoint_for(choice, self.ctx.env, workspace=workspace), "chosen"

    def region_found(self, endpoint: regions.Endpoint) -> None:
        self._endpoint, self._proven = endpoint, True
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
        if self._store is None:
            self._store = self.opts.store or stores.default_kind(self.ctx, self.opts.allowed_stores)
        return self._store

    def scope(self) -> str:
        return self._scope

    def ask_store(self) -> None:
        """Where the key is kept, "this terminal only" among the choices: choosing it asks
        nothing more about storage."""
        self.line()
        kinds: tuple[str, ...] = (
            ("userenv", "file", "keyring", "inline")
            if self.ctx.os_name == "windows"
            else ("file", "keyring", "inline")
        )
        allowed = self.opts.allowed_stores  # a team file's: only those (and this terminal only)
        kinds = tuple(k for k in kinds if not allowed or k in allowed)
        for kind in kinds:
            label, why = self.ask.say(f"wiz.store_{kind}"), self.ask.say(f"wiz.store_{kind}_why")
            self.line("  • " + self.ask.say("wiz.store_line", label=label, why=why))
        options = [
            Option("file", self.ask.say("wiz.store_file")),
            self.keyring_option(),
            Option("inline", self.ask.say("wiz.store_inline")),
            Option("session", self.ask.say("wiz.scope_session")),
        ]
        if self.ctx.os_name == "windows":
            options.insert(0, Option("userenv", self.ask.say("wiz.store_userenv")))
        if allowed:
            options = [o for o in options if o.value in allowed or o.value == "session"]
        current = "session" if self._scope == "session" else self.store()
        chosen: str = self.ask.select("wiz.store", options, default=current)
        if chosen == "session":
            self._scope = "session"
        else:
            self._store, self._scope = chosen, "persistent"

    def summary(self, plan: SetupPlan | None) -> None:
        from wizard.commands import apply as effects
        from wizard.ui import render, render_base

        say = self.ask.say
        self.line()
        self.say("wiz.ready")
        if self._key is not None:
            self.line("  " + say("wiz.sum_key", mask=self._key.mask, length=self._key.length))
        if self._endpoint is not None:
            state = {"ok": "wiz.sum_checked", "failed": "wiz.sum_not_checked"}.get(self._checked or "", "")
            if self._proven and self._checked != "ok":
                state = "wiz.sum_region_found"  # an overdue account: the region is still proven
            region = render_base.region_label(self.lang, self._endpoint.region)
            self.line("  " + say("wiz.sum_region", region=region) + (" " + say(state) if state else ""))
            if self._proven and self._checked == "failed":
                self.line("  " + say("wiz.sum_call_failed"))
        if plan is None:
            self.line("  " + say("wiz.sum_store", store=say("wiz.scope_session")))
            return
        names = ", ".join(SHELLS[s].display for s in plan.shells)
        self.line("  " + say("wiz.sum_shells", shells=names))
        self.line("  " + say("wiz.sum_store", store=say(f"wiz.store_{plan.store.kind}")))
        for change in plan.planned_changes():
            planned = dataclasses.replace(change, action=change.action.replace("would-", "will-"))
            self.line("    " + render.change_line(self.lang, planned, self.ctx.home), prose=True)
        for warning in plan.warnings:
            self.line("  ! " + say(warning.id, **warning.params))
        for f in self._foreign:
            where = f"{f.path}:{f.line}"
            self.line(
                "  " + say("wiz.sum_foreign_on" if self._disable else "wiz.sum_foreign_off", where=where)
            )
        if self._key is not None:
            findings = effects.history_findings(self.ctx, self._key)
            if findings:
                count = sum(len(f.lines) for f in findings)
                self.line(
                    "  " + say("wiz.sum_history_on" if self._scrub else "wiz.sum_history_off", count=count)
                )

    def confirm(self, plan: SetupPlan | None) -> Verdict:
        self.summary(plan)
        if self._open_change:  # a second run asked for Change… already
            self._open_change = False
            return self.change()
        while True:
            action = self.ask.select(
                "wiz.confirm",
                [
                    Option("go", self.ask.say("wiz.confirm_go")),
                    Option("change", self.ask.say("wiz.confirm_change")),
                    Option("diff", self.ask.say("wiz.confirm_diff"), disabled=None if plan else "—"),
                    Option("quit", self.ask.say("wiz.confirm_quit")),
                ],
                default="go",
            )
            if action == "go":
                return "go"
            if action == "quit":
                return "quit"
            if action == "change":
                return self.change()
            for diff in self._diffs(plan):
                self.line(diff.rstrip("\n"), verbatim=True)

    def _diffs(self, plan: SetupPlan | None) -> list[str]:
        """Every file's diff, as "the exact changes" promises: startup files, the consumer files
        asked for (.env, Qwen Code's settings; the key in them masked) and the hand-made exports
        to be commented out (masked too). The key file itself is listed, never shown."""
        if plan is None:
            return []
        from wizard.commands import apply as effects

        diffs = [f.diff for f in plan.files] + [c.diff for c in plan.consumer_files]
        if self._disable and self._foreign:
            diffs += [c.diff or "" for c in effects.planned_foreign_changes(self.ctx, self._foreign)]
        return [d for d in diffs if d]

    def change(self) -> Verdict:
        """One thing to change; "region" goes back to the probe and the check, the rest only
        plans again."""
        from wizard.shells import detect

        options = [
            Option("store", self.ask.say("wiz.change_store")),
            Option("shells", self.ask.say("wiz.change_shells")),
            Option("region", self.ask.say("wiz.change_region")),
            Option("lang", self.ask.say("wiz.change_lang")),
        ]
        if self._foreign:
            options.append(Option("foreign", self.ask.say("wiz.change_foreign")))
        options.append(Option("history", self.ask.say("wiz.change_history")))
        what = self.ask.select("wiz.change_what", options, default="store")
        if what == "store":
            self.ask_store()
        elif what == "shells":
            self.ask_shells(detect.detect(self.ctx))
        elif what == "region":
            self._ask_region = True  # asked by region(), where the flow probes and checks again
            return "region"
        elif what == "lang":
            chosen = self.ask.select(
                "wiz.language",
                [Option(code, self.ask.say(f"wiz.lang_{code}")) for code in ("zh", "en")],
                default=self.lang,
            )
            self.ask.lang = self.progress.lang = chosen
        elif what == "foreign":
            self._disable = self.yes_no("migrate.ask", self._disable)
        else:
            self._scrub = self.yes_no("history.ask_scrub", self._scrub)
        return "change"

    def yes_no(self, msg_id: str, default: bool, **params: Any) -> bool:
        answer: bool = self.ask.select(
            msg_id,
            [Option(True, self.ask.say("wiz.yes")), Option(False, self.ask.say("wiz.no"))],
            default=default,
            **params,
        )
        return answer

    def disable_foreign(self, foreign: list[Any]) -> bool:
        """Hand-made exports (from following the guide) would shadow or contradict the new setup:
        commented out by default, shown in the summary, changed through Change…."""
        self._foreign = foreign
        return self._disable

    def scrub_history(self, findings: list[Any]) -> bool:
        return self._scrub

    def delete_old_key_file(self, path: Path) -> bool:
        self.line()
        return self.yes_no("wiz.delete_old_key_file", True, path=str(path))

    def add_to_gitignore(self, dotenv: Path) -> bool:
        """Only for a .env asked for with --dotenv; --gitignore answers it in advance."""
        if self.opts.gitignore:
            return True
        self.line()
        return self.yes_no("consumer.ask_gitignore", True, path=str(dotenv))

    def checking(self, done: bool) -> None:
        self.line()
        if done:
            self._checked = "ok"

    def after_failure(self, result: CheckResult | None, *, stage: Stage) -> NextStep:
        """Show a failed check inside the flow and let the user decide what happens next. Saving
        anyway is offered only after the test call: a failed probe has not even found a region."""
        from wizard.messages import check as messages_check

        message = (
            messages_check.render(result.msg_id, result.params, self.lang, request_id=result.request_id)
            if (result is not None and result.msg_id)
            else self.ask.say("check.network_error", detail="—", host="—")
        )
        self.line("✗ " + message.replace("\n", "\n  "))
        self._checked = "failed"
        from wizard.ui.failure_menu import failure_menu

        proven = stage == "call" and (self._proven or (result is not None and result.detected))
        step: NextStep = self.ask.select(
            "wiz.fail_what",
            *failure_menu(self.ask, result, stage, proven, session=self._scope == "session"),
        )
        if step == "region":
            self._ask_region = True
        return step
