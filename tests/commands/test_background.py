"""The live check on a worker thread (commands/background.py): what the worker reports is drawn by
the main thread, in order; what it raises is raised where the flow waits."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import make_ctx, new_key
from tests.fakes.dashscope import FakeDashScope
from wizard import keys, regions
from wizard.commands.background import BackgroundCheck, Job
from wizard.errors import SetupError


class Recorder:
    """A Progress that notes each call and whether it came on the main thread."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, bool]] = []

    def _note(self, name: str, value: Any) -> None:
        self.calls.append((name, value, threading.current_thread() is threading.main_thread()))

    def stage(self, name: str, info: dict[str, Any]) -> None:
        self._note("stage", name)

    def delta(self, text: str) -> None:
        self._note("delta", text)

    def finish(self) -> None:
        self._note("finish", None)


def job(key: str, given: regions.Endpoint | None = None, *, probe: bool = True) -> Job:
    return Job(keys.validate(key), given, probe, True, regions.DEFAULT_MODEL, None)


def test_progress_is_drawn_on_the_main_thread_in_order(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    ctx = make_ctx(home, env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "5"})
    check = BackgroundCheck(ctx, job(key))
    seen = Recorder()
    found, failure = check.probe(seen)
    assert failure is None and found is not None and found.region == "ap-southeast-1"
    result = check.call(found, seen)
    assert result is not None and result.ok
    assert all(main for _, _, main in seen.calls)
    stages = [v for name, v, _ in seen.calls if name == "stage"]
    assert stages.index("probing") < stages.index("calling")
    assert "".join(v for name, v, _ in seen.calls if name == "delta") == result.reply


def test_a_call_to_another_endpoint_is_not_taken_for_this_one(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    ctx = make_ctx(home, env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "5"})
    check = BackgroundCheck(ctx, job(key))
    found, _failure = check.probe(None)
    assert found is not None
    other = regions.endpoint_for("us-east-1", ctx.env)
    assert check.call(other, None) is None


def test_what_the_worker_raises_is_raised_where_the_flow_waits(home: Path, fake: FakeDashScope) -> None:
    ctx = make_ctx(
        home, env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(), "DASHSCOPE_SETUP_TIMEOUT": "-1"}
    )
    check = BackgroundCheck(ctx, job(new_key()))
    with pytest.raises(SetupError) as raised:
        check.probe(None)
    assert raised.value.msg_id == "err.timeout_value"
