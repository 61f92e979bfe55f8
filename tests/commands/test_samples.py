"""`samples`: right base URL, key only from the environment, and they really run.

The code is taken from what the real `samples` command prints after a real setup saved an endpoint,
and executed against the fake: Python with the real openai SDK, curl in a real bash, Node with the
openai npm package when it is resolvable (``NODE_PATH=/path/to/node_modules``, as scripts/test sets).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require, run_cli, setup_cli
from tests.fakes.dashscope import DEFAULT_REPLY, FakeDashScope, running_fake
from wizard.commands.samples import curl_sample, node_sample, python_sample, render_samples
from wizard.messages import t
from wizard.regions import REGION_IDS, REGIONS

KEY = "sk-" + "1234abcd5678ef90" * 2
BASE = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"


def child_env(**extra: str) -> dict[str, str]:
    """A clean environment for the sample programs: no proxies, the key only in DASHSCOPE_API_KEY."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(Path.cwd()), "DASHSCOPE_API_KEY": KEY}
    if os.environ.get("NODE_PATH"):
        env["NODE_PATH"] = os.environ["NODE_PATH"]
    env.update(extra)
    return env


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_every_sample_uses_the_regions_base_url(region: str) -> None:
    url = REGIONS[region].compatible_url
    samples = render_samples(url)
    assert all(url in text for text in (samples.python, samples.node, samples.curl))


@pytest.mark.parametrize("shell", ["posix", "cmd", "powershell"])
def test_no_sample_contains_a_key(shell: str) -> None:
    samples = render_samples(BASE, shell=shell)
    assert "sk-" not in samples.python + samples.node + samples.curl


def test_python_sample_reads_the_key_from_the_environment() -> None:
    assert 'api_key=os.getenv("DASHSCOPE_API_KEY")' in python_sample(BASE)


def test_python_sample_compiles() -> None:
    compile(python_sample(BASE), "hello.py", "exec")


def test_python_sample_escapes_odd_model_names() -> None:
    compile(python_sample(BASE, model='we"ird\\name'), "hello.py", "exec")


def test_python_sample_uses_the_given_model() -> None:
    assert 'model="qwen-max"' in python_sample(BASE, "qwen-max")


def test_node_sample_reads_the_key_from_the_environment() -> None:
    assert "apiKey: process.env.DASHSCOPE_API_KEY" in node_sample(BASE)


@pytest.mark.parametrize(
    ("shell", "expansion"),
    [
        ("posix", '"Authorization: Bearer $DASHSCOPE_API_KEY"'),
        ("cmd", "%DASHSCOPE_API_KEY%"),
        ("powershell", "$env:DASHSCOPE_API_KEY"),
    ],
)
def test_curl_expands_the_variable_with_the_shells_syntax(shell: str, expansion: str) -> None:
    assert expansion in curl_sample(BASE, shell=shell)


@pytest.mark.parametrize("shell", ["cmd", "powershell"])
def test_windows_curl_bodies_stay_ascii(shell: str) -> None:
    assert curl_sample(BASE, shell=shell).isascii()


@pytest.mark.parametrize("shell", ["fish-ish"])
def test_unknown_shell_is_a_programming_error(shell: str) -> None:
    with pytest.raises(ValueError, match=shell):
        curl_sample(BASE, shell=shell)


def test_trailing_slash_does_not_double_up() -> None:
    assert "/v1//chat" not in curl_sample(BASE + "/")


# --- the samples run, as `samples` prints them for the saved endpoint ----------------------------------


