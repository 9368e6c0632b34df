"""Embedding throughput of CPU precision paths against fp32, and whether topics agree.

    python benchmarks/embedding_speed.py [--docs 800] [--topic-docs 2500] [--topic-corpus bbc]

Each path embeds the same SOTU paragraphs in this one process (fp32 first, so the others
are ratios against it). Agreement: cosine of every embedding to its fp32 twin, and the
NMI between the topics TopicDesk's pipeline finds from fp32 and from each faster path
whose embeddings stay within cosine 0.99 (same UMAP and HDBSCAN settings and seed),
next to the NMI between fp32 topics with two UMAP seeds: the pipeline's own noise floor.
"""

from __future__ import annotations

import argparse
import copy
import time

import numpy as np
import torch
from common import corpus, sotu_paragraphs, table
from sklearn.metrics import normalized_mutual_info_score

from topicdesk.core.settings import FitSettings, suggest_min_topic_size
from topicdesk.pipeline import cluster, embed, encoders, openvino_encoder, outliers, reduce


class SortedOpenVino:
    """The app's OpenVINO encoder, fed batches cut in character order as
    sentence-transformers cuts them for the other rows, so every row batches alike."""

    def __init__(self, model) -> None:
        self.inner = openvino_encoder.OpenVinoEncoder(model, torch.get_num_threads())

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
    int8 = torch.ao.quantization.quantize_dynamic(
        copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8
    )
    paths = {"fp32": model, "bf16 weights": bf16, "int8 dynamic": int8}
    if not embed.cpu_has_native_bf16():
        print(
            "This CPU has no native bf16, which the app requires for OpenVINO: its row is left out"
        )
    elif openvino_encoder.supports(model):
        paths["OpenVINO (bf16 hint)"] = SortedOpenVino(model)
    return paths


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


def topics(embeddings: np.ndarray, settings: FitSettings) -> np.ndarray:
    """Topic per document as a fit finds them: UMAP, HDBSCAN, then outlier placement."""
    reduced = reduce.reduce(embeddings, settings.cluster_dimensions, settings)
    labels = cluster.cluster(reduced, settings).labels
    return outliers.reassign_outliers(embeddings, labels, settings.outlier_threshold)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=800)
    parser.add_argument("--topic-docs", type=int, default=2500)
    parser.add_argument("--topic-corpus", choices=("sotu", "bbc"), default="sotu")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    settings = FitSettings(precision="float32")
    model = encoders.ENCODERS.get(settings).model
    texts = sotu_paragraphs(args.docs, seed=1)
    encode(model, texts[:64], args.batch_size)  # first call pays one-off start-up costs
    rows, base, close_enough = [], None, set()
    for name, variant in variants(model).items():
        encode(variant, texts[:64], args.batch_size)
        vectors, seconds = encode(variant, texts, args.batch_size)
        if base is None:
            base = (vectors, seconds)
        cos = (vectors * base[0]).sum(axis=1)
        if cos.min() >= embed.MIN_BF16_COSINE:
            close_enough.add(name)
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
    print(
        f"Embedding {len(texts):,} SOTU paragraphs, batch {args.batch_size}, "
        f"{torch.get_num_threads()} threads"
    )
    print(
        table(["path", "seconds", "docs/s", "speed-up vs fp32", "min cosine", "mean cosine"], rows)
    )

    if args.topic_docs:
        docs = corpus(args.topic_corpus, args.topic_docs)
        fit = settings.replace(min_topic_size=suggest_min_topic_size(len(docs)))
        exact = encode(model, docs, args.batch_size)[0]
        reference = topics(exact, fit)
        runs = {  # only the paths whose embeddings passed the cosine check
            name: (encode(variant, docs, args.batch_size)[0], fit)
            for name, variant in list(variants(model).items())[1:]
            if name in close_enough
        }
        # how far topics move for a reason that has nothing to do with precision
        runs["fp32, UMAP seed 43 instead of 42"] = (exact, fit.replace(seed=43))
        rows = []
        for name, (vectors, run_settings) in runs.items():
            labels = topics(vectors, run_settings)
            nmi = normalized_mutual_info_score(reference, labels)
            rows.append([name, f"{nmi:.3f}", int(reference.max() + 1), int(labels.max() + 1)])
        print(
            f"\nTopics of {len(docs):,} {args.topic_corpus} documents (outliers placed) against fp32, seed 42"
        )
        print(table(["run", "NMI to fp32 topics", "fp32 topics", "run topics"], rows))


if __name__ == "__main__":
    main()
