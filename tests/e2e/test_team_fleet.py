"""A team file and `status --check`, as a fleet uses them: the real command in a real HOME with real
files (and the real keyring, and the fake DashScope for `--live`). Each deviation is produced by
making the machine deviate for real; a compliant machine exits 0; a bad team file names its line.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, clean_env, new_key, require, run_cli, setup_cli, snapshot
from tests.e2e.test_keyring_e2e import UNLOCKED, in_session, read, world  # noqa: F401 (world: a fixture)
from tests.fakes.dashscope import FakeDashScope
from wizard.messages import t

NOT_COMPLIANT = 10


def fleet_env(fake: FakeDashScope | None, **env: str) -> dict[str, str]:
    """A short timeout and, with a fake, its region URLs, under what the test sets."""
    settings = {"DASHSCOPE_SETUP_TIMEOUT": "5", **env}
    if fake is not None:
        settings.setdefault("DASHSCOPE_SETUP_REGION_URLS", fake.urls_env())
    return settings


def cli(home: Path, fake: FakeDashScope | None, *args: str, stdin: str = "", **env: str) -> Any:
    return run_cli(home, *args, stdin=stdin, env=fleet_env(fake, **env))


def write_team(home: Path, text: str) -> Path:
    path = home / "team.toml"
    path.write_text(text, encoding="utf-8")
    return path


def setup(home: Path, fake: FakeDashScope | None, key: str, *args: str, **env: str) -> None:
    done = setup_cli(home, key, *args, env=fleet_env(fake, **env))
    assert done.returncode == 0, done.stdout + done.stderr


def check(home: Path, fake: FakeDashScope | None, *args: str, **env: str) -> tuple[int, dict[str, Any]]:
    """`status --check --json`: the exit code and the compliance object."""
    done = cli(home, fake, "status", "--check", "--json", *args, **env)
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert data["exit_code"] == done.returncode
    return done.returncode, data["compliance"]


def ids(compliance: dict[str, Any]) -> list[str]:
    return [d["id"] for d in compliance["deviations"]]


def only(compliance: dict[str, Any], deviation: str) -> dict[str, Any]:
    (found,) = [d for d in compliance["deviations"] if d["id"] == deviation]
    return found


def bash_line(home: Path, line: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require("bash"), "-c", line],
        env=clean_env(home, **env),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


# --- compliance, and the deviations that need no team file -------------------------------------------


def test_no_key_is_a_deviation_and_a_sound_setup_complies(home: Path) -> None:
    code, found = check(home, None)
    assert (code, ids(found), found["compliant"], found["team_file"]) == (
        NOT_COMPLIANT,
        ["no-key"],
        False,
        None,
    )
    assert only(found, "no-key")["fix"].endswith("-m wizard setup")
    setup(home, None, new_key(), "--shell", "bash")
    assert check(home, None) == (0, {"team_file": None, "compliant": True, "deviations": []})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_human_list_is_short_and_in_both_languages(home: Path, lang: str) -> None:
    done = cli(home, None, "status", "--check", "--lang", lang)
    assert done.returncode == NOT_COMPLIANT
    assert t(lang, "team.dev.no_key") in done.stdout
    assert t(lang, "team.check.fix", command="") in done.stdout
    assert t(lang, "status.scenario.bash") not in done.stdout  # the list, not the whole status screen
    setup(home, None, new_key(), "--shell", "bash")
    done = cli(home, None, "status", "--check", "--lang", lang)
    assert done.returncode == 0
    assert done.stdout == "✓ " + t(lang, "team.check.ok_plain") + "\n"


def test_a_hand_made_export_of_another_key_conflicts_and_its_fix_resolves_it(home: Path) -> None:
    key, other = new_key(), new_key()
    (home / ".bashrc").write_text(f"export DASHSCOPE_API_KEY={other}\n")
    setup(home, None, key, "--shell", "bash")
    code, found = check(home, None)
    assert (code, ids(found)) == (NOT_COMPLIANT, ["conflicting-keys"])
    conflict = only(found, "conflicting-keys")
    assert conflict["params"]["count"] == 2 and other not in json.dumps(found)
    assert conflict["fix"].endswith("setup --disable-foreign")
    # What the fix does, without a terminal to answer the wizard: the same flag with --yes.
    setup_again = cli(home, None, "setup", "--yes", "--offline", "--disable-foreign", "--shell", "bash")
    assert setup_again.returncode == 0, setup_again.stderr
    assert check(home, None)[0] == 0


def test_this_terminals_other_key_is_a_deviation_whose_fix_loads_the_right_one(home: Path) -> None:
    key, other = new_key(), new_key()
    setup(home, None, key, "--shell", "bash")
    code, found = check(home, None, DASHSCOPE_API_KEY=other, SHELL="/bin/bash")
    assert (code, ids(found)) == (NOT_COMPLIANT, ["terminal-key"])
    fix = only(found, "terminal-key")["fix"]
    assert "env" in fix
    loaded = bash_line(home, f'{fix}; printf %s "$DASHSCOPE_API_KEY"', DASHSCOPE_API_KEY=other)
    assert loaded.stdout == key


def test_a_block_edited_by_hand_is_a_deviation_fixed_by_hand(home: Path) -> None:
    setup(home, None, new_key(), "--shell", "bash")
    bashrc = home / ".bashrc"
    bashrc.write_text(
        bashrc.read_text().replace("export DASHSCOPE_API_KEY", "export DASHSCOPE_API_KEY # mine")
    )
    code, found = check(home, None)
    assert (code, ids(found)) == (NOT_COMPLIANT, ["edited-block"])
    assert only(found, "edited-block")["fix"] is None
    done = cli(home, None, "status", "--check")
    assert t("en", "team.check.fix_by_hand") in done.stdout


def test_a_failed_live_check_is_a_deviation_and_a_working_key_complies(
    home: Path, fake: FakeDashScope
) -> None:
    key = new_key()
    setup(home, fake, key, "--shell", "bash", "--region", "cn-beijing")
    code, found = check(home, fake, "--live")
    assert (code, ids(found)) == (NOT_COMPLIANT, ["live-check"])  # 10, not the check's own 3
    assert only(found, "live-check")["fix"].endswith("setup")
    fake.add_key(key, "cn-beijing")
    assert check(home, fake, "--live") == (0, {"team_file": None, "compliant": True, "deviations": []})


def test_live_with_a_key_only_a_startup_file_sets_by_hand(home: Path, fake: FakeDashScope) -> None:
    """New bash terminals get it, so it is configured; but `test`, `env` and `run` cannot read it."""
    (home / ".bashrc").write_text(f"export DASHSCOPE_API_KEY={new_key()}\n")
    assert check(home, fake)[0] == 0
    code, found = check(home, fake, "--live")
    assert (code, ids(found)) == (NOT_COMPLIANT, ["live-check"])
    assert only(found, "live-check")["fix"].endswith("setup")
    assert fake.recorded() == []


def test_live_with_no_key_is_the_no_key_deviation(home: Path, fake: FakeDashScope) -> None:
    assert check(home, fake, "--live")[1]["deviations"][0]["id"] == "no-key"
    assert fake.recorded() == []


# --- against a team file --------------------------------------------------------------------------


def test_setup_with_the_team_file_complies_and_a_flag_overrides_it(home: Path) -> None:
    team = write_team(home, 'region = "singapore"\nstores = ["file"]\nshells = ["bash"]\n')
    key = new_key()
    setup(home, None, key, "--config", str(team))
    state = json.loads((home / ".config" / "dashscope-setup" / "state.json").read_text())
    assert state["region"] == "ap-southeast-1"
    assert check(home, None, "--config", str(team)) == (
        0,
        {"team_file": str(team), "compliant": True, "deviations": []},
    )
    setup(home, None, key, "--config", str(team), "--region", "us")  # the flag wins
    code, found = check(home, None, "--config", str(team))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["region"])
    assert only(found, "region")["params"] == {"actual": "us-east-1", "expected": "ap-southeast-1"}
    assert only(found, "region")["fix"].endswith(f"setup --config {team}")


def test_snippet_prints_what_setup_writes_for_the_team(home: Path) -> None:
    """With nothing set up yet, `snippet` follows the team file as `setup` does (its region, shells
    and store), not this machine's defaults: each block it prints is the one setup then writes."""
    team = write_team(home, 'region = "singapore"\nstores = ["file"]\nshells = ["zsh", "bash"]\n')
    shown = cli(home, None, "snippet", "--config", str(team))
    assert shown.returncode == 0, shown.stderr
    blocks: dict[str, str] = {}
    targets: list[str] = []
    body: list[str] = []
    for line in shown.stdout.splitlines():
        if line.startswith("# -> "):
            targets.append(line[5:])
        elif line in ("# zsh", "# bash", "# Zsh", "# Bash"):
            continue
        else:
            body.append(line)
            if line == "# <<< dashscope-setup <<<":
                blocks.update(dict.fromkeys(targets, "\n".join(body)))
                targets, body = [], []
    assert sorted(blocks) == sorted(str(home / n) for n in (".zshrc", ".zprofile", ".bashrc", ".profile"))
    assert "dashscope-intl.aliyuncs.com" in shown.stdout
    setup(home, None, new_key(), "--config", str(team))
    for target, block in blocks.items():
        assert block in Path(target).read_text(encoding="utf-8"), target


