"""With every network connection refused for the whole process, the app still does its
whole job: import, fit, lasso and curation, save, reopen and export, in the window and
in the CLI. The offline switches are the app's own (the test environment sets none).
The guard is installed by a ``sitecustomize`` module on PYTHONPATH, so every Python
process started from the test is watched, the window's fitting process included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
END_TO_END = [
    "tests/gui/test_app_e2e.py",
    "tests/test_cli.py::test_fit_writes_project_and_prints_topics",
    "tests/test_cli.py::test_export_xlsx_and_csv",
]
GUARD = """
import sys
sys.path.insert(0, {root!r})
from tests.trust.network_guard import install
install({log!r})
"""
CHILD = """
import socket, sys
import pytest
code = pytest.main([*{tests!r}, "-q", "-x", "-p", "no:cacheprovider"])
try:  # the guard itself must be live at the end: this attempt has to be refused
    socket.create_connection(("huggingface.co", 443), timeout=3)
    sys.exit(3)
except PermissionError:
    pass
sys.exit(code)
"""


def test_whole_workflow_with_the_network_blocked(tmp_path):
    log = tmp_path / "network.log"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD.format(root=str(ROOT), log=str(log)))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")
    }
    proc = subprocess.run(
        [sys.executable, "-c", CHILD.format(tests=END_TO_END)],
        cwd=ROOT,
        env={**env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "passed" in proc.stdout and "failed" not in proc.stdout
    lines = log.read_text().splitlines()
    attempts = [ln for ln in lines if ln.startswith("blocked")]
    # only the final probe, which proves the guard was watching, may appear
    assert len(attempts) == 1 and "huggingface.co" in attempts[0], attempts
    watched = [ln for ln in lines if ln.startswith("watching")]
    assert any("spawn_main" in ln for ln in watched), watched  # the fitting process too
