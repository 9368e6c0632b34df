"""Refuses and records every attempt of this process to reach another computer.

Installed as a Python audit hook, so it sees socket use from any thread and any library
that goes through Python's socket module (HTTP clients included). Connections to local
Unix sockets are allowed and recorded separately. Each process it watches says so in
the log with its command line, so a test can check that the app's fitting process was
watched too.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

WATCHED = {
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyname_ex",
    "socket.gethostbyaddr",
    "socket.sendto",
    "socket.sendmsg",
}


def _is_local(event: str, args: tuple) -> bool:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock = args[0]
        return getattr(sock, "family", None) == socket.AF_UNIX
    return False


def install(log_path: str) -> None:
    """From now on, network use raises PermissionError and is written to ``log_path``."""
    log = Path(log_path)
    with log.open("a", encoding="utf-8") as out:
        out.write(f"watching\t{os.getpid()}\t{' '.join(sys.orig_argv)[:300]}\n")

    def hook(event: str, args: tuple) -> None:
        if event not in WATCHED:
            return
        kind = "local" if _is_local(event, args) else "blocked"
        with log.open("a", encoding="utf-8") as out:
            out.write(
                f"{kind}\t{event}\t{args[1:] if event.startswith('socket.connect') else args}\n"
            )
        if kind == "blocked":
            raise PermissionError(f"network access blocked by the test: {event}")

    sys.addaudithook(hook)
