"""Keep UMAP's compiled numba code on disk, so only the first fit on a computer compiles it.

UMAP and pynndescent compile about 500 numba functions on their first use in a process
(9-11 s on a 2-core machine, before any real work); most of them are not marked for
caching. Switching their on-disk cache on makes every later process load the machine
code instead (the warm-up went from 10.7 s to 0.16 s in a new process).
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

PACKAGES = ("umap", "pynndescent")
_enabled = False


def cache_dir() -> Path:
    """The per-user cache folder for compiled code, by each platform's convention."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "TopicDesk" / "cache" / "numba"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "TopicDesk" / "numba"
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "topicdesk" / "numba"


def enable() -> None:
    """Turn on numba's disk cache for UMAP's and pynndescent's functions (once per process).

    A folder that cannot be written, or functions numba cannot cache (as in a frozen
    bundle without sources), only mean compiling as before.
    """
    global _enabled
    if _enabled:
        return
    _enabled = True
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    os.environ.setdefault("NUMBA_CACHE_DIR", str(folder))
    import numba.core.config
    from numba.core.errors import NumbaWarning
    from numba.core.registry import CPUDispatcher

    numba.core.config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]
    # the few functions holding global arrays say so at each compile; they just compile
    warnings.filterwarnings(
        "ignore", message=".*Cannot cache compiled function", category=NumbaWarning
    )
    import umap.umap_  # noqa: F401 - imports the modules whose functions are cached below

    for name, module in list(sys.modules.items()):
        if name.split(".")[0] not in PACKAGES or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, CPUDispatcher):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        value.enable_caching()
                    except (RuntimeError, OSError, TypeError):  # no source to key the cache on
                        pass
