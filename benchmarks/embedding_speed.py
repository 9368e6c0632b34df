"""Embedding throughput of CPU precision paths against fp32, and whether topics agree.

    python benchmarks/embedding_speed.py [--docs 800] [--topic-docs 2500] [--topic-corpus bbc]
    python benchmarks/embedding_speed.py --docs 0 --seeds 3 --paths OpenVINO   # topics only
    python benchmarks/embedding_speed.py --docs 0 --seeds 3 --paths int8 --fit single

Each path embeds the same SOTU paragraphs in this one process (fp32 first, so the others
are ratios against it). Agreement: cosine of every embedding to its fp32 twin, and the
NMI between the topics TopicDesk's pipeline finds from fp32 and from each faster path
whose embeddings stay within cosine 0.99 (same settings and seed), next to the NMI
between fp32 topics with two seeds: the pipeline's own noise floor. Topics come from the
app's default fit (``--fit consensus``: ``runner.fit_project``, five clustering runs,
outliers placed) or from one UMAP and HDBSCAN run (``--fit single``).
The int8 row is the app's NNCF model from the model store (built first if missing,
calibrated on resources/sample_sotu.csv as the app does).
"""

from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from common import corpus, sotu_paragraphs, table
from sklearn.metrics import normalized_mutual_info_score
from stability import after, project_for

from topicdesk.core.settings import FitSettings, suggest_min_topic_size
from topicdesk.pipeline import (
    cluster,
    embed,
    encoders,
    int8,
    openvino_encoder,
    outliers,
    reduce,
)

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample_sotu.csv"


class SortedOpenVino:
    """The app's OpenVINO encoder, fed batches cut in character order as
    sentence-transformers cuts them for the other rows, so every row batches alike."""

    def __init__(self, model, converted=None) -> None:
        self.inner = openvino_encoder.OpenVinoEncoder(model, torch.get_num_threads(), converted)

    def encode(self, texts: list[str], batch_size: int = 32, **_: object) -> torch.Tensor:
        order = np.argsort([-len(t) for t in texts], kind="stable")
        vectors = self.inner.encode(
            [texts[i] for i in order], batch_size=batch_size, normalize_embeddings=True
        )
        out = torch.empty_like(vectors)
        out[torch.from_numpy(order)] = vectors
        return out


def variants(model) -> dict[str, object]:
    """fp32, bf16 weights, int8 dynamic quantisation of the linear layers, and the app's
    OpenVINO encoder where the app would use it."""
    bf16 = copy.deepcopy(model).to(torch.bfloat16)
    dynamic = torch.ao.quantization.quantize_dynamic(
        copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8
    )
    paths = {"fp32": model, "bf16 weights": bf16, "int8 dynamic": dynamic}
    if not embed.cpu_has_native_bf16():
        print(
            "This CPU has no native bf16, which the app requires for OpenVINO: its row is left out"
        )
    elif openvino_encoder.supports(model):
        paths["OpenVINO (bf16 hint)"] = SortedOpenVino(model)
    if int8.cpu_has_int8_dot() and openvino_encoder.supports(model):
        paths["OpenVINO int8 (NNCF)"] = SortedOpenVino(model, int8_network(model))
    else:
        print("This CPU has no int8 dot-product instructions: the int8 row is left out")
    return paths


def int8_network(model):
    """The app's int8 copy of the model, built (and timed) here if the store has none."""
    source = embed.resolve_model(FitSettings())
    converted = int8.stored(source)
    if converted is None:
        texts = pd.read_csv(SAMPLE, usecols=["text"])["text"].astype(str).tolist()
        start = time.perf_counter()
        int8.build(model, source, texts)
        print(f"Built the int8 model in {time.perf_counter() - start:.1f} s")
        converted = int8.stored(source)
    return converted


