"""The live check on a worker thread, started as soon as the key is known: the region probe and
the test call run while the flow prepares the rest (shells, store, hand-made exports), instead of
after it.

The worker never prints and never writes a file. Its progress (stage lines, the streamed reply)
and its results come back through a queue, which the flow drains only when it needs a result;
the progress is then replayed on the flow's own Progress, on the main thread, in the order it
happened. A Ctrl-C lands in that wait (a short timed get, since a lock wait is not interruptible
everywhere) and ends the run at once: the worker is a daemon thread, and nothing was written.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard import interrupts, keys, regions
from wizard.commands.live import Progress, detect_region, live_check
from wizard.context import Context

if TYPE_CHECKING:
    from wizard.check import CheckResult

_POLL = 0.05  # seconds between looks at Ctrl-C while waiting


@dataclass(frozen=True)
class Job:
    """What the worker does with `key`: probe every region (when `given` is None or must be
    confirmed), then call `given` or the region found (when `call`)."""

    key: keys.Key
    given: regions.Endpoint | None
    probe: bool
    call: bool
    model: str
    workspace: str | None


class _Relay:
    """A Progress for the worker: every call becomes an event for the main thread."""

    def __init__(self, events: queue.Queue[tuple[str, Any]]) -> None:
        self.events = events

    def stage(self, name: str, info: dict[str, Any]) -> None:
        self.events.put(("stage", (name, dict(info))))

    def delta(self, text: str) -> None:
        self.events.put(("delta", text))

    def finish(self) -> None:
        self.events.put(("finish", None))


class BackgroundCheck:
    def __init__(self, ctx: Context, job: Job) -> None:
        self.job = job
        self._ctx = ctx
        self._events: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._results: dict[str, Any] = {}
        self._ended = False
        self._thread = threading.Thread(target=self._work, name="dashscope-setup-check", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        job, relay = self.job, _Relay(self._events)
        try:
            endpoint = job.given
            if job.probe:
                found, failure = detect_region(self._ctx, job.key, job.model, relay, job.workspace)
                self._events.put(("probe", (found, failure)))
                if found is None or (job.given is not None and found.region != job.given.region):
                    return
                endpoint = job.given or found
            if job.call and endpoint is not None:
                result = live_check(self._ctx, job.key, endpoint, job.model, relay, job.workspace)
                self._events.put(("call", (endpoint, result)))
        except BaseException as exc:  # handed back: raised where the flow waits for a result
            self._events.put(("error", exc))
        finally:
            self._events.put(("end", None))

    def probe(self, progress: Progress | None) -> tuple[regions.Endpoint | None, CheckResult | None]:
        """The probe's (region found, failure): waits, replaying the progress so far."""
        found: tuple[regions.Endpoint | None, CheckResult | None] | None = self._wait("probe", progress)
        if found is None:
            raise RuntimeError("the worker ended without probing")
        return found

    def call(self, endpoint: regions.Endpoint, progress: Progress | None) -> CheckResult | None:
        """The test call's result if the worker called `endpoint` (None: it did not; call it then)."""
        if not self.job.call:
            return None
        got: tuple[regions.Endpoint, CheckResult] | None = self._wait("call", progress)
        if got is None or got[0] != endpoint:
            return None
        return got[1]

    def _wait(self, kind: str, progress: Progress | None) -> Any:
        while kind not in self._results and not self._ended:
            interrupts.raise_if_pending()  # a Ctrl-C noted while an import ran
            try:
                event, value = self._events.get(timeout=_POLL)
            except queue.Empty:
                continue
            if event == "end":
                self._ended = True
            elif event == "error":
                raise value
            elif event in ("probe", "call"):
                self._results[event] = value
            elif progress is not None:
                _replay(progress, event, value)
        return self._results.get(kind)


def _replay(progress: Progress, event: str, value: Any) -> None:
    if event == "stage":
        progress.stage(*value)
    elif event == "delta":
        progress.delta(value)
    else:
        progress.finish()
