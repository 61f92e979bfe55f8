"""Parsed command-line options: what the user asked for, before anything looks at the machine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard.regions import DEFAULT_MODEL


@dataclass(frozen=True)
class Options:
    command: str = "setup"
    key_stdin: bool = False
    key_file: Path | None = None
    use_env: bool = False
    region: str = "auto"
    base_url: str | None = None
    workspace: str | None = None  # a workspace-dedicated host; required for the workspace-only regions
    shells: tuple[str, ...] = ()  # empty or ("auto",): detected + installed shells
    scope: str = "persistent"
    store: str | None = None  # None: "userenv" on Windows, "file" elsewhere
    model: str = DEFAULT_MODEL
    no_test: bool = False
    offline: bool = False  # no request at all: implies no_test, and an unchosen region is assumed
    save_anyway: bool = False
    dry_run: bool = False
    json: bool = False
    quiet: bool = False  # print errors only (the JSON object and `env`/`snippet` output still go out)
    verbose: bool = False  # setup: every detail above the short end screen (key, region URL, each file)
    lang: str | None = None
    yes: bool = False
    debug: bool = False
    argv: tuple[str, ...] = ()  # `run -- CMD ...`
    live: bool = False  # status --live
    scrub_history: bool = False
    disable_foreign: bool = False  # setup: comment out foreign DASHSCOPE_API_KEY lines
    sample: str | None = None  # `samples LANGUAGE` (python, node, curl); None: all of them
