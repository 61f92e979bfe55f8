"""The team file: what it accepts, and every refusal naming the file and the line of the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import new_key
from wizard.errors import ExitCode, SetupError
from wizard.messages import t
from wizard.shells import SHELL_NAMES
from wizard.team import CONFIG_VAR, load, locate

STORES = ("file", "keyring", "inline", "userenv")


def team_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "team.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    path = team_file(tmp_path, text)
    return load(path, from_flag=True, env=env or {}, shell_names=SHELL_NAMES, store_kinds=STORES)


def refusal(tmp_path: Path, text: str) -> SetupError:
    with pytest.raises(SetupError) as info:
        load_text(tmp_path, text)
    assert info.value.code == ExitCode.USAGE
    assert info.value.params["path"] == str(tmp_path / "team.toml")
    for lang in ("en", "zh"):  # a whole sentence in both languages, naming the file
        said = t(lang, info.value.msg_id, **info.value.params)
        assert str(tmp_path / "team.toml") in said and "{" not in said
    return info.value


def test_a_full_team_file(tmp_path: Path) -> None:
    team = load_text(
        tmp_path,
        "# the team's standard\n"
        'region = "singapore"\n'
        'workspace = "llm-team_01"\n'
        'model = "qwen-max"\n'
        'stores = ["keyring", "file"]\n'
        'shells = ["bash", "zsh"]\n'
        'lang = "zh"\n',
    )
    assert team.region == "ap-southeast-1"  # an alias, as --region takes it
    assert team.workspace == "llm-team_01"
    assert team.model == "qwen-max"
    assert team.stores == ("keyring", "file")
    assert team.shells == ("bash", "zsh")
    assert team.lang == "zh"
    assert team.base_url is None and team.from_flag


def test_a_gateway_base_url(tmp_path: Path) -> None:
    team = load_text(tmp_path, 'base_url = "https://llm-gw.example.com/compatible-mode/v1/"\n')
    assert team.base_url == "https://llm-gw.example.com/compatible-mode/v1"
    assert team.region is None


def test_an_empty_file_sets_nothing(tmp_path: Path) -> None:
    team = load_text(tmp_path, "# nothing yet\n")
    assert (team.region, team.base_url, team.stores, team.shells, team.lang) == (None, None, (), (), None)


@pytest.mark.parametrize(
    ("text", "msg_id", "line"),
    [
        ('region = "cn-beijing"\n\nregon = "x"\n', "team.err.unknown", 3),
        ('lang = "en"\n[dashscope]\nregion = "cn-beijing"\n', "team.err.unknown", 2),
        ("region = 1\n", "team.err.not_text", 1),
        ('lang = "en"\nstores = "keyring"\n', "team.err.not_list", 2),
        ('shells = ["bash", 3]\n', "team.err.not_list", 1),
        ("stores = []\n", "team.err.empty", 1),
        ('lang = "en"\nregion = "mars-1"\n', "team.err.choice", 2),
        ('stores = ["keyring", "vault"]\n', "team.err.choice", 1),
        ('shells = ["bash", "tcsh"]\n', "team.err.choice", 1),
        ('lang = "fr"\n', "team.err.choice", 1),
        ('region = "cn-beijing"\nworkspace = "bad id!"\n', "team.err.workspace", 2),
        ('workspace = "ws1"\n', "team.err.workspace_without_region", 1),
        ('# Frankfurt\nregion = "eu-central-1"\n', "team.err.needs_workspace", 2),
        (
            'region = "cn-beijing"\nbase_url = "https://gw.example.com/v1"\n',
            "team.err.base_url_and_region",
            2,
        ),
        ('base_url = "ftp://gw.example.com"\n', "team.err.base_url", 1),
        ('base_url = "http://gw.example.com/v1"\n', "team.err.base_url", 1),
        ('base_url = "https://user:pw@gw.example.com/v1"\n', "team.err.base_url", 1),
        ('model = "qwen plus"\n', "team.err.model", 1),
        ('\n\napi_key = ""\n', "team.err.secret_setting", 3),
        ('DASHSCOPE_API_KEY = "x"\n', "team.err.secret_setting", 1),
    ],
)
def test_each_bad_setting_is_refused_on_its_line(tmp_path: Path, text: str, msg_id: str, line: int) -> None:
    error = refusal(tmp_path, text)
    assert error.msg_id == msg_id
    assert error.params["line"] == line


@pytest.mark.parametrize(
    "text",
    [
        'region = "cn-beijing"\nmodel = "{key}"\n',
        'region = "cn-beijing"\n# the key is {key}, do not share\n',
        'region = "cn-beijing"\nworkspace = "{key}"\n',
        'region = "cn-beijing"\n"{key}" = 1\n',
    ],
    ids=["value", "comment", "workspace", "as a name"],
)
def test_a_key_anywhere_is_refused_and_never_repeated(tmp_path: Path, text: str) -> None:
    key = new_key()
    error = refusal(tmp_path, text.format(key=key))
    assert error.msg_id == "team.err.secret"
    assert error.params["line"] == 2
    for lang in ("en", "zh"):
        said = t(lang, error.msg_id, **error.params)
        assert key not in said and key[-4:] not in said


def test_syntax_errors_name_line_and_column(tmp_path: Path) -> None:
    error = refusal(tmp_path, 'region = "cn-beijing"\nlang = en\n')
    assert error.msg_id == "team.err.syntax"
    assert (error.params["line"], error.params["column"]) == (2, 8)
    assert "(at line" not in error.params["detail"]


def test_a_setting_twice_is_a_syntax_error(tmp_path: Path) -> None:
    error = refusal(tmp_path, 'lang = "en"\nlang = "zh"\n')
    assert error.msg_id == "team.err.syntax"
    assert error.params["line"] == 2


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(SetupError) as info:
        load(tmp_path / "none.toml", from_flag=True, env={}, shell_names=SHELL_NAMES, store_kinds=STORES)
    assert (info.value.code, info.value.msg_id) == (ExitCode.USAGE, "team.err.missing")
    (tmp_path / "latin1.toml").write_bytes(b'region = "cn-beijing"\n# caf\xe9\n')
    with pytest.raises(SetupError) as info:
        load(tmp_path / "latin1.toml", from_flag=True, env={}, shell_names=SHELL_NAMES, store_kinds=STORES)
    assert (info.value.msg_id, info.value.params["line"]) == ("team.err.encoding", 2)
    with pytest.raises(SetupError) as info:
        load(tmp_path, from_flag=True, env={}, shell_names=SHELL_NAMES, store_kinds=STORES)
    assert info.value.msg_id == "team.err.unreadable"


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_bytes('\ufefflang = "zh"\n'.encode())
    team = load(tmp_path / "team.toml", from_flag=False, env={}, shell_names=SHELL_NAMES, store_kinds=STORES)
    assert team.lang == "zh"


def test_the_flag_wins_over_the_variable_and_relative_paths_are_from_cwd(tmp_path: Path) -> None:
    env = {CONFIG_VAR: "/etc/team.toml"}
    assert locate("mine.toml", env, tmp_path) == (tmp_path / "mine.toml", True)
    assert locate(None, env, tmp_path) == (Path("/etc/team.toml"), False)
    assert locate(None, {CONFIG_VAR: " "}, tmp_path) is None
    assert locate(None, {}, tmp_path) is None
