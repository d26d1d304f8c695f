"""The shape `bot/` keeps: imports visible at module level, modules small enough to read.

import-linter checks the layers from the import graph, but an import inside a function is a
graph edge it sees while a reader does not; so each one must say why it is there (a heavy or
optional library), or sit in a command-line module whose docstring says its commands load
their own libraries.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
MODULES = sorted(BOT.rglob("*.py"))
CLI_MARK = "imported inside the commands"
MAX_LINES = 420


def _function_imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, has a comment on it or just above) per import inside a function."""
    lines = path.read_text().splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import | ast.ImportFrom):
                module = sub.module if isinstance(sub, ast.ImportFrom) else sub.names[0].name
                text = lines[sub.lineno - 1: sub.end_lineno]
                above = lines[sub.lineno - 2].strip() if sub.lineno > 1 else ""
                found.append((sub.lineno, module or "",
                              any("#" in t for t in text) or above.startswith("#")))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(BOT)))
def test_function_level_imports_say_why(path: Path) -> None:
    docstring = " ".join((ast.get_docstring(ast.parse(path.read_text())) or "").split())
    if CLI_MARK in docstring:
        return
    silent = [f"{path.name}:{line} {module}"
              for line, module, commented in _function_imports(path) if not commented]
    assert not silent, f"import at module level, or say why in a comment: {silent}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(BOT)))
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_the_checker_sees_a_silent_function_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import json\n    # numpy: heavy\n    import numpy\n")
    assert _function_imports(sample) == [(2, "json", False), (4, "numpy", True)]
