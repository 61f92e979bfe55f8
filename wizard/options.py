"""Parsed command-line options: what the user asked for, before anything looks at the machine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.regions import DEFAULT_MODEL

if TYPE_CHECKING:
    from wizard.team import Team


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
    # Consumers beyond the SDK, only on request. openai_env None: as the last setup left it.
    openai_env: bool | None = None
    dotenv: Path | None = None  # a project .env to hold the key and base URL
    gitignore: bool = False  # may add that .env to its work tree's .gitignore
    qwen_code: bool = False  # an entry for this key in ~/.qwen/settings.json
    check: bool = False  # status --check: list the deviations from the team file (or from a sound setup)
    team: Team | None = None  # the team file (--config, DASHSCOPE_SETUP_CONFIG); flags override it

    sample: str | None = None  # `samples LANGUAGE` (python, node, curl); None: all of them

    @property
    def allowed_stores(self) -> tuple[str, ...]:
        """The stores the team allows, preferred first; empty: any."""
        return self.team.stores if self.team is not None else ()
