"""A fit of 100,000 to 1,000,000 short texts: time per stage, peak memory, project size
and the time the saved project takes to open.

    python benchmarks/scale.py --rows 100000             # embedded by the fit itself
    python benchmarks/scale.py --rows 1000000 --proxy paragraphs  # no embedding, see below

The corpus (``build_corpus``) is made from the shared data: every SOTU address, BBC
article and Bundestag speech is split into sentences (after '.', '!' or '?' and a space;
whitespace collapsed, the Bundestag file's spaces before punctuation removed), sentences
of fewer than 40 characters are dropped, and repeats are kept once: 114,572 distinct
sentences (SOTU and BBC in English, Bundestag in German). They are shuffled with
``numpy.random.default_rng(0)``; N up to that count takes the first N. Above it every
sentence is taken once and the rest are pairs of two different sentences of one
document (drawn with the same generator: a document chosen in proportion to its number
of sentences, then two of its sentences, kept in their order and joined with a space),
each distinct from every text before it, until N texts; the whole list is then shuffled
with the same generator. Every row is a distinct text.

Each size runs in a process of its own, fitted as the app fits a new corpus (suggested
minimum topic size, every other setting at its default, so above the sample size the
map and topics are fitted on a sample and the other documents placed). Peak memory is
the process's VmHWM by the end of each stage; the project is saved with the app's
writer, and opened again in a fresh process through the application layer
(``topicdesk.application.projects.open_project``), timed around that call alone.

``--proxy sentences|paragraphs`` (for sizes whose embedding does not fit a session on two
shared cores): the embedding stage is not run. Each distinct sentence gets a vector and
a pair's vector is the normalised mean of its two sentences' vectors; the project is
given them as saved embeddings, as a refit would be, and the app's model is loaded
before the fit as a fit that embeds would load it (a sampled fit lets go of it after
the embeddings; what stays, such as torch, is measured). ``sentences``: every distinct
sentence embedded once with the app's encoder and default settings
(``.cache/scale-sentences-<n>.npy``; the 100,000-row run writes the first 100,000).
``paragraphs``: stand-ins made from embeddings of the SOTU paragraphs, BBC articles and
Bundestag speeches the other benchmarks cache (see :func:`paragraph_vectors`). The
embedding time printed is then the 100,000-row run's measured seconds per character
scaled to the corpus's characters, marked as extrapolated; everything after it is
measured.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import (
    CACHE,
    DATA,
    MIN_CHARS,
    bbc_news,
    bundestag_speeches,
    embeddings_for,
    sotu_addresses,
    sotu_paragraphs,
    table,
)
from memory import high_water_mib

SENTENCE = re.compile(r"(?<=[.!?])\s+")
SPACE_BEFORE = re.compile(r"\s+([.,!?;:])")
SEED = 0


def documents() -> list[list[str]]:
    """Each source document as its list of sentences of ``MIN_CHARS`` or more."""
    out = []
    for text in [*sotu_addresses()[0], *bbc_news()[0], *bundestag_speeches()[0]]:
        text = SPACE_BEFORE.sub(r"\1", " ".join(text.split()))
        out.append([s for s in SENTENCE.split(text) if len(s) >= MIN_CHARS])
    return out


def sentences(docs: list[list[str]]) -> list[str]:
    """The distinct sentences, shuffled with the fixed seed."""
    distinct = list(dict.fromkeys(s for doc in docs for s in doc))
    order = np.random.default_rng(SEED).permutation(len(distinct))
    return [distinct[i] for i in order]


def build_corpus(n: int) -> tuple[list[str], list[tuple[int, int]]]:
    """``n`` distinct texts (see the module's docstring) and, for each, the positions in
    :func:`sentences` of the one or two sentences it is made of (second -1 for one)."""
    docs = documents()
    single = sentences(docs)
    if n <= len(single):
        return single[:n], [(i, -1) for i in range(n)]
    rng = np.random.default_rng(SEED)
    position = {s: i for i, s in enumerate(single)}
    texts, parts = list(single), [(i, -1) for i in range(len(single))]
    seen = set(texts)
    usable = [d for d in docs if len(d) >= 2]
    weights = np.array([len(d) for d in usable], dtype=np.float64)
    while len(texts) < n:
        batch = rng.choice(
            len(usable), size=min(4 * (n - len(texts)), 1_000_000), p=weights / weights.sum()
        )
        for d in batch:
            doc = usable[d]
            a, b = sorted(rng.choice(len(doc), size=2, replace=False))
            text = f"{doc[a]} {doc[b]}"
            if text in seen:
                continue
            seen.add(text)
            texts.append(text)
            parts.append((position[doc[a]], position[doc[b]]))
            if len(texts) == n:
                break
    order = rng.permutation(n)
    return [texts[i] for i in order], [parts[i] for i in order]


def sentence_vectors(single: list[str]) -> tuple[np.ndarray, float]:
    """Every distinct sentence's embedding (cached), and the seconds per character measured
    for the part embedded now (or when the cache was written)."""
    from topicdesk.core.settings import FitSettings
    from topicdesk.pipeline import encoders

    path = CACHE / f"scale-sentences-{len(single)}.npy"
    rate_path = path.with_suffix(".rate.json")
    first = CACHE / "scale-sentences-100000.npy"
    if path.exists():
        return np.load(path, allow_pickle=False), json.loads(rate_path.read_text())["s_per_char"]
    done = np.load(first, allow_pickle=False) if first.exists() else np.empty((0, 0), np.float32)
    rest = single[len(done) :]
    start = time.perf_counter()
    vectors = encoders.embed_texts(rest, FitSettings())
    seconds = time.perf_counter() - start
    rate = seconds / max(1, sum(map(len, rest)))
    out = np.vstack([done, vectors]) if len(done) else vectors
    np.save(path, out, allow_pickle=False)
    rate_path.write_text(json.dumps({"s_per_char": rate, "texts": len(rest), "seconds": seconds}))
    return out, rate


def paragraph_vectors(single: list[str]) -> np.ndarray:
    """Stand-ins for the sentences' embeddings from embeddings computed before
    (``embeddings_for``, the app's encoder): a SOTU sentence gets its paragraph's vector,
    a BBC or Bundestag sentence its article's or speech's, with Gaussian noise (0.02 per
    dimension, cosine about 0.93 to the original) so that sentences of one paragraph stay
    apart; normalised. A sentence no paragraph holds whole gets a random paragraph of its
    address."""
    rng = np.random.default_rng(SEED)
    paragraphs = pd.read_csv(DATA / "sotu_paragraphs.csv")
    paragraphs = paragraphs[paragraphs["text"].astype(str).str.len() >= MIN_CHARS]
    para_vectors = embeddings_for(sotu_paragraphs(), "sotu", "auto")
    by_address: dict[str, list[int]] = {}
    for i, doc_id in enumerate(paragraphs["doc_id"]):
        by_address.setdefault(doc_id, []).append(i)
    texts = [SPACE_BEFORE.sub(r"\1", " ".join(t.split())) for t in paragraphs["text"].astype(str)]
    addresses = pd.read_csv(DATA / "sotu_addresses.csv")["doc_id"].tolist()
    bbc = embeddings_for(bbc_news()[0], "bbc", "auto")
    bundestag = embeddings_for(bundestag_speeches()[0], "bundestag", "auto")
    base: dict[str, np.ndarray] = {}
    for d, doc in enumerate(documents()):
        for sentence in doc:
            if sentence in base:
                continue
            if d < len(addresses):
                own = by_address.get(addresses[d], [])
                hit = next((i for i in own if sentence in texts[i]), None)
                base[sentence] = para_vectors[hit if hit is not None else rng.choice(own)]
            elif d < len(addresses) + len(bbc):
                base[sentence] = bbc[d - len(addresses)]
            else:
                base[sentence] = bundestag[d - len(addresses) - len(bbc)]
    out = np.stack([base[s] for s in single]).astype(np.float32)
    out += rng.normal(scale=0.02, size=out.shape).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def _measured_rate() -> float | None:
    """Seconds per character of the 100,000-row run's embedding, if it has run."""
    path = CACHE / "scale-sentences-100000.rate.json"
    return json.loads(path.read_text())["s_per_char"] if path.exists() else None


def proxy_embeddings(
    parts: list[tuple[int, int]], vectors: np.ndarray, dims: int | None = None
) -> np.ndarray:
    """A text's vector: its sentence's, or the normalised mean of its two sentences'; with
    ``dims``, zeros added to that many dimensions (the same geometry in a wider array, as
    a wider model such as USE multilingual's 512 would hold)."""
    index = np.asarray(parts, dtype=np.int64)
    width = vectors.shape[1]
    out = np.empty((len(index), max(dims or width, width)), dtype=np.float32)
    out[:, width:] = 0.0
    for start in range(0, len(index), 50_000):  # in blocks: no corpus-sized temporaries
        first, second = index[start : start + 50_000, 0], index[start : start + 50_000, 1]
        block = vectors[first] + np.where(second[:, None] >= 0, vectors[second], 0.0)
        out[start : start + len(block), :width] = block / np.linalg.norm(
            block, axis=1, keepdims=True
        )
    return out


def run_one(
    n: int,
    proxy: str | None,
    folder: Path,
    sample_above: int | None = None,
    dims: int | None = None,
) -> dict:
    """Fit ``n`` rows in this process and report stages, memory, project size and open time."""
    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project
    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline import runner
    from topicdesk.pipeline.progress import Progress
    from topicdesk.project.store import save_project

    texts, parts = build_corpus(n)
    project = Project(Corpus(pd.DataFrame({"text": texts}), "text", source_name=f"scale-{n}"))
    settings = FitSettings(min_topic_size=suggest_min_topic_size(n))
    if sample_above is not None:
        settings = settings.replace(sample_above=sample_above)
    extrapolated = None
    if proxy:
        single = sentences(documents())
        if proxy == "sentences":
            vectors, s_per_char = sentence_vectors(single)
        else:
            vectors, s_per_char = paragraph_vectors(single), _measured_rate()
        unique, inverse = project.corpus.unique_texts()
        # every row is a distinct text, so the cache's order is the rows' order
        assert len(unique) == n and np.array_equal(inverse, np.arange(n))
        embeddings = proxy_embeddings(parts, vectors, dims)
        emb_key = runner.stage_keys(project.corpus, settings)[0]
        project.cache.put("embeddings", embeddings, emb_key)
        del vectors, embeddings, parts, single, unique, inverse
        # a real fit loads the model to embed: load it here too, so what stays after the
        # fit lets go of it (above the sample size) is measured as well
        from topicdesk.pipeline import encoders

        encoders.ENCODERS.get(settings)
        extrapolated = None if s_per_char is None else s_per_char * sum(map(len, texts))
    start = time.perf_counter()
    peaks: dict[str, float] = {"start": high_water_mib()}
    stage = {"name": "start"}

    log = folder / f"scale-{n}.log"  # step by step, for a run that does not finish

    def watch(event) -> None:
        if event.message != stage.get("step"):
            stage["step"] = event.message
            with log.open("a") as out:
                print(
                    f"{time.perf_counter() - start:.1f} s {event.stage}: {event.message}, "
                    f"peak so far {high_water_mib():,.0f} MiB",
                    file=out,
                )
        if event.stage != stage["name"]:
            peaks[stage["name"]] = high_water_mib()
            with log.open("a") as out:
                print(
                    f"{time.perf_counter() - start:.1f} s {stage['name']} ended, peak {peaks[stage['name']]:,.0f} MiB",
                    file=out,
                )
            stage["name"] = event.stage

    result = runner.fit_project(project, settings, Progress(watch))
    peaks[stage["name"]] = high_water_mib()
    runner.apply_fit(project, result, settings)
    fit_seconds = time.perf_counter() - start
    if not proxy and n == 100_000:
        unique, inverse = project.corpus.unique_texts()
        CACHE.mkdir(exist_ok=True)
        # rows are sentences 0..n-1 in order; the cache holds one vector per distinct text
        np.save(CACHE / "scale-sentences-100000.npy", result.cache.array("embeddings")[inverse])
        (CACHE / "scale-sentences-100000.rate.json").write_text(
            json.dumps(
                {
                    "s_per_char": result.timings[runner.EMBED] / sum(map(len, texts)),
                    "texts": n,
                    "seconds": result.timings[runner.EMBED],
                }
            )
        )
    path = folder / f"scale-{n}.topicdesk"
    start = time.perf_counter()
    save_project(project, path)
    save_seconds = time.perf_counter() - start
    peaks["saving the project"] = high_water_mib()
    opened = subprocess.run(
        [sys.executable, __file__, "--open", str(path)], capture_output=True, text=True, check=True
    )
    return {
        "rows": n,
        "proxy": proxy,
        "characters": sum(map(len, texts)),
        "timings": result.timings,
        "peaks": peaks,
        "extrapolated_embedding_s": extrapolated,
        "fit_s": fit_seconds,
        "save_s": save_seconds,
        "size_mib": path.stat().st_size / 2**20,
        "open": json.loads(opened.stdout.strip().splitlines()[-1]),
        "topics": len(project.state.topics),
        "unassigned": float((project.state.assignments < 0).mean()),
        "placed_from_sample": project.provenance.get("placed_from_sample", 0),
    }


def open_once(path: str) -> None:
    """Open a saved project through the application layer and print the time and memory."""
    from topicdesk.application.projects import open_project

    before = high_water_mib()
    start = time.perf_counter()
    project = open_project(path)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": high_water_mib(),
                "before_mib": before,
                "documents": len(project.corpus),
            }
        )
    )


