"""The layer rules of ARCHITECTURE.md, checked on every import in the package."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "topicdesk"
QT = ("PySide6", "pyqtgraph", "PyQt5", "PyQt6", "shiboken6")
TOP = "topicdesk"  # `from topicdesk import __version__`

# What each part of the package may import from the rest of it (see ARCHITECTURE.md).
ALLOWED = {
    "core": {"core", "errors"},
    "pipeline": {"core", "errors", "pipeline", "versions"},
    "analysis": {"core", "errors", "pipeline", "analysis"},
    "io": {"core", "errors", "io", TOP},
    "project": {"core", "errors", "project", TOP},
    "application": {"core", "errors", "pipeline", "analysis", "io", "project", "application", TOP},
    "cli": {"application", "core", "errors", "io", "pipeline", "project", TOP},
    "gui": {
        "application",
        "core",
        "errors",
        "gui",
        "io",
        "pipeline",
        "analysis",
        "project",
        "resources",
        "versions",
        TOP,
    },
    "__main__": {"cli", "gui"},
    "resources": {"errors"},
    "versions": set(),
    "errors": set(),
    "__init__": set(),
}


def _part(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every imported module name with its line, lazy imports inside functions included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def test_each_layer_imports_only_what_it_may():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        part = _part(path)
        assert part in ALLOWED, f"{path.relative_to(PACKAGE)}: a new top-level module needs a rule"
        for module, line in _imports(path):
            names = module.split(".")
            if names[0] != "topicdesk":
                continue
            target = names[1] if len(names) > 1 else TOP
            if target not in ALLOWED[part]:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} imports {module}")
    assert offenders == []


def test_only_the_gui_imports_qt():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module}"
        for path in PACKAGE.rglob("*.py")
        if _part(path) != "gui"
        for module, line in _imports(path)
        if module.split(".")[0] in QT
    ]
    assert offenders == []
    assert any(m.startswith("PySide6") for m, _ in _imports(PACKAGE / "gui" / "main_window.py"))


def test_modules_stay_small():
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert sizes["gui/main_window.py"] <= 400
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def test_the_rules_catch_a_wrong_import(tmp_path):
    wrong = tmp_path / "bad.py"
    wrong.write_text("def f():\n    from topicdesk.gui.main_window import MainWindow\n")
    assert _imports(wrong) == [("topicdesk.gui.main_window", 2)]
