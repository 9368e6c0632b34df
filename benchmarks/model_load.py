"""Loading the built-in model in a new process: from the model store against the full load.

    python benchmarks/model_load.py [--rounds 5] [--precision auto]

Each round starts two new processes, one after the other in alternating order: "stored"
loads as the app does (the OpenVINO copy from the model store, probed against the stored
float32 reference, where the store holds both); "full" ignores the stored reference and
loads the sentence-transformers model, probes it and then the OpenVINO copy, as before
the reference was stored. Both then import what the rest of a fit imports (UMAP, HDBSCAN,
scikit-learn, torch), since part of the full load's time is only those imports made
earlier. Run the app or a fit once first, so the store holds the copy and the reference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = """
import json, sys, time
start = time.perf_counter()
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import embed
if {full}:
    embed._stored_variant = lambda settings, source: None
model, precision = embed.load_sentence_transformer(FitSettings(precision={precision!r}))
loaded = time.perf_counter()
libraries = ("torch", "transformers", "sentence_transformers", "openvino")
imported = [name for name in libraries if name in sys.modules]
import hdbscan, sklearn.feature_extraction.text, torch, umap
done = time.perf_counter()
print("RESULT " + json.dumps({{
    "load": loaded - start, "with_fit_imports": done - start, "precision": precision,
    "imported": imported,
}}))
"""


def one(full: bool, precision: str) -> dict:
    code = CHILD.format(full=full, precision=precision)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.exit(f"load failed:\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1][len("RESULT ") :])
    result["load_average"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--precision", default="auto", choices=("auto", "int8"))
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {"stored": [], "full": []}
    for index in range(args.rounds):
        order = ("stored", "full") if index % 2 == 0 else ("full", "stored")
        for kind in order:
            result = one(kind == "full", args.precision)
            runs[kind].append(result)
            print(
                f"round {index + 1} {kind:6s} load {result['load']:5.2f} s, with the fit's "
                f"imports {result['with_fit_imports']:5.2f} s, {result['precision']}, "
                f"load average {result['load_average']:.2f}",
                flush=True,
            )
    print(f"\nmedians over {args.rounds} rounds ({time.strftime('%Y-%m-%d %H:%M')}):")
    for kind, results in runs.items():
        load = statistics.median(r["load"] for r in results)
        total = statistics.median(r["with_fit_imports"] for r in results)
        average = statistics.median(r["load_average"] for r in results)
        print(
            f"{kind:6s} load {load:5.2f} s, with the fit's imports {total:5.2f} s "
            f"(load average {average:.2f}; loaded: {', '.join(results[-1]['imported'])})"
        )


if __name__ == "__main__":
    main()
