"""Embedding models for other languages: each candidate on German news, German speeches
and English news, with the language found automatically as the app finds it.

    python benchmarks/languages.py                 # every model on the three samples
    python benchmarks/languages.py --full-gnad     # the suggested model on all 1,028 GNAD articles
    python benchmarks/languages.py --mixed         # English and German news on shared subjects
    python benchmarks/languages.py --speed         # docs/s, the models taking turns on the same texts

Samples (evenly spaced, the same every run): 514 of the 1,028 GNAD articles (9
categories), 200 of the 1,000 Bundestag speeches (party), 279 of the 2,225 BBC articles
(5 categories). Each model embeds each sample in a process of its own, so its peak memory
is its own; embeddings are kept in benchmarks/.cache. Speed is documents per second and
its ratio to the English model: in the comparison as each model embedded its sample
(at different times, so the machine's load differs), and with ``--speed`` with the models
taking turns on the same texts in one process, which is the figure to quote. The fit is the app's:
settings as start_project suggests them for the corpus (language found in a sample,
smallest topic by size, forms of address for speeches) with only the model swapped.
NMI counts outliers as a class; NPMI and diversity as in metrics.py; "flagged" counts
topic names (first three keywords) holding an English function word in a German corpus
or a form of address or the GNAD boilerplate ("agenturmeldungen").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import CACHE, DATA, peak_rss_mib, table
from metrics import diversity, npmi_coherence, top_words
from sklearn.metrics import normalized_mutual_info_score

MODELS = ("all-MiniLM-L6-v2", "use-multilingual-v3", "multilingual-e5-small-q4")
CORPORA = {  # name: (file, label column, every n-th row)
    "gnad": ("gnad10k_test_de.csv", "category", 2),
    "bundestag": ("bundestag_speeches_sample_de.csv", "party", 5),
    "bbc": ("bbc_news.csv", "category", 8),
}
BOILERPLATE = {"agenturmeldungen", "basierenden", "artikels", "volltext"}


# the mixed corpus: English and German news on three subjects both corpora share
SHARED_SUBJECTS = {
    "sport": ("sport", "Sport"),
    "business": ("business", "Wirtschaft"),
    "tech": ("tech", "Web"),
}
PER_LANGUAGE = 80  # articles per subject and language


def mixed() -> tuple[list[str], list[str], list[str]]:
    """240 BBC and 240 GNAD articles on sport, business and technology: texts, subjects
    and languages."""
    bbc = pd.read_csv(DATA / "bbc_news.csv", keep_default_na=False)
    gnad = pd.read_csv(DATA / "gnad10k_test_de.csv", keep_default_na=False)
    texts, subjects, langs = [], [], []
    for subject, (english, german) in SHARED_SUBJECTS.items():
        for frame, category, lang in ((bbc, english, "en"), (gnad, german, "de")):
            chosen = frame[frame["category"] == category]["text"].astype(str).head(PER_LANGUAGE)
            texts += chosen.tolist()
            subjects += [subject] * len(chosen)
            langs += [lang] * len(chosen)
    return texts, subjects, langs


def sample(name: str, step: int | None = None) -> tuple[list[str], list[str]]:
    if name == "mixed":
        texts, subjects, _ = mixed()
        return texts, subjects
    file, label, every = CORPORA[name]
    frame = pd.read_csv(DATA / file, keep_default_na=False).iloc[:: step or every]
    return frame["text"].astype(str).tolist(), frame[label].astype(str).tolist()


def settings_for(texts: list[str], model: str):
    from topicdesk.application.projects import start_project
    from topicdesk.core.corpus import Corpus

    project = start_project(Corpus(pd.DataFrame({"text": texts}), "text"))
    return project.settings.replace(model=model)


def _paths(model: str, corpus: str, n: int) -> tuple[Path, Path]:
    path = CACHE / f"lang-{corpus}-{n}-{model}.npy"
    return path, path.with_suffix(".json")


def embed_child(model: str, corpus: str, step: int | None) -> None:
    """Embed one sample with one model in this process and keep vectors, time and memory."""
    from topicdesk.pipeline import encoders
    from topicdesk.pipeline.runner import model_texts

    texts, _ = sample(corpus, step)
    settings = settings_for(texts, model)
    before = peak_rss_mib()
    start = time.perf_counter()
    encoder = encoders.ENCODERS.get(settings)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    vectors = encoder.embed(model_texts(texts, settings), settings.batch_size)
    seconds = time.perf_counter() - start
    path, meta = _paths(model, corpus, len(texts))
    CACHE.mkdir(exist_ok=True)
    np.save(path, vectors, allow_pickle=False)
    meta.write_text(
        json.dumps(
            {
                "seconds": seconds,
                "load_s": loaded,
                "peak_mib": peak_rss_mib(),
                "before_mib": before,
                "precision": encoder.precision,
            }
        )
    )


def embeddings(model: str, corpus: str, step: int | None = None) -> tuple[np.ndarray, dict]:
    n = len(sample(corpus, step)[0])
    path, meta = _paths(model, corpus, n)
    if not path.exists():
        command = [sys.executable, __file__, "--embed", model, corpus]
        subprocess.run([*command, *(["--step", str(step)] if step else [])], check=True)
    return np.load(path, allow_pickle=False), json.loads(meta.read_text())


def size_mib(model: str) -> float:
    """The model's weights and tokenizer on disk."""
    from topicdesk.core.settings import FitSettings
    from topicdesk.pipeline import embed

    where = Path(embed.resolve_model(FitSettings(model=model)))
    folder = where if where.is_dir() else where.parent
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def flagged(names: list[list[str]], german: bool, address: tuple[str, ...]) -> int:
    """Names holding boilerplate, a form of address the project leaves out (speeches), or
    in a German corpus an English function word."""
    from topicdesk.pipeline.stopwords import ENGLISH_FUNCTION_WORDS

    bad = BOILERPLATE | set(address) | (ENGLISH_FUNCTION_WORDS if german else set())
    return sum(any(w in bad for k in name for w in k.split()) for name in names)


