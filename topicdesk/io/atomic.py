"""Writing a file so that a failed write never replaces a good one."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from topicdesk.errors import TopicDeskError


def write_atomically(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then move it into place.

    The file is created as open() creates files (readable as the user's umask allows);
    a replaced file keeps its permissions. Disk errors become one sentence.
    """
    path = Path(path)
    tmp = path.parent / f".{path.stem}.{secrets.token_hex(4)}{path.suffix}"
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise TopicDeskError(
            f"Could not write {path.name}: {exc.strerror or exc}; choose another folder."
        ) from exc
    try:
        write(tmp)
        if path.is_file():
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    except OSError as exc:
        raise TopicDeskError(
            f"Could not write {path.name}: {exc.strerror or exc}; choose another folder."
        ) from exc
    finally:
        if tmp.exists():
            tmp.unlink()
