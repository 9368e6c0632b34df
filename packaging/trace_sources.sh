#!/usr/bin/env bash
# List the torch source files TopicDesk reads at run time, for the spec's TORCH_SOURCES.
#
#   packaging/trace_sources.sh    # -> packaging/torch_sources.txt (5-15 minutes)
#
# torch's PyInstaller hook keeps the source of every torch module beside its compiled
# copy (46 MB), because torch reads some of them at run time (its config modules when
# they are imported, functions it inspects); the spec keeps only the files listed here
# and the config modules. This runs every path of the app in the build environment
# (build/venv, as packaging/build.sh made it) with an empty home folder, so the model
# store is empty and OpenVINO converts the model: fits in each precision (auto = bfloat16
# on OpenVINO, float32 on PyTorch, int8 after NNCF builds the int8 copy) and with the
# Universal Sentence Encoder, a refit, every export and the methods report, and the
# desktop app fitting the sample corpus. An audit hook in every Python process, including
# the app's fitting and int8-building processes, records each Python source file opened
# other than by the import system (which reads the compiled files in __pycache__) or by
# PySide6's check of each module imported after it (which does without a source).
# Run it again after upgrading torch, transformers, OpenVINO or NNCF.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
python="build/venv/bin/python"
[[ -x "$python" ]] || { echo "error: no build environment; run packaging/build.sh first" >&2; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/topicdesk-trace.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/site" "$work/opened" "$work/home"

# Imported by every Python process started with this PYTHONPATH.
cat > "$work/site/sitecustomize.py" <<'EOF'
import os
import sys

_log = open(os.path.join(os.environ["TOPICDESK_TRACE"], f"{os.getpid()}.txt"), "a", buffering=1)
_IMPORTING = {"get_data", "get_code", "source_to_code", "get_source"}


def _audit(event, args):
    """Note each .py file opened, unless the import system opens it to compile it or
    PySide6 to see whether a newly imported module uses it (its __feature__ switch reads
    every module's source once PySide6 is loaded, and takes a missing one for a no)."""
    if event != "open" or not isinstance(args[0], str) or not args[0].endswith(".py"):
        return
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib") and code.co_name in _IMPORTING:
            return
        if code.co_name == "_mod_uses_pyside":
            return
        frame = frame.f_back
    _log.write(args[0] + "\n")


sys.addaudithook(_audit)
EOF

export HOME="$work/home" TOPICDESK_TRACE="$work/opened" PYTHONPATH="$work/site"
export QT_QPA_PLATFORM=offscreen
unset XDG_CACHE_HOME
head -n 401 resources/sample_sotu.csv > "$work/sample400.csv"
run() {
    echo "== topicdesk $*"
    nice -n 5 "$python" -m topicdesk "$@" > "$work/last.log" 2>&1 \
        || { tail -n 20 "$work/last.log" >&2; echo "error: topicdesk $* failed" >&2; exit 1; }
}
run fit "$work/sample400.csv" -o "$work/auto.topicdesk"
run fit "$work/sample400.csv" -o "$work/float32.topicdesk" --precision float32
run fit "$work/sample400.csv" -o "$work/use.topicdesk" --model use-multilingual-v3 \
    --language mixed --keyword-ranking mmr
run fit "$work/sample400.csv" -o "$work/options.topicdesk" --language german \
    --keyword-ranking embedding --long-texts truncate --date-column date \
    --group-column party --reduce-outliers
run fit "$work/auto.topicdesk" -o "$work/refit.topicdesk" --min-topic-size 8
run info "$work/auto.topicdesk"
run report "$work/options.topicdesk" -o "$work/report.html"
for format in html qdpx qdc xlsx csv; do
    run export "$work/options.topicdesk" -o "$work/export.$format"
done
run --screenshot "$work/sample.png" resources/sample_sotu.csv
echo "== building the int8 model with NNCF"
nice -n 5 "$python" -c \
    "from topicdesk.pipeline import int8; int8.build_default('resources/sample_sotu.csv')"
run fit "$work/sample400.csv" -o "$work/int8.topicdesk" --precision int8

site="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
cat "$work"/opened/*.txt | sed -n "s|^$site/\(torch/.*\.py\)\$|\1|p" | sort -u \
    > packaging/torch_sources.txt
echo "wrote packaging/torch_sources.txt ($(wc -l < packaging/torch_sources.txt) files)"