def test_the_variable_names_the_team_file_too(home: Path) -> None:
    team = write_team(home, 'region = "hk"\n')
    setup(home, None, new_key(), "--shell", "bash", DASHSCOPE_SETUP_CONFIG=str(team))
    assert check(home, None, DASHSCOPE_SETUP_CONFIG=str(team))[0] == 0
    code, found = check(home, None, DASHSCOPE_SETUP_CONFIG=str(write_team(home, 'region = "cn-beijing"\n')))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["region"])
    assert "--config" not in only(found, "region")["fix"]  # the variable is still set where it was


def test_a_gateway_base_url_from_the_team_and_a_machine_elsewhere(home: Path, fake: FakeDashScope) -> None:
    gateway = fake.urls()["cn-hongkong"]
    team = write_team(home, f'base_url = "{gateway}"\n')
    setup(home, fake, new_key(), "--shell", "bash", "--config", str(team))
    assert check(home, fake, "--config", str(team))[0] == 0
    setup(home, fake, new_key(), "--shell", "bash", "--region", "cn-beijing")
    code, found = check(home, fake, "--config", str(team))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["base-url"])
    assert only(found, "base-url")["params"]["expected"] == gateway


def test_a_workspace_from_the_team_and_a_machine_on_another(home: Path) -> None:
    team = write_team(home, 'region = "cn-beijing"\nworkspace = "llm-team"\n')
    setup(home, None, new_key(), "--shell", "bash", "--config", str(team))
    assert check(home, None, "--config", str(team))[0] == 0
    setup(home, None, new_key(), "--shell", "bash", "--region", "cn-beijing", "--workspace", "llm-other")
    code, found = check(home, None, "--config", str(team))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["workspace"])
    assert only(found, "workspace")["params"] == {"actual": "llm-other", "expected": "llm-team"}