def saved(home: Path, fake: FakeDashScope, *flags: str) -> None:
    """A setup that saves an endpoint. Offline: what the samples follow is what was saved."""
    done = setup_cli(
        home, KEY, "--shell", "bash", *flags, env={"DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(REGION_IDS)}
    )
    assert done.returncode == 0, done.stderr


def printed(home: Path, fake: FakeDashScope | None, *args: str, lang: str = "en") -> str:
    env = {"LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8"}
    if fake is not None:
        env["DASHSCOPE_SETUP_REGION_URLS"] = fake.urls_env(REGION_IDS)
    result = run_cli(home, "samples", *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def run_python(script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script)],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_python_sample_runs_with_the_openai_sdk_against_the_fake(home: Path, tmp_path: Path) -> None:
    pytest.importorskip("openai")
    with running_fake({KEY: "ap-southeast-1"}) as fake:
        saved(home, fake, "--region", "ap-southeast-1")
        script = tmp_path / "hello.py"
        script.write_text(printed(home, fake, "python"), encoding="utf-8")  # `samples python > hello.py`
        proc = run_python(script)
    assert proc.stdout.strip() == DEFAULT_REPLY, proc.stderr[-2000:]


def test_a_saved_base_url_is_what_the_samples_call(home: Path, tmp_path: Path) -> None:
    """A custom endpoint (a gateway, a workspace host): only it accepts the key, so only a sample
    that follows the saved base URL gets an answer."""
    pytest.importorskip("openai")
    with running_fake({KEY: "ws-demo"}, regions=(*REGION_IDS, "ws-demo")) as fake:
        saved(home, fake, "--base-url", fake.url("ws-demo"))
        script = tmp_path / "hello.py"
        script.write_text(printed(home, fake, "python"), encoding="utf-8")
        proc = run_python(script)
    assert proc.stdout.strip() == DEFAULT_REPLY, proc.stderr[-2000:]


def test_a_saved_workspace_host_is_in_every_sample(home: Path) -> None:
    done = setup_cli(home, KEY, "--shell", "bash", "--region", "eu-central-1", "--workspace", "ws1")
    assert done.returncode == 0, done.stderr
    url = "https://ws1.eu-central-1.maas.aliyuncs.com/compatible-mode/v1"
    for language in ("python", "node", "curl"):
        assert url in printed(home, None, language, "--shell", "bash")


def test_flags_choose_another_endpoint_than_the_saved_one(home: Path) -> None:
    with running_fake({KEY: "ap-southeast-1"}) as fake:
        saved(home, fake, "--region", "ap-southeast-1")
        code = printed(home, fake, "node", "--region", "us-east-1")
        assert fake.url("us-east-1") in code and fake.url("ap-southeast-1") not in code


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_all_three_print_under_a_heading_each(home: Path, lang: str) -> None:
    with running_fake({KEY: "cn-hongkong"}) as fake:
        saved(home, fake, "--region", "cn-hongkong")
        everything = printed(home, fake, "--shell", "bash", lang=lang)
        alone = {n: printed(home, fake, n, "--shell", "bash") for n in ("python", "node", "curl")}
    headings = [t(lang, f"samples.heading.{n}") for n in ("python", "node", "curl")]
    assert [everything.index(h) for h in headings] == sorted(everything.index(h) for h in headings)
    for name, heading in zip(("python", "node", "curl"), headings):  # no strict= on Python 3.9
        assert f"{heading}\n{alone[name]}" in everything


def test_json_carries_the_same_code(home: Path) -> None:
    import json

    with running_fake({KEY: "us-east-1"}) as fake:
        saved(home, fake, "--region", "us-east-1")
        data = json.loads(printed(home, fake, "--json", "--shell", "bash"))
        curl = printed(home, fake, "curl", "--shell", "bash")
        assert data["samples"]["base_url"] == fake.url("us-east-1")
    assert data["samples"]["curl"].rstrip("\n") == curl.rstrip("\n")
    assert data["region"] == "us-east-1"


def test_posix_curl_sample_runs_against_the_fake(home: Path) -> None:
    require("curl")
    require("bash")
    with running_fake({KEY: "us-east-1"}) as fake:
        saved(home, fake, "--region", "us-east-1")
        proc = subprocess.run(
            ["bash", "-c", printed(home, fake, "curl", "--shell", "bash")],
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert DEFAULT_REPLY in proc.stdout, proc.stderr


def test_node_sample_is_valid_javascript(tmp_path: Path) -> None:
    require("node")
    script = tmp_path / "hello.mjs"
    script.write_text(node_sample(BASE), encoding="utf-8")
    proc = subprocess.run(
        ["node", "--check", str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr


def _node_has_openai(tmp_path: Path) -> bool:
    if shutil.which("node") is None:
        return False
    probe = subprocess.run(
        ["node", "-e", "require.resolve('openai')"],
        env=child_env(),
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def test_node_sample_runs_with_the_openai_package_against_the_fake(home: Path, tmp_path: Path) -> None:
    require("node")
    if not _node_has_openai(tmp_path):
        # scripts/test installs it into .venv/node_modules and sets NODE_PATH when npm exists.
        pytest.skip("the openai npm package is not resolvable (set NODE_PATH)")
    node_path = child_env().get("NODE_PATH", "")
    # ES modules ignore NODE_PATH: link the package next to the script instead.
    (tmp_path / "node_modules").mkdir()
    for entry in node_path.split(os.pathsep):
        if entry and (Path(entry) / "openai").is_dir():
            for dep in Path(entry).iterdir():
                target = tmp_path / "node_modules" / dep.name
                if not target.exists():
                    target.symlink_to(dep)
            break
    with running_fake({KEY: "cn-hongkong"}) as fake:
        saved(home, fake, "--region", "cn-hongkong")
        script = tmp_path / "hello.mjs"
        script.write_text(printed(home, fake, "node"), encoding="utf-8")
        proc = subprocess.run(
            ["node", str(script)],
            env=child_env(),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert proc.stdout.strip() == DEFAULT_REPLY, proc.stderr[-2000:]