def fitted(texts: list[str], vectors: np.ndarray, model: str, seed: int = 42):
    """A project as the app starts it for these texts, fitted with these embeddings."""
    from topicdesk.application.projects import start_project
    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import StageCache
    from topicdesk.pipeline.runner import apply_fit, fit_project, stage_keys

    project = start_project(Corpus(pd.DataFrame({"text": texts}), "text"))
    settings = project.settings.replace(model=model, seed=seed)
    unique, _ = project.corpus.unique_texts()
    first = {t: i for i, t in reversed(list(enumerate(texts)))}
    project.cache = StageCache(
        embeddings=(vectors[[first[t] for t in unique]], stage_keys(project.corpus, settings)[0])
    )
    apply_fit(project, fit_project(project, settings), settings)
    return project, settings


def fit(texts: list[str], labels: list[str], vectors: np.ndarray, model: str, seed: int = 42):
    start = time.perf_counter()
    project, settings = fitted(texts, vectors, model, seed)
    seconds = time.perf_counter() - start
    topics = [t for _, t in sorted(project.state.topics.items())]
    words = [top_words(t.keywords) for t in topics]
    names = [t.keywords[:3] for t in topics]
    return {
        "language": settings.language,
        "topics": len(topics),
        "nmi": normalized_mutual_info_score(labels, project.state.assignments),
        "npmi": npmi_coherence(words, texts)[0],
        "diversity": diversity(words),
        "flagged": flagged(names, settings.language != "english", project.state.stop_words),
        "names": [" · ".join(n) for n in names],
        "fit_s": seconds,
    }


def compare() -> None:
    rows = []
    names: dict[tuple[str, str], list[str]] = {}
    for corpus in CORPORA:
        texts, labels = sample(corpus)
        base = None
        for model in MODELS:
            vectors, meta = embeddings(model, corpus)
            figures = fit(texts, labels, vectors, model)
            speed = len(texts) / meta["seconds"]
            base = base or speed
            names[(corpus, model)] = figures["names"]
            rows.append(
                [
                    corpus,
                    len(texts),
                    figures["language"],
                    model,
                    figures["topics"],
                    f"{figures['nmi']:.3f}",
                    f"{figures['npmi']:.3f}",
                    f"{figures['diversity']:.3f}",
                    figures["flagged"],
                    round(speed, 2),
                    f"{speed / base:.2f}x",
                    round(meta["peak_mib"]),
                    round(size_mib(model)),
                ]
            )
            print(rows[-1], flush=True)
    print(
        table(
            [
                "corpus",
                "texts",
                "language found",
                "model",
                "topics",
                "NMI",
                "NPMI",
                "diversity",
                "flagged names",
                "docs/s",
                "vs MiniLM",
                "peak MiB",
                "MiB on disk",
            ],
            rows,
        )
    )
    for (corpus, model), shown in names.items():
        print(f"\n{corpus} / {model}: " + "; ".join(shown[:12]))


