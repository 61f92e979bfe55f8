"""The shape of wizard/ (docs/ARCHITECTURE.md), checked rather than reviewed: the layering with
import-linter (the contract is in pyproject.toml), every module placed in a layer, and the size
of modules."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES = 450  # "about 400"; a module over it says why in its docstring
SIZE_REASON = re.compile(r"longer than|at about \d+ lines", re.I)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the `wizard` package found under `root` (its own PYTHONPATH entry comes
    before the installed copy), with the contract in `root/pyproject.toml`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],  # it reads root/pyproject.toml, in its working directory
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "LC_ALL": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def layer_modules() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    layers = text[text.index("layers = [") : text.index("]", text.index("layers = ["))]
    return set(re.findall(r"wizard\.[A-Za-z_]+", layers))


def test_the_layering_contract_is_kept() -> None:
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 kept, 0 broken" in proc.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "wizard", tmp_path / "wizard", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "wizard" / "shells" / "upward.py").write_text(
        "from wizard.commands import setup\n", encoding="utf-8"
    )
    proc = lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "wizard.shells.upward -> wizard.commands.setup" in proc.stdout


def test_every_top_level_module_has_a_layer() -> None:
    """A new module or package outside every layer would escape the contract."""
    found = {
        f"wizard.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "wizard").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()
    }
    assert found - layer_modules() == set()


def test_modules_are_about_400_lines_or_say_why() -> None:
    too_big = []
    for path in sorted((ROOT / "wizard").rglob("*.py")):
        if "messages" in path.parts:  # the catalogue is data: bilingual sentences, one per line
            continue
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES and not SIZE_REASON.search(ast.get_docstring(ast.parse(text)) or ""):
            too_big.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
    assert too_big == []
