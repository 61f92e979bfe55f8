"""The one setup flow (commands/setup.py), every branch driven by scripted decisions: no terminal,
a real HOME, the fake DashScope. The wizard and `--yes` differ only in the Decisions they pass."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_ctx, new_key, snapshot
from tests.fakes.dashscope import FakeDashScope
from wizard import keys, regions
from wizard.commands.apply import deferred_signals
from wizard.commands.decisions import FlagDecisions
from wizard.commands.setup import setup
from wizard.context import Context
from wizard.errors import ExitCode, SetupError
from wizard.options import Options


class Scripted:
    """Decisions from a script. Each answer is a value, or a list used one call at a time; every call
    is recorded as (name, details) so a test can check what was asked, in which order. Like the
    wizard, it stands for a person answering (`asks`)."""

    asks = True

    def __init__(self, **answers: Any) -> None:
        self.answers = {
            "shells": ["bash"],
            "region": (None, "detected"),
            "store": "file",
            "scope": "persistent",
            "disable_foreign": False,
            "confirm": True,
            "scrub_history": False,
            "delete_old_key_file": False,
            **answers,
        }
        self.calls: list[tuple[str, Any]] = []

    def _next(self, name: str) -> Any:
        value = self.answers[name]
        if isinstance(value, list) and name != "shells":
            if not value:
                raise AssertionError(f"{name} asked more often than scripted")
            return value.pop(0)
        return value

    def names(self) -> list[str]:
        return [n for n, _ in self.calls]

    def start(self, detected: Any, warnings: list[Any]) -> None:
        self.calls.append(("start", [w.id for w in warnings]))

    def shells(self, detected: Any) -> list[str]:
        self.calls.append(("shells", None))
        return list(self.answers["shells"])

    def key(self, *, reuse: bool) -> tuple[keys.Key, str]:
        self.calls.append(("key", reuse))
        return keys.validate(self._next("key")), "prompt"

    def region(self, key: keys.Key) -> tuple[regions.Endpoint | None, str]:
        self.calls.append(("region", key.mask))
        return self._next("region")  # type: ignore[no-any-return]

    def region_found(self, endpoint: regions.Endpoint) -> None:
        self.calls.append(("region_found", endpoint.region))

    def store(self) -> str:
        self.calls.append(("store", None))
        return self._next("store")  # type: ignore[no-any-return]

    def scope(self) -> str:
        self.calls.append(("scope", None))
        return self._next("scope")  # type: ignore[no-any-return]

    def disable_foreign(self, foreign: list[Any]) -> bool:
        self.calls.append(("disable_foreign", len(foreign)))
        return self._next("disable_foreign")  # type: ignore[no-any-return]

    def confirm(self, plan: Any) -> str:
        self.calls.append(("confirm", [c.action for c in plan.planned_changes()] if plan else None))
        answer = self._next("confirm")
        return {True: "go", False: "quit"}.get(answer, answer)  # type: ignore[no-any-return]

    def checking(self, done: bool) -> None:
        self.calls.append(("checking", done))

    def after_failure(self, result: Any, *, stage: str) -> Any:
        self.calls.append(("after_failure", (stage, result.msg_id if result else None)))
        return self._next("after_failure")

    def scrub_history(self, findings: list[Any]) -> bool:
        self.calls.append(("scrub_history", len(findings)))
        return self._next("scrub_history")  # type: ignore[no-any-return]

    def delete_old_key_file(self, path: Path) -> bool:
        self.calls.append(("delete_old_key_file", str(path)))
        return self._next("delete_old_key_file")  # type: ignore[no-any-return]


@pytest.fixture
def world(home: Path, fake: FakeDashScope) -> Context:
    return make_ctx(
        home, env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "3"}
    )


def chat_calls(fake: FakeDashScope) -> int:
    return len(fake.recorded("chat"))


def bashrc(home: Path) -> str:
    return (home / ".bashrc").read_text() if (home / ".bashrc").exists() else ""


def key_file(home: Path) -> str:
    return (home / ".dashscope" / "api_key").read_text()


# --- the happy paths -----------------------------------------------------------------------------


def test_found_region_is_probed_then_checked_then_written(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    d = Scripted(key=key)
    report = setup(world, Options(), None, d)
    assert report.exit_code == 0
    assert d.names() == [
        "start", "key", "region", "region_found", "store", "scope", "checking", "checking",
        "shells", "confirm",
    ]  # fmt: skip
    assert ("region_found", "ap-southeast-1") in d.calls
    assert (report.region, report.region_source) == ("ap-southeast-1", "detected")
    assert report.check.ok and report.check.detected
    assert key_file(home) == key + "\n"
    assert fake.native_url("ap-southeast-1") in bashrc(home)


def test_a_chosen_region_is_not_probed(world: Context, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    endpoint = regions.endpoint_for("us-east-1", world.env)
    d = Scripted(key=key, region=(endpoint, "chosen"))
    report = setup(world, Options(), None, d)
    assert report.exit_code == 0
    assert fake.recorded("models") == []
    assert "region_found" not in d.names()
    assert (report.region, report.region_source) == ("us-east-1", "chosen")
    assert not report.check.detected


def test_a_chosen_region_that_rejects_the_key_names_its_region_and_the_menu(
    world: Context, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    beijing = regions.endpoint_for("cn-beijing", world.env)
    d = Scripted(key=key, region=(beijing, "chosen"), after_failure=["stop"])
    report = setup(world, Options(), None, d)
    assert [v for n, v in d.calls if n == "after_failure"] == [("call", "check.key_belongs_chosen")]
    assert report.exit_code == ExitCode.KEY_REJECTED
    assert report.error is not None and report.error.params["owner"] == "us-east-1"
    assert report.key_verified  # the key is genuine: US (Virginia) took it


def test_a_chosen_region_that_rejects_an_unknown_key_does_not_name_flags(
    world: Context, fake: FakeDashScope
) -> None:
    beijing = regions.endpoint_for("cn-beijing", world.env)
    d = Scripted(key=new_key(), region=(beijing, "chosen"), after_failure=["stop"])
    report = setup(world, Options(), None, d)
    assert [v for n, v in d.calls if n == "after_failure"] == [("call", "check.rejected_nowhere")]
    assert not report.key_verified


def test_no_test_confirms_a_chosen_region_with_the_probe_alone(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "us-east-1")
    us = regions.endpoint_for("us-east-1", world.env)
    report = setup(world, Options(no_test=True), None, Scripted(key=key, region=(us, "chosen")))
    assert report.exit_code == 0
    assert chat_calls(fake) == 0 and fake.recorded("models")
    assert (report.region, report.region_source, report.region_verified) == ("us-east-1", "chosen", True)


# --- a failed probe ------------------------------------------------------------------------------


def test_rejected_everywhere_asks_what_next_and_a_new_key_starts_over(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    good = new_key()
    fake.add_key(good, "cn-hongkong")
    d = Scripted(
        key=[new_key(), good], region=[(None, "detected"), (None, "detected")], after_failure=["key"]
    )
    report = setup(world, Options(), None, d)
    assert report.exit_code == 0
    assert [v[0] for n, v in d.calls if n == "after_failure"] == ["detect"]
    assert [v for n, v in d.calls if n == "key"] == [True, False]  # the retry never offers the old key
    assert d.names().count("store") == 1
    assert report.region == "cn-hongkong"
    assert report.error is None and report.check.ok
    assert key_file(home) == good + "\n"


def test_stop_after_a_failed_probe_exits_3_and_writes_nothing(world: Context, home: Path) -> None:
    before = snapshot(home)
    d = Scripted(key=new_key(), after_failure=["stop"])
    report = setup(world, Options(), None, d)
    assert report.exit_code == ExitCode.KEY_REJECTED
    assert report.error is not None
    assert "store" not in d.names()  # nothing more is asked once the user stops
    assert snapshot(home) == before


def test_save_after_a_failed_probe_assumes_beijing_and_makes_no_test_call(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    d = Scripted(key=new_key(), after_failure=["save"])
    report = setup(world, Options(), None, d)
    assert report.exit_code == 0
    assert (report.region, report.region_source) == ("cn-beijing", "assumed")
    assert "warn.saved_anyway_chosen" in [w.id for w in report.warnings]
    assert chat_calls(fake) == 0
    assert report.check is not None and not report.check.ok  # the failure stays on record
    assert (home / ".dashscope" / "api_key").exists()


# --- a failed test call ----------------------------------------------------------------------------


def test_overdue_account_then_another_region_keeps_store_and_scope(
    world: Context, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error="Arrearage")
    d = Scripted(key=key, region=[(None, "detected"), (None, "detected")], after_failure=["region", "stop"])
    report = setup(world, Options(), None, d)
    stages = [v for n, v in d.calls if n == "after_failure"]
    assert stages[0][0] == "call"
    assert d.names().count("region") == 2
    assert d.names().count("store") == 1 and d.names().count("scope") == 1
    assert report.exit_code == ExitCode.ACCOUNT


def test_quit_after_a_failed_call_is_an_interruption_with_nothing_written(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error="Arrearage")
    before = snapshot(home)
    report = setup(world, Options(), None, Scripted(key=key, after_failure=["quit"]))
    assert report.exit_code == ExitCode.INTERRUPTED
    assert snapshot(home) == before


def test_save_after_a_failed_call_writes_with_a_warning(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error="Arrearage")
    report = setup(world, Options(), None, Scripted(key=key, after_failure=["save"]))
    assert report.exit_code == 0
    assert "warn.saved_anyway_chosen" in [w.id for w in report.warnings]
    assert key_file(home) == key + "\n"


def test_this_terminal_only_stops_or_goes_on_and_writes_nothing_either_way(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error="Arrearage")
    before = snapshot(home)
    d = Scripted(key=key, scope="session", after_failure=["stop"])
    report = setup(world, Options(), None, d)
    assert [v[0] for n, v in d.calls if n == "after_failure"] == ["call"]
    assert "confirm" not in d.names()
    assert report.exit_code == ExitCode.ACCOUNT
    assert snapshot(home) == before

    # Going on anyway prints the lines for this terminal; the note says so, not that a key was saved.
    d = Scripted(key=key, scope="session", after_failure=["save"])
    report = setup(world, Options(), None, d)
    assert report.exit_code == 0 and report.session_lines
    notes = [w.id for w in report.warnings]
    assert "warn.session_anyway_chosen" in notes and "warn.saved_anyway_chosen" not in notes
    # The fake's Beijing has base URLs of its own, so there are lines for them too: "the lines above".
    assert len(report.session_lines) > 1
    assert [s.id for s in report.next_steps] == ["next.session_only_lines"]
    assert snapshot(home) == before


def test_session_scope_prints_lines_and_writes_nothing(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    report = setup(world, Options(), None, Scripted(key=key, scope="session"))
    assert report.exit_code == 0
    assert report.session_lines and key not in "\n".join(report.session_lines)
    assert snapshot(home) == before


# --- confirm, dry run, --offline --------------------------------------------------------------------


def test_declining_the_plan_writes_nothing(world: Context, home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    d = Scripted(key=key, confirm=False)
    report = setup(world, Options(), None, d)
    assert report.exit_code == ExitCode.INTERRUPTED
    assert chat_calls(fake) == 1  # the live check ran before the summary, while the user read it
    assert snapshot(home) == before
    planned = next(v for n, v in d.calls if n == "confirm")
    assert planned and set(planned) == {"would-create"}  # what the user declined: key file, blocks


def test_dry_run_checks_but_writes_nothing(world: Context, home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    report = setup(world, Options(dry_run=True), None, Scripted(key=key))
    assert report.exit_code == 0 and report.check.ok
    assert {c.action for c in report.changes} == {"would-create"}
    assert snapshot(home) == before


def test_offline_assumes_the_region_without_any_request(
    world: Context, home: Path, fake: FakeDashScope
) -> None:
    report = setup(world, Options(offline=True), None, Scripted(key=new_key()))
    assert report.exit_code == 0
    assert fake.recorded() == []
    assert (report.region, report.region_source) == ("cn-beijing", "assumed")
    assert "warn.region_assumed" in [w.id for w in report.warnings]


# --- hand-made exports and history ---------------------------------------------------------------------


@pytest.mark.parametrize("disable", [True, False])
def test_hand_made_export_is_disabled_only_when_decided(
    world: Context, home: Path, fake: FakeDashScope, disable: bool
) -> None:
    old, key = new_key(), new_key()
    fake.add_key(key, "cn-beijing")
    (home / ".bashrc").write_text(f"export DASHSCOPE_API_KEY='{old}'\n")
    d = Scripted(key=key, disable_foreign=disable)
    report = setup(world, Options(), None, d)
    assert ("disable_foreign", 1) in d.calls
    text = bashrc(home)
    assert text.startswith("# disabled by dashscope-setup: ") is disable
    hint = "next.disable_foreign" in [m.id for m in report.next_steps]
    assert hint is not disable
    assert "# >>> dashscope-setup >>>" in text  # the re-plan after disabling kept our block


@pytest.mark.parametrize("scrub", [True, False])
def test_history_is_scrubbed_only_when_decided(
    world: Context, home: Path, fake: FakeDashScope, scrub: bool
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    (home / ".bash_history").write_text(f"ls\nexport DASHSCOPE_API_KEY={key}\n")
    report = setup(world, Options(), None, Scripted(key=key, scrub_history=scrub))
    assert (key in (home / ".bash_history").read_text()) is not scrub
    assert ("next.scrub_history" in [m.id for m in report.next_steps]) is not scrub


# --- the flags as decisions ----------------------------------------------------------------------------


def test_without_yes_and_without_a_prompter_setup_refuses(world: Context) -> None:
    with pytest.raises(SetupError) as exc_info:
        setup(world, Options(yes=False))
    assert exc_info.value.code == ExitCode.USAGE


@pytest.mark.parametrize(("save_anyway", "expected"), [(True, "save"), (False, "stop")])
def test_flags_answer_a_failure_from_save_anyway(world: Context, save_anyway: bool, expected: str) -> None:
    flags = FlagDecisions(world, Options(yes=True, save_anyway=save_anyway))
    assert flags.after_failure(None, stage="detect") == expected
    assert flags.after_failure(None, stage="call") == expected


def test_flags_cannot_offer_a_second_key(world: Context) -> None:
    with pytest.raises(SetupError):
        FlagDecisions(world, Options(yes=True, key_stdin=True)).key(reuse=False)


# --- signals while writing ---------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signals_wait_until_the_writes_are_done(signum: int) -> None:
    got: list[str] = []

    def handler(_s: int, _f: Any) -> None:
        got.append("signal")

    old = signal.signal(signum, handler)
    try:
        with deferred_signals():
            os.kill(os.getpid(), signum)
            got.append("write")
        got.append("after")
    finally:
        signal.signal(signum, old)
    assert got == ["write", "signal", "after"]


def test_a_full_disk_halfway_says_what_was_written_and_remove_undoes_it(
    world: Context, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from wizard import files
    from wizard.commands.remove import remove

    (home / ".bashrc").write_text("# mine\n")
    before = snapshot(home)
    real_write = files.atomic_write
    written: list[Path] = []

    def fills_up(path: Path, data: bytes, **kw: Any) -> None:
        if path.name == ".profile":  # the second startup file: the disk is full by now
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        real_write(path, data, **kw)

    monkeypatch.setattr(files, "atomic_write", fills_up)
    report = setup(world, Options(offline=True), None, Scripted(key=new_key()))
    assert report.exit_code == ExitCode.STORE
    assert report.error is not None and report.error.id == "err.write_failed"
    assert "warn.partly_written" in [w.id for w in report.warnings]
    listed = {c.path for c in report.changes}
    assert str(home / ".dashscope" / "api_key") in listed and str(home / ".bashrc") in listed
    assert str(home / ".profile") not in listed
    monkeypatch.setattr(files, "atomic_write", real_write)
    assert remove(world, Options(command="remove", yes=True)).exit_code == 0
    assert snapshot(home) == before


@pytest.mark.parametrize("delete", [True, False])
def test_moving_the_key_out_of_the_key_file_asks_about_the_old_one(
    world: Context, home: Path, delete: bool
) -> None:
    old = home / ".dashscope" / "api_key"
    old.parent.mkdir()
    old.write_text(new_key() + "\n")
    d = Scripted(key=new_key(), store="inline", delete_old_key_file=delete)
    report = setup(world, Options(offline=True), None, d)
    assert report.exit_code == 0
    assert ("delete_old_key_file", str(old)) in d.calls
    assert old.exists() is not delete
    assert ("warn.old_key_file" in [w.id for w in report.warnings]) is not delete
    assert any(c.path == str(old) and c.action == "deleted" for c in report.changes) is delete


def test_a_key_file_that_holds_something_else_is_not_offered_for_deletion(world: Context, home: Path) -> None:
    other = home / ".dashscope" / "api_key"
    other.parent.mkdir()
    other.write_text("not a key, my notes\n")
    d = Scripted(key=new_key(), store="inline")
    setup(world, Options(offline=True), None, d)
    assert "delete_old_key_file" not in d.names()
    assert other.read_text() == "not a key, my notes\n"
