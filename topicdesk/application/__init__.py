"""The application layer: one function per user task, shared by the desktop app and the CLI.

It sits between the two faces (``gui/``, ``cli.py``) and the layers that compute and store
(``core``, ``pipeline``, ``analysis``, ``io``, ``project``). It imports no Qt, so every
task can be run and tested without a window.
"""