def encode(model, texts: list[str], batch_size: int) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    with torch.inference_mode():
        out = model.encode(
            texts,
            batch_size=batch_size,
            convert_to_tensor=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
    return out.float().numpy(), time.perf_counter() - start


def topics(embeddings: np.ndarray, settings: FitSettings, docs: list[str] | None = None):
    """Topic per document as a fit finds them: with ``docs``, the app's default fit of
    those texts (per distinct text); without, one UMAP and HDBSCAN run, outliers placed."""
    if docs is not None:
        return after(project_for(docs, embeddings, settings), settings)[0]
    reduced = reduce.reduce(embeddings, settings.cluster_dimensions, settings)
    labels = cluster.cluster(reduced, settings).labels
    return outliers.reassign_outliers(embeddings, labels, settings.outlier_threshold)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=800)
    parser.add_argument("--topic-docs", type=int, default=2500)
    parser.add_argument("--topic-corpus", choices=("sotu", "bbc"), default="sotu")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--seeds", type=int, default=1, help="also compare topics at this many UMAP seeds"
    )
    parser.add_argument("--paths", help="compare topics only for paths naming one of these, a,b")
    parser.add_argument(
        "--fit",
        choices=("consensus", "single"),
        default="consensus",
        help="topics from the app's default fit or from one clustering run",
    )
    args = parser.parse_args()

    settings = FitSettings(precision="float32")
    model = encoders.ENCODERS.get(settings).model
    texts = sotu_paragraphs(args.docs, seed=1) if args.docs else []
    encode(model, sotu_paragraphs(64), args.batch_size)  # first call pays start-up costs
    rows, base = [], None
    for name, variant in variants(model).items() if texts else ():
        encode(variant, texts[:64], args.batch_size)
        vectors, seconds = encode(variant, texts, args.batch_size)
        if base is None:
            base = (vectors, seconds)
        cos = (vectors * base[0]).sum(axis=1)
        rows.append(
            [
                name,
                seconds,
                len(texts) / seconds,
                f"{base[1] / seconds:.2f}x",
                f"{cos.min():.4f}",
                f"{cos.mean():.4f}",
            ]
        )
    if rows:
        print(
            f"Embedding {len(texts):,} SOTU paragraphs, batch {args.batch_size}, "
            f"{torch.get_num_threads()} threads"
        )
        header = ["path", "seconds", "docs/s", "speed-up vs fp32", "min cosine", "mean cosine"]
        print(table(header, rows))

    if args.topic_docs:
        docs = corpus(args.topic_corpus, args.topic_docs)
        fit = settings.replace(min_topic_size=suggest_min_topic_size(len(docs)))
        exact = encode(model, docs, args.batch_size)[0]
        fitted = docs if args.fit == "consensus" else None
        reference = topics(exact, fit, fitted)
        wanted = args.paths.split(",") if args.paths else [""]
        embedded = {
            name: encode(variant, docs, args.batch_size)[0]
            for name, variant in list(variants(model).items())[1:]
            if any(part in name for part in wanted)
        }
        runs = {  # only the paths whose embeddings pass the cosine check
            name: (vectors, fit)
            for name, vectors in embedded.items()
            if (vectors * exact).sum(axis=1).min() >= embed.MIN_BF16_COSINE
        }
        # how far topics move for a reason that has nothing to do with precision
        runs["fp32, UMAP seed 43 instead of 42"] = (exact, fit.replace(seed=43))
        rows = []
        for name, (vectors, run_settings) in runs.items():
            labels = topics(vectors, run_settings, fitted)
            nmi = normalized_mutual_info_score(reference, labels)
            rows.append([name, f"{nmi:.3f}", int(reference.max() + 1), int(labels.max() + 1)])
        print(
            f"\nTopics of {len(docs):,} {args.topic_corpus} documents ({args.fit} fit, outliers "
            "placed) against fp32, seed 42"
        )
        print(table(["run", "NMI to fp32 topics", "fp32 topics", "run topics"], rows))
        if args.seeds > 1:
            paths = {n: v for n, (v, s) in runs.items() if s is fit}
            seed_table(exact, paths, fit, args.seeds, fitted)


def seed_table(
    exact: np.ndarray, paths: dict, fit: FitSettings, seeds: int, docs: list[str] | None
) -> None:
    """NMI of each path's topics to fp32's at the same seed, over several seeds, against
    the NMI of fp32's topics at one seed to the next: one seed pair is a noisy floor."""
    chosen = [fit.seed + i for i in range(seeds)]
    reference = {s: topics(exact, fit.replace(seed=s), docs) for s in [*chosen, chosen[-1] + 1]}
    scores = {
        "fp32 at seed s+1 (the floor)": [
            normalized_mutual_info_score(reference[s], reference[s + 1]) for s in chosen
        ]
    }
    for name, vectors in paths.items():
        scores[name] = [
            normalized_mutual_info_score(reference[s], topics(vectors, fit.replace(seed=s), docs))
            for s in chosen
        ]
    floor = scores["fp32 at seed s+1 (the floor)"]
    rows = [
        [
            name,
            f"{np.mean(v):.3f}",
            f"{min(v):.3f}-{max(v):.3f}",
            "" if v is floor else _against_floor(np.array(v) - np.array(floor)),
            " ".join(f"{x:.3f}" for x in v),
        ]
        for name, v in scores.items()
    ]
    print(f"\nNMI to fp32 topics at the same UMAP seed, seeds {chosen[0]}-{chosen[-1]}")
    print(table(["run", "mean NMI", "range", "minus floor, mean [95% CI]", "per seed"], rows))


def _against_floor(differences: np.ndarray) -> str:
    """Mean of the per-seed differences to the floor with a t interval: seeds pair up, so
    the seed's own luck cancels, and the interval says whether a gap is more than noise."""
    from scipy import stats

    mean = float(differences.mean())
    if len(differences) < 2:
        return f"{mean:+.3f}"
    low, high = stats.t.interval(
        0.95, len(differences) - 1, loc=mean, scale=stats.sem(differences)
    )
    return f"{mean:+.3f} [{low:+.3f}, {high:+.3f}]"


if __name__ == "__main__":
    main()
