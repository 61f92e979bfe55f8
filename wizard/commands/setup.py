"""THE setup flow, for `setup --yes` and for the wizard alike: decide → plan → preflight → check →
apply. Every choice comes from a Decisions object (flags, or questions); a retry after a failed
check is a value the loop acts on. Never prints; returns a Report.

At about 470 lines: one flow whose steps read in the order they run; its parts (plan, apply, live
check, background check) are already modules of their own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import interrupts, invocation, keys, regions, stores
from wizard.commands import apply as effects
from wizard.commands.background import BackgroundCheck, Job
from wizard.commands.decisions import Decisions, FlagDecisions, NextStep, not_interactive
from wizard.commands.live import (
    belongs_elsewhere,
    check_failed,
    key_report,
    key_verified,
    live_check,
    owner_of,
)
from wizard.commands.plan import ConsumerRequest, SetupPlan, make_plan, preflight
from wizard.context import Context
from wizard.edits import lock
from wizard.errors import ExitCode, SetupError
from wizard.options import Options
from wizard.report import Msg, Report
from wizard.shells import SHELLS, Shell
from wizard.shells import detect as platform

if TYPE_CHECKING:
    from wizard.check import CheckResult
    from wizard.commands.live import Progress


def setup(
    ctx: Context, opts: Options, progress: Progress | None = None, decisions: Decisions | None = None
) -> Report:
    """`decisions` None: answer from the flags, which needs --yes (a script must not hang on a prompt)."""
    allowed = opts.allowed_stores
    if opts.store is not None and allowed and opts.store not in allowed and opts.team is not None:
        raise SetupError(
            ExitCode.USAGE,
            "team.err.store_not_allowed",
            store=opts.store,
            path=opts.team.path,
            allowed=", ".join(allowed),
        )
    if decisions is None:
        if not opts.yes:
            raise not_interactive(ctx)
        decisions = FlagDecisions(ctx, opts)
    try:
        return _Flow(ctx, opts, decisions, progress).run()
    except SetupError as exc:
        raise _under_team(opts, exc) from None


def _under_team(opts: Options, exc: SetupError) -> SetupError:
    """A keyring refusal offers the file store; where the team file does not allow it, the same
    refusal says what the team allows instead."""
    from wizard.messages import catalogue

    team, variant = opts.team, "team." + exc.msg_id
    if team is None or not team.stores or stores.FILE in team.stores or variant not in catalogue():
        return exc
    allowed = ", ".join(team.stores)
    return SetupError(exc.code, variant, **{**exc.params, "team_file": team.path, "allowed": allowed})


def machine_warnings(ctx: Context, detected: platform.Detected) -> list[Msg]:
    """What the user should know about this machine before anything is written."""
    warnings: list[Msg] = []
    if detected.os.wsl:
        warnings.append(Msg("warn.wsl"))
    if detected.os.name == "windows":
        from wizard.stores import userenv

        wsl = userenv.wsl_message(ctx)
        if wsl:
            warnings.append(wsl)
    warnings.extend(SHELLS[detected.shell.name].session_warnings(ctx))
    return warnings


@dataclass
class _Choice:
    """What has been decided so far; a retry clears the parts it re-opens."""

    key: keys.Key
    endpoint: regions.Endpoint | None = None
    how: str = ""
    probed: bool = False  # the region probe found the key's region (and it is the endpoint's)
    store: str | None = None
    scope: str | None = None
    foreign: list[Any] | None = None  # hand-made exports found (None: not looked for yet)
    saved: bool = False  # the user chose to save although the check failed


class _Flow:
    def __init__(self, ctx: Context, opts: Options, decisions: Decisions, progress: Progress | None) -> None:
        self.ctx, self.opts, self.ask, self.progress = ctx, opts, decisions, progress
        self.gitignore_answers: dict[Path, bool] = {}  # asked once per run, whatever is planned again
        self.background: BackgroundCheck | None = None

    def run(self) -> Report:
        ctx, opts, ask = self.ctx, self.opts, self.ask
        detected = platform.detect(ctx)
        report = Report("setup", dry_run=opts.dry_run)
        report.os_name, report.wsl = detected.os.name, detected.os.wsl
        report.current_shell = detected.shell.name
        report.warnings.extend(machine_warnings(ctx, detected))
        ask.start(detected, list(report.warnings))
        key, source = ask.key(reuse=True)
        self.report_key(report, key, source)
        choice = _Choice(key)

        # The key first, then everything learnt from it (region, account) before the plan: a
        # problem with the key or the account is shown before any question about where to write.
        while True:
            step = self.find_region(choice, report)
            if step is None:
                if choice.store is None or choice.scope is None:
                    choice.store, choice.scope = ask.store(), ask.scope()
                step = self.check(choice, report)
                if step is None:
                    step, shells, plan, disable = self.settle(choice, detected, report)
                    if step is None:
                        break
            if step == "quit":
                return _interrupted()
            if step == "stop":
                return check_failed(report, report.check)
            if step == "key":
                key, source = ask.key(reuse=False)
                self.report_key(report, key, source)
                choice.key = key
            choice.endpoint, choice.saved, report.check = None, False, None

        return self.finish(choice, shells, detected, plan, disable, report)

    # --- the steps -------------------------------------------------------------------------------

    def report_key(self, report: Report, key: keys.Key, source: str) -> None:
        """The key's facts, and the file or store it was read from."""
        path, store = None, None
        if source == "key-file" and self.opts.key_file is not None:
            path = str(self.opts.key_file)
        elif source == "stored":
            from wizard.commands.env import stored_origin

            path, store = stored_origin(self.ctx)
        key_report(report, key, source, path=path, store=store)

    def find_region(self, choice: _Choice, report: Report) -> NextStep | None:
        """The region as chosen, or found by the probe (GET /models everywhere; no tokens used).
        Under --no-test the probe also confirms a chosen region, since no test call will; only
        --offline, or a network that reaches no region, leaves the region unchecked. The probe and
        the test call start on a worker as soon as the key is known (commands/background.py),
        while the flow prepares what needs no network."""
        if choice.endpoint is not None:
            return None
        given, choice.how = self.ask.region(choice.key)
        choice.endpoint, choice.probed = given, False
        if self.opts.offline:
            if given is None:
                self.assume(choice, report, "warn.region_assumed")
            self.prepare(choice)
            return None
        probe = given is None or (self.opts.no_test and given.region in regions.REGIONS)
        self.background = BackgroundCheck(
            self.ctx,
            Job(choice.key, given, probe, not self.opts.no_test, self.opts.model, self.opts.workspace),
        )
        self.prepare(choice)
        if not probe:
            return None  # the test call checks it; a custom endpoint has no probe of its own
        found, failure = self.background.probe(self.progress)
        if found is not None and (given is None or found.region == given.region):
            choice.endpoint, choice.probed = given or found, True
            if given is None:
                choice.how = "detected"
                self.ask.region_found(found)
            return None
        if found is not None and given is not None:
            failure = self.belongs(choice, given, found)
        elif self.opts.no_test and _unreachable(failure):
            if given is None:
                self.assume(choice, report, "warn.region_unreachable")
            return None
        report.check = failure
        step = self.ask.after_failure(failure, stage="detect")
        if step == "save":
            if given is None:
                choice.endpoint, choice.how = _assumed(self.ctx), "assumed"
            choice.saved = True
            return None
        return step

    def prepare(self, choice: _Choice) -> None:
        """What needs neither the network nor an answer, done while the worker probes and calls:
        the hand-made exports the plan would compete with (every startup file is read)."""
        if choice.foreign is None:
            choice.foreign = effects.foreign_exports(self.ctx)

    def assume(self, choice: _Choice, report: Report, warning: str) -> None:
        choice.endpoint, choice.how = _assumed(self.ctx), "assumed"
        report.warnings.append(Msg(warning, {"region": choice.endpoint.region}))

    def belongs(
        self,
        choice: _Choice,
        given: regions.Endpoint,
        owner: regions.Endpoint,
        rejected: CheckResult | None = None,
    ) -> CheckResult:
        """The key is `owner`'s. The fix: the menu in the wizard, else the flag in place of the one given."""
        msg_id = "check.key_belongs_chosen" if self.ask.asks else "check.key_belongs_flag"
        flag = "--base-url" if choice.how == "base-url" else "--region"
        return belongs_elsewhere(msg_id, choice.key, given, owner, self.opts.model, rejected, flag=flag)

    def saved_note(self, session: bool) -> Msg:
        """Going on after a failed check: with a store, the key was saved; for this terminal only,
        nothing was, and the lines to run were printed instead."""
        kind = "session_anyway" if session else "saved_anyway"
        return Msg(f"warn.{kind}_chosen" if self.ask.asks else f"warn.{kind}")

    def settle(
        self, choice: _Choice, detected: platform.Detected, report: Report
    ) -> tuple[NextStep | None, list[str], SetupPlan | None, bool]:
        """Shells, store and scope, planned and confirmed; a change asks again and plans again."""
        changed = False
        while True:
            shells = self.ask.shells(detected)
            if changed:
                choice.store, choice.scope = self.ask.store(), self.ask.scope()
            report.store, report.scope = choice.store, choice.scope
            plan, disable = self.plan(choice, shells, report)
            verdict = self.ask.confirm(plan)
            if verdict == "quit":
                return "quit", shells, plan, disable
            if verdict == "go":
                return None, shells, plan, disable
            if verdict == "region":
                return "region", shells, plan, disable
            changed = True

    def plan(self, choice: _Choice, shells: list[str], report: Report) -> tuple[SetupPlan | None, bool]:
        """Plan and preflight (every time: a retry may change the key or the region), then ask
        about hand-made exports the plan would compete with."""
        if choice.scope != "persistent" or choice.endpoint is None or choice.store is None:
            return None, False
        plan = make_plan(
            self.ctx,
            key=choice.key,
            endpoint=choice.endpoint,
            shell_names=shells,
            store_kind=choice.store,
            request=self.consumers(),
        )
        preflight(self.ctx, plan)
        if choice.foreign is None:
            choice.foreign = effects.foreign_exports(self.ctx)
        report.foreign = [f.to_json() for f in choice.foreign]
        return plan, bool(choice.foreign) and self.ask.disable_foreign(choice.foreign)

    def consumers(self) -> ConsumerRequest:
        """The consumers beyond the SDK this run asks for (the flags; a question for .gitignore)."""
        opts = self.opts
        if opts.scope != "persistent" and (opts.dotenv is not None or opts.qwen_code):
            raise SetupError(ExitCode.USAGE, "consumer.err.session_scope")
        return ConsumerRequest(
            openai_env=opts.openai_env,
            dotenv=opts.dotenv,
            gitignore=self.add_to_gitignore,
            qwen_code=opts.qwen_code,
            model=opts.model,
        )

    def add_to_gitignore(self, dotenv: Path) -> bool:
        if dotenv not in self.gitignore_answers:
            self.gitignore_answers[dotenv] = self.ask.add_to_gitignore(dotenv)
        return self.gitignore_answers[dotenv]

    def check(self, choice: _Choice, report: Report) -> NextStep | None:
        """The guide's test call (unless --no-test). A failure asks what next."""
        if self.opts.no_test or self.opts.offline or choice.saved or choice.endpoint is None:
            return None
        self.ask.checking(False)
        ahead = self.background.call(choice.endpoint, self.progress) if self.background else None
        self.background = None
        result = ahead or live_check(
            self.ctx, choice.key, choice.endpoint, self.opts.model, self.progress, self.opts.workspace
        )
        if self.progress:
            self.progress.finish()
        self.ask.checking(True)
        if choice.probed:  # one check, as a script reads it: the region was found, not given
            result = dataclasses.replace(result, detected=True)
        elif result.http_status == 401:
            result = self.explain_rejection(choice, choice.endpoint, result)
        report.check = result
        if result.ok:
            return None
        step = self.ask.after_failure(result, stage="call")
        if step == "save":
            choice.saved = True
            return None
        return step

    def explain_rejection(
        self, choice: _Choice, endpoint: regions.Endpoint, result: CheckResult
    ) -> CheckResult:
        """A 401 where the key was sent: ask the other regions (no tokens) whose key it is."""
        owner = owner_of(self.ctx, choice.key, self.opts.model, self.progress, self.opts.workspace)
        if owner is not None and owner.region != endpoint.region:
            return self.belongs(choice, endpoint, owner, result)
        if endpoint.region == regions.CUSTOM and not self.ask.asks:
            return result  # what a --base-url of a workspace or plan endpoint accepts says more
        return dataclasses.replace(result, msg_id="check.rejected_nowhere")

    def finish(
        self,
        choice: _Choice,
        shells: list[str],
        detected: platform.Detected,
        plan: SetupPlan | None,
        disable: bool,
        report: Report,
    ) -> Report:
        ctx, endpoint = self.ctx, choice.endpoint
        if endpoint is None:  # every way out of the loop above sets it
            raise RuntimeError("no endpoint")
        report.region, report.base_url, report.region_source = (
            endpoint.region,
            endpoint.compatible_url,
            choice.how,
        )
        if choice.saved:
            report.warnings.append(self.saved_note(session=plan is None))
        checked = report.check is not None and report.check.ok
        report.region_verified = choice.probed or checked
        report.key_verified = choice.probed or key_verified(report.check)
        report.samples_for = (endpoint.compatible_url, self.opts.model)
        extra = endpoint.sdk_env()
        current = SHELLS[detected.shell.name]
        if plan is None:
            if self.opts.openai_env:
                extra.update(endpoint.openai_env())
            report.session_lines = [current.prompt_line(), *(current.assign(k, v) for k, v in extra.items())]
            if self.opts.openai_env:
                report.session_lines.append(current.copy_key_line(regions.OPENAI_KEY_VAR))
                report.warnings.append(Msg("consumer.warn.openai_env"))
            several = len(report.session_lines) > 1
            report.next_steps.append(Msg("next.session_only_lines" if several else "next.session_only"))
            return report
        foreign = choice.foreign or []
        report.shells = plan.shells
        report.key_file = str(plan.key_file) if plan.key_file else None
        if self.opts.dry_run:
            report.changes = plan.planned_changes()
            if disable:
                report.changes += effects.planned_foreign_changes(ctx, foreign)
            return self.closing(report, current, plan, extra)
        try:
            return self.write(choice, endpoint, plan, disable, report, current, extra)
        except KeyboardInterrupt:
            if not report.changes:
                raise  # nothing written yet: an ordinary interruption
            report.exit_code = ExitCode.INTERRUPTED
            report.error = Msg("err.interrupted_after")
            return report
        except SetupError as exc:
            if not report.changes:
                raise  # failed before the first write: "nothing was changed" holds
            # A full disk or a file that changed under us halfway: say what was written before.
            report.exit_code = int(exc.code)
            report.error = Msg(exc.msg_id, exc.params)
            report.warnings.append(Msg("warn.partly_written"))
            return report

    def write(
        self,
        choice: _Choice,
        endpoint: regions.Endpoint,
        plan: SetupPlan,
        disable: bool,
        report: Report,
        current: Shell,
        extra: dict[str, str],
    ) -> Report:
        """The writes, and what follows them. A Ctrl-C during the writes is held until they are
        done; one after them leaves a report of exactly what was changed (see finish)."""
        interrupts.raise_if_pending()  # a Ctrl-C CPython swallowed: nothing is written
        ctx, foreign = self.ctx, choice.foreign or []
        # One run at a time per HOME; inside the lock, plan again from what is on disk now (another
        # run may have finished meanwhile, or the foreign lines were just disabled).
        with lock.transaction(ctx), effects.deferred_signals():
            if disable:
                report.changes += effects.disable_foreign(ctx, foreign)
            plan = make_plan(
                ctx,
                key=choice.key,
                endpoint=endpoint,
                shell_names=plan.shells,
                store_kind=plan.store.kind,
                request=self.consumers(),
            )
            preflight(ctx, plan, check_syntax=True)
            report.warnings += effects.apply(ctx, plan, report.changes)
        if foreign and not disable:
            report.next_steps.append(Msg("next.disable_foreign", {"count": len(foreign)}))
        findings = effects.history_findings(ctx, choice.key)
        report.history = [f.to_json() for f in findings]
        if findings and self.ask.scrub_history(findings):
            with effects.deferred_signals():
                report.changes += effects.scrub_history(ctx, findings, choice.key)
        elif findings:
            report.next_steps.append(Msg("next.scrub_history", {"count": len(findings)}))
        old = effects.old_key_file(ctx, plan)
        if old is not None and self.ask.delete_old_key_file(old):
            with effects.deferred_signals():
                report.changes += stores.KeyFileStore(old, ctx, created=True).remove(done=True)[0]
        elif old is not None:
            report.warnings.append(Msg("warn.old_key_file", {"path": str(old)}))
        return self.closing(report, current, plan, extra)

    def closing(self, report: Report, current: Shell, plan: SetupPlan, extra: dict[str, str]) -> Report:
        """The warnings of the plan, and how to get the key into this terminal and new ones."""
        report.warnings.extend(plan.warnings)
        sources = [f.target.path for f in plan.files if f.target.shell == current.name]
        report.session_lines = plan.store.session_lines(current, sources, plan.extra)
        if plan.copies and not plan.store.writes_blocks:
            report.session_lines += [current.assign(k, v) for k, v in plan.endpoint.openai_env().items()]
        report.session_lines += [current.copy_key_line(name) for name in plan.copies]
        report.use_now = _use_now(self.ctx, plan.store, current, bool(sources), report.session_lines)
        report.next_steps.append(Msg(plan.store.next_step))
        report.next_steps.append(Msg("next.remove"))
        return report


def _use_now(ctx: Context, store: stores.Store, shell: Shell, sourced: bool, lines: list[str]) -> str | None:
    """The one line that gives this terminal the key now, for the end screen: `env` through eval
    (it reads any store but inline, and sets the base URLs too), the store's own line when it has
    one, or None ("open a new terminal"). An inline key is only in the startup files, so only
    sourcing the one just written can load it; without one, the lines would set no key."""
    if store.secret_in_blocks:
        return lines[0] if sourced and len(lines) == 1 else None
    if len(lines) == 1:
        return lines[0]
    return shell.eval_env_line(invocation.words(ctx))


def _assumed(ctx: Context) -> regions.Endpoint:
    return regions.endpoint_for(regions.DEFAULT_REGION, ctx.env)


def _unreachable(failure: CheckResult | None) -> bool:
    """The probe learnt nothing about the key: no region answered, none rejected it."""
    if failure is None:
        return True
    rejected = any(p.outcome == "rejected" for p in failure.probes)
    return failure.exit_code == ExitCode.NETWORK and not rejected


def _interrupted() -> Report:
    return Report("setup", exit_code=ExitCode.INTERRUPTED, error=Msg("err.interrupted"))