def full_gnad(model: str, seeds: tuple[int, ...] = (42, 1, 2)) -> None:
    texts, labels = sample("gnad", 1)
    vectors, meta = embeddings(model, "gnad", 1)
    for seed in seeds:
        figures = fit(texts, labels, vectors, model, seed)
        print(
            f"GNAD {len(texts)} articles, {model}, seed {seed}: language {figures['language']}, "
            f"{figures['topics']} topics, NMI {figures['nmi']:.4f}, NPMI {figures['npmi']:.3f}, "
            f"diversity {figures['diversity']:.3f}, flagged names {figures['flagged']}, "
            f"{len(texts) / meta['seconds']:.2f} docs/s"
        )
        print("   " + "; ".join(figures["names"]))


def speed(n: int = 24, rounds: int = 2) -> None:
    """Documents per second of each model on the same texts, the models taking turns in
    one process (so the machine's load falls on all alike); the best of ``rounds``."""
    from topicdesk.pipeline import encoders
    from topicdesk.pipeline.runner import model_texts

    rows = []
    for corpus in CORPORA:
        texts = sample(corpus)[0][:n]
        settings = {m: settings_for(texts, m) for m in MODELS}
        loaded = {m: encoders.ENCODERS.get(settings[m]) for m in MODELS}
        for m in MODELS:
            loaded[m].embed(texts[:2], 32)  # first call: compiling, caches
        best = {m: float("inf") for m in MODELS}
        for _ in range(rounds):
            for m in MODELS:
                start = time.perf_counter()
                loaded[m].embed(model_texts(texts, settings[m]), settings[m].batch_size)
                best[m] = min(best[m], time.perf_counter() - start)
        chars = sum(len(t) for t in texts) / len(texts)
        for m in MODELS:
            ratio = best[MODELS[0]] / best[m]
            rows.append([corpus, n, round(chars), m, round(n / best[m], 2), f"{ratio:.2f}x"])
            print(rows[-1], flush=True)
    print(table(["corpus", "texts", "mean characters", "model", "docs/s", "vs MiniLM"], rows))


def mixed_languages(models: tuple[str, ...] = MODELS[:2]) -> None:
    """Does the same subject in two languages land in one topic?"""
    texts, subjects, langs = mixed()
    rows = []
    for model in models:
        vectors, _ = embeddings(model, "mixed")
        project, settings = fitted(texts, vectors, model)
        assignments = project.state.assignments
        topics = [t for t in np.unique(assignments) if t >= 0]
        both = [t for t in topics if len({langs[i] for i in np.flatnonzero(assignments == t)}) == 2]
        in_both = sum(int((assignments == t).sum()) for t in both)
        rows.append(
            [
                model,
                settings.language,
                len(topics),
                round(normalized_mutual_info_score(subjects, assignments), 3),
                round(normalized_mutual_info_score(langs, assignments), 3),
                f"{len(both)} of {len(topics)}",
                f"{in_both / len(texts):.0%}",
            ]
        )
        print(rows[-1], flush=True)
    print(
        table(
            [
                "model",
                "language found",
                "topics",
                "NMI to subject",
                "NMI to language",
                "topics with both languages",
                "documents in them",
            ],
            rows,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", nargs=2, metavar=("MODEL", "CORPUS"))
    parser.add_argument("--step", type=int)
    parser.add_argument("--full-gnad", action="store_true")
    parser.add_argument("--mixed", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--model", default=None)
    parser.add_argument("--seeds", nargs="+", type=int, default=[42, 1, 2], help="for --full-gnad")
    args = parser.parse_args()
    if args.embed:
        embed_child(*args.embed, args.step)
    elif args.mixed:
        mixed_languages()
    elif args.speed:
        speed()
    elif args.full_gnad:
        from topicdesk.core.settings import MULTILINGUAL_MODEL

        full_gnad(args.model or MULTILINGUAL_MODEL, tuple(args.seeds))
    else:
        compare()


if __name__ == "__main__":
    main()