def test_a_plaintext_store_where_the_team_requires_the_keyring(home: Path) -> None:
    team = write_team(home, 'stores = ["keyring"]\n')
    setup(home, None, new_key(), "--shell", "bash", "--store", "file")  # before the team file came
    code, found = check(home, None, "--config", str(team))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["store"])
    assert only(found, "store")["params"] == {"store": "file", "allowed": "keyring"}
    assert only(found, "store")["fix"].endswith(f"setup --store keyring --config {team}")


def test_a_hand_made_plaintext_key_where_the_team_keeps_keys_elsewhere(home: Path) -> None:
    key = new_key()
    (home / ".bashrc").write_text(f"# by hand, from the guide\nexport DASHSCOPE_API_KEY={key}\n")
    team = write_team(home, 'stores = ["file"]\n')
    setup(home, None, key, "--shell", "bash", "--config", str(team))
    code, found = check(home, None, "--config", str(team))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["plaintext-key"])
    assert only(found, "plaintext-key")["params"]["line"] == 2
    assert key not in json.dumps(found)
    again = cli(home, None, "setup", "--yes", "--offline", "--disable-foreign", "--config", str(team))
    assert again.returncode == 0, again.stderr
    assert check(home, None, "--config", str(team))[0] == 0


def test_a_team_shell_whose_terminals_miss_the_key(home: Path) -> None:
    require("zsh")
    team = write_team(home, 'shells = ["bash", "zsh"]\n')
    setup(home, None, new_key(), "--shell", "bash")
    code, found = check(home, None, "--config", str(team))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["shell"])
    assert only(found, "shell")["fix"].endswith(f"setup --shell bash --shell zsh --config {team}")
    setup(home, None, new_key(), "--config", str(team))  # the team's shells are setup's default
    assert check(home, None, "--config", str(team))[0] == 0


