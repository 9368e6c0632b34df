"""Whole long texts: windows at word boundaries, pooled by length; the cache key and the
sentence that tells the researcher how many texts are long."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicdesk.core.corpus import Corpus
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import embed, long_texts
from topicdesk.pipeline.encoders import SentenceTransformerEncoder
from topicdesk.pipeline.runner import stage_keys

LETTERS = "abcdefghijklmnopqrstuvwxyz"


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(embed.resolve_model(FitSettings()), local_files_only=True)


class LetterModel:
    """Stands in for a sentence-transformers model: letter counts as vectors, the real
    tokenizer, and a record of what it was asked to read."""

    def __init__(self, tokenizer, limit: int) -> None:
        self.tokenizer, self.max_seq_length, self.read = tokenizer, limit, []

    def get_embedding_dimension(self) -> int:
        return len(LETTERS)

    def encode(self, texts, **_):
        import torch

        self.read.extend(texts)
        seen = []  # like the model, read no further than the window
        for text in texts:
            offsets = self.tokenizer(
                text, add_special_tokens=False, truncation=True,
                max_length=self.max_seq_length - 2, return_offsets_mapping=True,
            )["offset_mapping"]
            seen.append(text[: offsets[-1][1]] if offsets else text)
        counts = np.array([[t.lower().count(c) + 1e-3 for c in LETTERS] for t in seen], "f4")
        return torch.from_numpy(counts)


def essay(words: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    vocabulary = ["parliament", "budget", "un", "believable", "tax", "reform", "schools", "x"]
    return " ".join(rng.choice(vocabulary, words))


def test_windows_cover_the_text_at_word_boundaries(tokenizer):
    text = essay(900)
    windows = long_texts.split_texts(tokenizer, [text, "short one"], 64)
    size = long_texts.window_size(64)
    assert windows.split and windows.owner.tolist().count(1) == 1
    pieces = [p for p, o in zip(windows.pieces, windows.owner) if o == 0]
    assert " ".join(pieces).split() == text.split()  # every word once, none cut in two
    assert max(windows.tokens) <= size and min(windows.tokens[:-1]) >= size // 2
    for piece, n in zip(windows.pieces, windows.tokens):
        assert len(tokenizer(piece, add_special_tokens=False)["input_ids"]) == n


def test_whole_texts_are_pooled_by_length_and_short_ones_read_as_before(tokenizer):
    model = LetterModel(tokenizer, 32)
    texts = ["short text", essay(120, 1), "another short text"]
    whole = SentenceTransformerEncoder(model, "float32", "letters", whole_texts=True)
    got = whole.embed(texts, batch_size=4)
    windows = long_texts.split_texts(tokenizer, texts, 32)
    assert len(model.read) == len(windows.pieces) > 3
    parts = np.array([[p.lower().count(c) + 1e-3 for c in LETTERS] for p in windows.pieces])
    parts /= np.linalg.norm(parts, axis=1, keepdims=True)
    expected = (parts[windows.owner == 1] * windows.tokens[windows.owner == 1, None]).sum(0)
    assert got[1] == pytest.approx(expected / np.linalg.norm(expected), abs=1e-5)
    cut = SentenceTransformerEncoder(LetterModel(tokenizer, 32), "float32", "letters")
    first = cut.embed(texts, batch_size=4)
    assert got[0] == pytest.approx(first[0], abs=1e-6) and got[2] == pytest.approx(first[2], abs=1e-6)
    assert float(got[1] @ first[1]) < 0.9999  # the cut text reads only its beginning


def test_progress_counts_passages_when_texts_are_split(tokenizer):
    from topicdesk.pipeline.progress import Progress

    events = []
    encoder = SentenceTransformerEncoder(LetterModel(tokenizer, 32), "float32", "x", True)
    encoder.embed(["tiny", essay(200)], 4, Progress(events.append))
    assert events[-1].message.endswith("passages") and events[-1].fraction == 1.0


def test_embedding_key_changes_with_the_mode_only_when_a_text_is_long():
    short = Corpus(pd.DataFrame({"text": ["a short answer", "another one"]}), "text")
    long = Corpus(pd.DataFrame({"text": ["a short answer", essay(400)]}), "text")
    whole, cut = FitSettings(), FitSettings(long_texts="truncate")
    assert stage_keys(short, whole)[0] == stage_keys(short, cut)[0]  # saved embeddings kept
    assert stage_keys(long, whole)[0] != stage_keys(long, cut)[0]


def test_long_text_count_and_what_the_researcher_reads():
    from topicdesk.application.projects import start_project, summarize

    texts = [essay(400, i) for i in range(3)] + [f"answer {i}" for i in range(20)]
    project = start_project(Corpus(pd.DataFrame({"text": texts}), "text"))
    assert summarize(project).long_texts is None  # not counted unless asked
    summary = summarize(project, before_fit=True)
    assert summary.long_texts.long == 3 and summary.long_texts.exact
    assert "3 texts are longer than the model reads at once (254 word pieces" in (
        summary.documents_sentence()
    )
    assert summary.documents_sentence().endswith("each is read whole, in windows whose meanings are averaged.")
    project.settings = project.settings.replace(long_texts="truncate")
    assert summarize(project, before_fit=True).long_texts_sentence().endswith(
        "only the first 254 word pieces of each are used."
    )


def test_large_corpora_are_counted_from_a_sample(tokenizer):
    from tokenizers import Tokenizer

    fast = long_texts.load_counting_tokenizer(embed.resolve_model(FitSettings()))
    assert isinstance(fast, Tokenizer)
    texts = [essay(300 if i % 4 == 0 else 60, i) for i in range(1000)]
    count = long_texts.count_long(fast, texts, 256, sample=100)
    assert not count.exact and abs(count.long - 250) <= 40
    assert long_texts.count_long(fast, texts, 256, sample=10_000) == long_texts.LongCount(250, True, 254)
    assert long_texts.load_counting_tokenizer("/nonexistent/folder") is None
