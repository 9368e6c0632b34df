"""OpenVINO models kept on disk beside the compiled-code cache, checked before they are used.

Converting the embedding model to OpenVINO takes seconds in every new process, and the
int8 copy takes minutes to build; both are written here once per computer (per model,
text window and library version) and read back afterwards. Each entry is written to a
temporary folder and renamed into place, and carries the SHA-256 of its files: an entry
that is incomplete, altered or unreadable is deleted and built again, never trusted.
Entries of plain files (:func:`save_files`) hold what a new process needs beside the
network, such as the load-time probe's float32 reference (:mod:`probe_reference`).
OpenVINO's own cache of compiled kernels goes to ``compiled/`` in the same folder.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from topicdesk.pipeline import jit_cache

FORMAT = 1  # bump when what is stored changes meaning
MANIFEST = "manifest.json"
FILES = ("model.xml", "model.bin")


def root() -> Path:
    """The folder of stored models: ``openvino`` next to numba's cache folder."""
    return jit_cache.cache_dir().parent / "openvino"


def compiled_dir() -> Path:
    """OpenVINO's cache of compiled kernels (its ``CACHE_DIR``)."""
    return root() / "compiled"


def model_fingerprint(folder: str) -> str:
    """What identifies a model folder's weights: file names, sizes and change times."""
    parts = []
    base = Path(folder)
    if base.is_dir():
        for path in sorted(base.rglob("*")):
            if path.is_file():
                stat = path.stat()
                parts.append(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}")
    else:  # a hub name (downloads allowed): the name is all there is
        parts.append(folder)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def entry_key(kind: str, *parts: object) -> str:
    """A folder name for one stored model: its kind and a hash of what it depends on."""
    text = json.dumps([FORMAT, kind, *map(str, parts)])
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:20]}"


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def is_stored(key: str) -> bool:
    """Whether an entry exists (without checking its contents)."""
    return (root() / key / MANIFEST).is_file()


def _write(key: str, names: tuple[str, ...], fill) -> Path:
    """An entry under ``key`` whose files ``names`` ``fill`` writes into a folder, with their
    checksums, replacing what was there."""
    target = root() / key
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=target.parent))
    try:
        fill(staging)
        digests = {name: _digest(staging / name) for name in names}
        (staging / MANIFEST).write_text(json.dumps({"format": FORMAT, "sha256": digests}))
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def save(ov, model, key: str) -> Path:
    """Write ``model`` (an ``openvino.Model``) under ``key``, replacing what was there."""
    return _write(
        key,
        FILES,
        lambda folder: ov.save_model(model, str(folder / FILES[0]), compress_to_fp16=False),
    )


def save_files(key: str, files: dict[str, bytes]) -> Path:
    """Write ``files`` (name to contents) under ``key``, replacing what was there."""

    def fill(folder: Path) -> None:
        for name, data in files.items():
            (folder / name).write_bytes(data)

    return _write(key, tuple(files), fill)


def remove(key: str) -> None:
    """Delete an entry whose contents turned out unusable, so it is built again."""
    shutil.rmtree(root() / key, ignore_errors=True)


def _checked(folder: Path, names: tuple[str, ...]) -> None:
    """Raise ValueError unless the entry in ``folder`` holds exactly ``names``, unchanged."""
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest.get("format") != FORMAT or set(manifest["sha256"]) != set(names):
        raise ValueError("unknown layout")
    for name, expected in manifest["sha256"].items():
        if _digest(folder / name) != expected:
            raise ValueError(f"{name} changed")


def load(ov, key: str):
    """The stored model under ``key``, or None if it is missing or does not check out (then
    the entry is removed, so the caller builds it again)."""
    folder = root() / key
    if not folder.is_dir():
        return None
    try:
        _checked(folder, FILES)
        return ov.Core().read_model(str(folder / FILES[0]))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, AttributeError):
        remove(key)
        return None


def load_files(key: str, names: tuple[str, ...]) -> dict[str, bytes] | None:
    """The files ``names`` stored under ``key``, or None if the entry is missing or does not
    check out (then it is removed)."""
    folder = root() / key
    if not folder.is_dir():
        return None
    try:
        _checked(folder, names)
        return {name: (folder / name).read_bytes() for name in names}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        remove(key)
        return None