def test_the_team_model_is_the_live_checks_default(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    team = write_team(home, 'model = "qwen-max"\n')
    setup(home, fake, key, "--shell", "bash", "--region", "cn-beijing")
    assert check(home, fake, "--live", "--config", str(team))[0] == 0
    assert [r.body["model"] for r in fake.recorded("chat")] == ["qwen-max"]


def test_several_deviations_at_once(home: Path) -> None:
    team = write_team(home, 'region = "cn-beijing"\nstores = ["keyring"]\n')
    (home / ".bashrc").write_text(f"export DASHSCOPE_API_KEY={new_key()}\n")
    setup(home, None, new_key(), "--shell", "bash", "--region", "us-east-1", "--store", "file")
    code, found = check(home, None, "--config", str(team))
    assert code == NOT_COMPLIANT
    assert sorted(ids(found)) == ["conflicting-keys", "plaintext-key", "region", "store"]


# --- the setup flow under the team file -----------------------------------------------------------


def test_a_store_the_team_does_not_allow_is_refused_before_anything_is_written(home: Path) -> None:
    team = write_team(home, 'stores = ["keyring"]\n')
    before = snapshot(home)
    done = cli(
        home,
        None,
        "setup",
        "--yes",
        "--offline",
        "--key-stdin",
        "--store",
        "file",
        "--config",
        str(team),
        stdin=new_key(),
    )
    assert done.returncode == 2
    assert (
        t("en", "team.err.store_not_allowed", store="file", path=str(team), allowed="keyring") in done.stderr
    )
    assert snapshot(home) == before


@pytest.mark.real
def test_keyring_required_setup_then_check_with_the_real_keyring(world: dict[str, Any]) -> None:  # noqa: F811
    home = world["home"]
    write_team(home, 'stores = ["keyring"]\nshells = ["bash"]\n')
    script = (
        UNLOCKED
        + '"$PY" -m wizard setup --yes --offline --key-stdin --config "$HOME/team.toml" <"$KEY_FILE"'
        + ' >"$OUT/setup.out" 2>&1; echo $? >"$OUT/setup.rc"\n'
        + '"$PY" -m wizard status --check --json --config "$HOME/team.toml" >"$OUT/check.json"; echo $? >"$OUT/check.rc"\n'
    )
    in_session(world, script)
    assert read(world, "setup.rc").strip() == "0", read(world, "setup.out")
    assert not (home / ".dashscope" / "api_key").exists()  # the team's store, no plaintext copy
    assert read(world, "check.rc").strip() == "0", read(world, "check.json")
    assert json.loads(read(world, "check.json"))["compliance"]["compliant"] is True


@pytest.mark.real
def test_keyring_required_but_out_of_reach_does_not_offer_the_file_store(world: dict[str, Any]) -> None:  # noqa: F811
    """No D-Bus here: the refusal says why and what the team allows, not `--store file` (which the
    team file would refuse)."""
    from tests.e2e.test_keyring_e2e import _run, env_for

    home = world["home"]
    team = write_team(home, 'stores = ["keyring"]\n')
    before = snapshot(home)
    line = '"$PY" -m wizard setup --yes --offline --key-stdin --shell bash --config "$HOME/team.toml" <"$KEY_FILE"'
    done = _run(["sh", "-c", line], world["key"], env_for(world))
    assert done.returncode == 8, done.stderr
    assert "--store file" not in done.stderr
    assert (
        t("en", "team.err.keyring_no_dbus", team_file=str(team), allowed="keyring").split(". ")[0]
        in done.stderr
    )
    assert f"{team} allows only: keyring" in done.stderr
    assert snapshot(home) == before


# --- a bad team file ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_team_file_is_exit_2_naming_file_and_line(home: Path, lang: str) -> None:
    team = write_team(home, '# team\nregion = "cn-beijing"\nstore = ["keyring"]\n')
    for command in (("status", "--check"), ("setup", "--yes", "--offline", "--key-stdin")):
        done = cli(home, None, *command, "--lang", lang, "--config", str(team), stdin=new_key())
        assert done.returncode == 2
        said = t(lang, "team.err.unknown", path=str(team), line=3, setting="store", known="")
        assert said.split("store")[0] in done.stderr
        assert "Traceback" not in done.stderr


def test_a_key_in_the_team_file_is_refused_without_showing_it(home: Path) -> None:
    key = new_key()
    team = write_team(home, f'region = "cn-beijing"\nmodel = "{key}"\n')
    done = cli(home, None, "status", "--check", "--json", DASHSCOPE_SETUP_CONFIG=str(team))
    assert done.returncode == 2
    data = json.loads(done.stdout)
    assert (data["error"]["id"], data["exit_code"]) == ("team.err.secret", 2)
    assert f"{team}, line 2" in data["error"]["message"]
    assert key not in done.stdout + done.stderr and key[-4:] not in done.stdout + done.stderr


def test_the_team_language_unless_a_flag_says_otherwise(home: Path) -> None:
    team = write_team(home, 'lang = "zh"\n')
    done = cli(home, None, "status", "--check", "--config", str(team))
    assert t("zh", "team.dev.no_key") in done.stdout
    done = cli(home, None, "status", "--check", "--config", str(team), "--lang", "en")
    assert t("en", "team.dev.no_key") in done.stdout


def test_the_readme_teams_block_runs_as_written(home: Path, fake: FakeDashScope) -> None:
    """The README's team file and its commands, in a fresh HOME, against the fake."""
    from tests.test_readme_examples import block_with, run_block
    from tests.test_readme_examples import world as readme_world

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    toml = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    work = home / "work"
    work.mkdir()
    (work / "team.toml").write_text(toml, encoding="utf-8")
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    run_block(block_with("status --check"), readme_world(home, fake, key), work, key)


# --- in a terminal: the wizard under the team file, and a printed fix run as printed -----------------


def test_the_wizard_offers_only_the_stores_the_team_allows(home: Path, fake: FakeDashScope) -> None:
    from tests.e2e.test_wizard_pty import DOWN, ENTER, finish, q, spawn, type_key

    key = new_key()
    fake.add_key(key, "cn-beijing")
    team = write_team(home, 'stores = ["inline", "keyring"]\nshells = ["bash"]\n')
    child = spawn(home, fake, "en", DASHSCOPE_SETUP_CONFIG=str(team))
    how = t("en", "wiz.welcome_check_call", model="qwen-plus")
    welcome = t("en", "team.wiz.welcome", path=str(team), check=how, stores="inline, keyring", prog="")
    child.expect(re.escape(welcome.split("`")[0]).replace(r"\ ", r"\s+"))  # wrapped at spaces
    type_key(child, "en", key)
    child.expect(q("en", "wiz.confirm"))
    child.send(DOWN + ENTER)  # Change…
    child.expect(q("en", "wiz.change_what"))
    child.send(ENTER)  # where the key is kept
    child.expect(q("en", "wiz.store") + r"\s")
    offered = child.before or ""
    assert t("en", "wiz.store_inline") in offered and t("en", "wiz.store_keyring") in offered
    assert t("en", "wiz.store_file") not in offered
    child.send(ENTER)  # the team's first store, the default
    child.expect(q("en", "wiz.confirm"))
    child.send(ENTER)
    child.expect(q("en", "label.done"))
    assert finish(child) == 0
    assert not (home / ".dashscope" / "api_key").exists()
    assert key in (home / ".bashrc").read_text()  # inline: the store the team chose
    assert check(home, fake, "--config", str(team))[0] == 0


def test_a_printed_fix_works_as_printed_in_a_terminal(home: Path, fake: FakeDashScope) -> None:
    """The `store` fix, pasted into a new bash on a terminal: the wizard runs with the team file and
    every question answered with its default; afterwards the machine complies."""
    import pexpect

    from tests.e2e.test_wizard_pty import ENTER, q

    key = new_key()
    fake.add_key(key, "cn-beijing")
    setup(home, fake, key, "--shell", "bash", "--region", "cn-beijing")
    team = write_team(home, 'region = "cn-beijing"\nstores = ["inline"]\nshells = ["bash"]\n')
    code, found = check(home, fake, "--config", str(team))
    assert (code, ids(found)) == (NOT_COMPLIANT, ["store"])
    env = clean_env(
        home, DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(), LANG="en_US.UTF-8", TERM="xterm-256color"
    )
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    child = pexpect.spawn(
        require("bash"),
        ["-c", only(found, "store")["fix"]],
        env=env,
        cwd=str(home),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 120),
    )
    done = q("en", "label.done")
    # Answer once the menu is drawn (line wrap back on): a key sent earlier may be lost.
    while child.expect([r"(?s)" + q("en", "wiz.instr_select") + r".*?\x1b\[\?7h", done]) == 0:
        child.send(ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert check(home, fake, "--config", str(team)) == (
        0,
        {"team_file": str(team), "compliant": True, "deviations": []},
    )
