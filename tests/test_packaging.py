"""The templates ship inside the wheel, and the code finds them installed and from a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT, clean_env
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
