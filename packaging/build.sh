#!/usr/bin/env bash
# Build the TopicDesk app folder dist/topicdesk/ from a clone of the repository.
#
#   packaging/build.sh
#
# Creates (or reuses) its own virtual environment in build/venv, installs the CPU build
# of torch first, then TopicDesk and PyInstaller, then runs packaging/topicdesk.spec.
# Environment:
#   PYTHON           interpreter for the build venv (default: python3; needs 3.11+)
#   TORCH_INDEX_URL  where to get the CPU torch, e.g. https://download.pytorch.org/whl/cpu
#                    (PyPI's plain Linux torch is the multi-GB CUDA build)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

python="${PYTHON:-python3}"
venv="build/venv"
torch_version="2.13.0"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: $python is older than Python 3.11; set PYTHON to a newer interpreter." >&2
    exit 1
fi
if [[ ! -x "$venv/bin/python" ]]; then
    echo "== creating the build environment in $venv"
    "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip install --quiet)

echo "== installing torch $torch_version (CPU build) first"
if [[ -n "${TORCH_INDEX_URL:-}" ]]; then
    "${pip[@]}" --index-url "$TORCH_INDEX_URL" "torch==$torch_version"
else
    "${pip[@]}" "torch==$torch_version"
fi
if ! "$venv/bin/python" -W ignore -c 'import sys, torch; sys.exit(torch.version.cuda is not None)'; then
    echo "error: the build environment got a CUDA build of torch; set TORCH_INDEX_URL to a CPU wheel index and start again from an empty build/." >&2
    exit 1
fi

echo "== installing TopicDesk and PyInstaller"
"${pip[@]}" -e .
"${pip[@]}" "pyinstaller>=6.10,<7"

echo "== running PyInstaller"
started=$SECONDS
"$venv/bin/pyinstaller" --noconfirm --clean \
    --distpath dist --workpath build/pyinstaller \
    packaging/topicdesk.spec
echo "== built dist/topicdesk in $((SECONDS - started)) s ($(du -sh dist/topicdesk | cut -f1))"
