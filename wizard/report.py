"""What a command did, as data: rendered once by render.py, as human text or as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.team import Compliance

# The actions that mean the machine is now different (a dry run's would- and a question's will- forms
# are not, nor is unchanged): what a provisioning tool reads as "changed".
DONE_ACTIONS = frozenset({"created", "modified", "removed", "deleted", "restored"})


@dataclass(frozen=True)
class Change:
    """One effect on the user's machine, as reported to the user and recorded for `remove`."""

    path: str
    # created | modified | unchanged | removed (a part: our block, a value) | deleted (the whole file)
    # | restored, and each one's would- form (a dry run) and will- form (asked before doing it)
    action: str
    what: str  # key-file | block | owned-file | manifest | keyring | registry | temp | foreign-export ...
    shell: str | None = None
    diff: str | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, str | None]:
        return {"path": self.path, "action": self.action, "what": self.what, "shell": self.shell}


@dataclass(frozen=True)
class Msg:
    id: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    command: str
    exit_code: int = 0
    error: Msg | None = None
    key_mask: str | None = None
    key_length: int | None = None
    key_kind: str | None = None
    key_source: str | None = None  # stdin | key-file | env | prompt | stored
    key_from_path: str | None = None  # the file the key was read from (key-file, a stored key file)
    key_from_store: str | None = None  # the store kind a stored key was read from
    key_notes: list[Msg] = field(default_factory=list)
    key_verified: bool = False  # the service took the key as genuine (probe or call)
    region: str | None = None
    region_source: str | None = None  # flag | base-url | chosen | configured | detected | assumed
    region_verified: bool = False  # the key was seen to work in this region (probe or call)
    base_url: str | None = None
    store: str | None = None
    key_file: str | None = None
    os_name: str | None = None
    wsl: bool = False
    current_shell: str | None = None
    shells: list[str] = field(default_factory=list)
    scope: str | None = None
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    session_lines: list[str] = field(default_factory=list)
    use_now: str | None = None  # the one line that gives this terminal the key now (None: open a new one)
    warnings: list[Msg] = field(default_factory=list)
    next_steps: list[Msg] = field(default_factory=list)
    snippet: str | None = None
    check: Any = None  # wizard.check.CheckResult when a live check ran
    status: Any = None  # wizard.scan.StatusReport for `status`
    consumers: list[Any] = field(default_factory=list)  # commands.consumers.ConsumerView, for `status`
    cwd: str | None = None  # the folder `status` judged the consumers for (Qwen Code looks up from it)
    history: list[dict[str, Any]] = field(default_factory=list)  # history findings (masked)
    foreign: list[dict[str, Any]] = field(default_factory=list)  # foreign exports found (masked)
    samples_for: tuple[str, str] | None = None  # (base_url, model) for the closing sample code
    # The sentence that ends the report in place of "Done."/"Removed." (e.g. nothing to remove).
    outcome: Msg | None = None
    usage: tuple[str, str] | None = None  # a usage error: (the refusing parser's usage lines, its prog)
    compliance: Compliance | None = None  # `status --check`: the deviations found

    @property
    def changed(self) -> bool:
        """Whether this command changed anything on the machine (every effect is a Change)."""
        return any(c.action in DONE_ACTIONS for c in self.changes)