def report(result: dict) -> str:
    n = result["rows"]
    rows = []
    for name, seconds in result["timings"].items():
        note = ""
        if name == "Embedding documents" and result["extrapolated_embedding_s"] is not None:
            seconds = result["extrapolated_embedding_s"]
            note = " (extrapolated from the measured sentence rate; not run)"
        rows.append([name + note, f"{seconds:,.1f}", f"{result['peaks'].get(name, 0):,.0f}"])
    rows += [
        ["fit in all (as run)", f"{result['fit_s']:,.1f}", f"{max(result['peaks'].values()):,.0f}"],
        [
            "saving the project",
            f"{result['save_s']:,.1f}",
            f"{result['peaks']['saving the project']:,.0f}",
        ],
        [
            f"opening it in a new process ({result['size_mib']:,.0f} MiB file)",
            f"{result['open']['seconds']:,.2f}",
            f"{result['open']['peak_mib']:,.0f}",
        ],
    ]
    placed = result["placed_from_sample"]
    return (
        f"{n:,} rows: {result['topics']} topics, {100 * result['unassigned']:.1f}% unassigned, "
        f"{placed:,} ({100 * placed / n:.1f}%) placed from the sample\n\n"
        + table(["stage", "seconds", "peak MiB by its end"], rows)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument(
        "--proxy", choices=["sentences", "paragraphs"], help="replace the embedding stage"
    )
    parser.add_argument("--sample-above", type=int, help="the fit setting (default: its default)")
    parser.add_argument(
        "--dims",
        type=int,
        help="with --proxy: widen the vectors with zeros to this many dimensions",
    )
    parser.add_argument("--open", help=argparse.SUPPRESS)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--folder", default=None, help="where the projects are saved")
    args = parser.parse_args()
    if args.open:
        open_once(args.open)
        return
    folder = Path(args.folder or tempfile.mkdtemp(prefix="topicdesk-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.one:
        result = json.dumps(run_one(args.rows[0], args.proxy, folder, args.sample_above, args.dims))
        (folder / f"scale-{args.rows[0]}.json").write_text(result)
        print(result)
        return
    print(f"Scale, {time.strftime('%Y-%m-%d %H:%M')}, projects in {folder}\n")
    for n in args.rows:
        command = [sys.executable, __file__, "--one", "--rows", str(n), "--folder", str(folder)]
        done = subprocess.run(
            command
            + (["--proxy", args.proxy] if args.proxy else [])
            + ([f"--sample-above={args.sample_above}"] if args.sample_above is not None else [])
            + ([f"--dims={args.dims}"] if args.dims else []),
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            print(f"{n:,} rows failed:\n{done.stderr[-3000:]}")
            continue
        print(report(json.loads(done.stdout.strip().splitlines()[-1])) + "\n", flush=True)


if __name__ == "__main__":
    main()
