"""The templates ship inside the wheel, and the code finds them installed and from a checkout; the
wheel and sdist are fit for PyPI and install, with their test extras, on the oldest and newest Python."""

from __future__ import annotations

import os
import pwd
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import wizard
from tests.conftest import IN_CI, ROOT, clean_env
from wizard.shells import snippets


def templates() -> list[str]:
    base = ROOT / "shell_snippets"
    return sorted(str(p.relative_to(base)) for p in base.rglob("*.tmpl"))


def test_source_checkout_finds_templates() -> None:
    assert snippets.templates_dir() == ROOT / "shell_snippets"


def test_wheel_contains_every_template_and_installed_copy_finds_them(tmp_path: Path, home: Path) -> None:
    out = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("dashscope_setup-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [t for t in templates() if f"wizard/shell_snippets/{t}" not in names]
    assert templates() and not missing
    assert any(n.endswith("entry_points.txt") for n in names)
    # The metadata says MIT; the licence text itself ships with it.
    (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert "MIT License" in zipfile.ZipFile(wheel).read(licence).decode()
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert b"License-Expression: MIT" in metadata and b"License-File: LICENSE" in metadata

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = clean_env(home, PYTHONPATH=str(target))
    probe = subprocess.run(
        [sys.executable, "-c", "from wizard.shells import snippets; print(snippets.templates_dir())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(tmp_path),
        check=True,
    )
    assert probe.stdout.strip() == str(target / "wizard" / "shell_snippets")
    snippet = subprocess.run(
        [sys.executable, "-m", "wizard", "snippet", "--shell", "fish"],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(tmp_path),
        check=True,
    )
    assert "read -gx DASHSCOPE_API_KEY" in snippet.stdout


def supported_pythons() -> tuple[str, str]:
    """(oldest, newest) as X.Y: requires-python's floor and the newest version classifier."""
    text = (ROOT / "pyproject.toml").read_text()
    floor = re.search(r'^requires-python = ">=(3\.\d+)"', text, re.M)
    listed = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)
    assert floor and listed
    assert floor.group(1) == min(listed, key=lambda v: int(v.split(".")[1])), "classifiers start at the floor"
    return floor.group(1), max(listed, key=lambda v: int(v.split(".")[1]))


def python_for(version: str) -> str:
    """That Python's path (scripts/python-for); in CI a missing one fails, as any real component."""
    found = subprocess.run(
        [str(ROOT / "scripts" / "python-for"), version],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": pwd.getpwuid(os.getuid()).pw_dir},
    )
    if found.returncode != 0:
        if IN_CI:
            pytest.fail(f"Python {version} is required in CI: {found.stderr.strip()}")
        pytest.skip(found.stderr.strip())
    return found.stdout.strip()


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and the sdist, built as a release would be (`python -m build`, isolated)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return out


def test_wheel_and_sdist_pass_twine_check_strict(dist: Path) -> None:
    (wheel,) = dist.glob("dashscope_setup-*.whl")
    (sdist,) = dist.glob("dashscope_setup-*.tar.gz")
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("PASSED") == 2, check.stdout
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))
    )
    for field in (b"Classifier: Programming Language :: Python :: 3.9", b"Keywords: ", b"Project-URL: "):
        assert field in metadata
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"LICENSE", "README.md", "examples/ansible/playbook.yml", "scripts/test", "docs/fleet.md"} <= names


@pytest.mark.real
@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_wheel_installs_with_its_test_extras_on_the_oldest_and_newest_python(
    dist: Path, tmp_path: Path, home: Path, which: str
) -> None:
    version = dict(zip(("oldest", "newest"), supported_pythons()))[which]
    python = python_for(version)
    (wheel,) = dist.glob("dashscope_setup-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[test]"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert install.returncode == 0, install.stdout + install.stderr[-3000:]
    env = clean_env(home)
    env.pop("PYTHONPATH")  # the installed wheel, not this checkout
    tool = str(venv / "bin" / "dashscope-setup")
    said = subprocess.run([tool, "--version"], capture_output=True, text=True, env=env, cwd=str(home))
    assert said.returncode == 0 and said.stdout.split()[-1] == wizard.__version__, said.stdout + said.stderr
    snippet = subprocess.run(
        [tool, "snippet", "--shell", "bash"], capture_output=True, text=True, env=env, cwd=str(home)
    )
    assert snippet.returncode == 0 and "DASHSCOPE_API_KEY" in snippet.stdout, snippet.stderr
    # The test tools import on this Python; the PowerShell grammar exactly where its marker says.
    probe = "import pytest, pexpect, hypothesis, tree_sitter, openai, dashscope, ansible, build, twine\n"
    if version != "3.9":
        probe += "import tree_sitter_powershell, truststore\n"
    imported = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe], capture_output=True, text=True, env=env, cwd=str(home)
    )
    assert imported.returncode == 0, imported.stderr


def test_ci_runs_the_oldest_and_the_newest_supported_python() -> None:
    oldest, newest = supported_pythons()
    ci = (ROOT / ".ci" / "run").read_text()
    assert f"newest=$(scripts/python-for {newest})" in ci and f"oldest=$(scripts/python-for {oldest})" in ci
    assert "PYTHON=$newest ./scripts/test\n" in ci  # everything, on the newest
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    linux = workflow[workflow.index("\n  linux:") : workflow.index("\n  windows:")]
    assert f"python-version: |\n            {oldest}\n            {newest}\n" in linux
