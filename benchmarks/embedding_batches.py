"""How the app batches texts for the model, and where the model's time goes.

    python benchmarks/embedding_batches.py [--docs 6000]

1. Padding: the share of padded tokens when SOTU paragraphs are batched in character
   order (as sentence-transformers and BERTopic do) and in token order (TopicDesk).
2. Time: the same paragraphs embedded both ways in this process, alternating twice,
   in the app's precision (bfloat16 where the CPU has it).
3. Profile: the model's time per operation on 1,500 paragraphs, and the throughput of
   one matrix product of the model's largest shape.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from common import sotu_paragraphs, table

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import embed, encoders

BATCH = 32


def padded_tokens(lengths: np.ndarray, order: np.ndarray) -> int:
    """Tokens the model computes when batches are cut from ``order`` and padded."""
    return int(
        sum(
            lengths[order[i : i + BATCH]].max() * len(order[i : i + BATCH])
            for i in range(0, len(order), BATCH)
        )
    )


def by_characters(model, texts: list[str]) -> np.ndarray:
    """Embeddings in character-sorted batches: what the app did before."""
    order = np.argsort([len(t) for t in texts], kind="stable")
    out = np.empty((len(texts), model.get_embedding_dimension()), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(texts), BATCH):
            idx = order[start : start + BATCH]
            batch = model.encode([texts[i] for i in idx], batch_size=BATCH, convert_to_tensor=True)
            out[idx] = torch.nn.functional.normalize(batch.float(), dim=1).numpy()
    return out


def profile(model, texts: list[str]) -> None:
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    with torch.inference_mode(), torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        start = time.perf_counter()
        encoders.embed_texts(texts, FitSettings())
        total = time.perf_counter() - start
    self_us = {e.key: e.self_cpu_time_total for e in prof.key_averages()}
    products = self_us.get("aten::addmm", 0) + self_us.get("aten::mm", 0)
    attention = sum(v for k, v in self_us.items() if "attention" in k)
    rows = [
        ["matrix products (linear layers)", f"{100 * products / 1e6 / total:.0f}%"],
        ["attention", f"{100 * attention / 1e6 / total:.0f}%"],
        ["everything else", f"{100 * (1 - (products + attention) / 1e6 / total):.0f}%"],
    ]
    print(
        f"\nWhere {len(texts):,} paragraphs' {total:.1f} s go ({encoders.precision_in_use(FitSettings())})"
    )
    print(table(["part", "share of the time"], rows))
    dtype = torch.bfloat16 if encoders.precision_in_use(FitSettings()) == "bfloat16" else torch.float32
    a, w = torch.randn(3200, 384, dtype=dtype), torch.randn(1536, 384, dtype=dtype)
    with torch.inference_mode():
        for _ in range(3):
            torch.nn.functional.linear(a, w)
        start = time.perf_counter()
        for _ in range(20):
            torch.nn.functional.linear(a, w)
    seconds = (time.perf_counter() - start) / 20
    print(
        f"one 3,200 x 384 by 384 x 1,536 product: {seconds * 1000:.1f} ms, {2 * 3200 * 384 * 1536 / seconds / 1e9:.0f} GFLOP/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=6000)
    args = parser.parse_args()
    settings = FitSettings()
    model = encoders.ENCODERS.get(settings).model

    every = sotu_paragraphs()
    lengths = embed.token_lengths(model, every)
    real = int(lengths.sum())
    by_chars = padded_tokens(lengths, np.argsort([len(t) for t in every], kind="stable"))
    by_tokens = padded_tokens(lengths, np.argsort(lengths, kind="stable"))
    print(f"{len(every):,} SOTU paragraphs, {real:,} tokens, batches of {BATCH}")
    print(
        table(
            ["batches cut in", "tokens computed", "padding"],
            [
                ["character order", f"{by_chars:,}", f"{100 * (by_chars - real) / by_chars:.1f}%"],
                ["token order", f"{by_tokens:,}", f"{100 * (by_tokens - real) / by_tokens:.1f}%"],
            ],
        )
    )

    texts = sotu_paragraphs(args.docs, seed=3)
    by_characters(model, texts[:64])
    times: dict[str, list[float]] = {"character order": [], "token order (app)": []}
    for _ in range(2):
        start = time.perf_counter()
        old = by_characters(model, texts)
        times["character order"].append(time.perf_counter() - start)
        start = time.perf_counter()
        new = encoders.embed_texts(texts, settings)
        times["token order (app)"].append(time.perf_counter() - start)
    base = min(times["character order"])
    print(f"\nEmbedding {len(texts):,} paragraphs ({encoders.precision_in_use(settings)}), best of 2")
    print(
        table(
            ["batches", "seconds", "vs character order"],
            [[name, min(t), f"{min(t) / base:.2f}x"] for name, t in times.items()],
        )
    )
    print(f"min cosine between the two: {(old * new).sum(axis=1).min():.5f}")
    profile(model, texts[:1500])


if __name__ == "__main__":
    main()
