"""Class-based TF-IDF keywords and representative documents for topics.

Words are counted per document (so the minimum document frequency means documents, not
topics), summed per topic, and weighted as in BERTopic: ``tf * log(1 + A / f)``, with
``tf`` the L1-normalised count in the topic, ``A`` the average number of words per topic
and ``f`` the word's count in the whole corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from topicdesk.core.settings import FitSettings
from topicdesk.core.state import UNASSIGNED
from topicdesk.pipeline import boilerplate, textclean
from topicdesk.pipeline.stopwords import stop_words

ANNOTATION = re.compile(r"\[[^\]]{0,40}\]")  # transcript notes such as [Applause]
TOKEN_PATTERN = r"(?u)\b(?!\d+\b)\w\w+\b"  # words of 2+ characters, not pure numbers
TOKEN = re.compile(TOKEN_PATTERN)
# other languages: a word may hold apostrophes and hyphens inside ("aujourd'hui",
# "collega's", "CDU-Fraktion", "Corona-Krise" stay one keyword), not at its ends
WORD_PATTERN = r"(?u)\b(?![\d'-]+\b)\w[\w'-]*\w\b"
WORD = re.compile(WORD_PATTERN)
ALNUM = re.compile(r"\w+")  # what stays of a text when case, spacing and punctuation go
# French and Italian elided articles and prepositions ("l'État", "dell'Unione") are cut
# off, so the noun counts as the same keyword with or without them
ELISION = re.compile(
    r"(?i)\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|dell|dall|nell|sull|all"
    r"|coll|dev|un|quest|quell|tutt|sant)'(?=\w)"
)
ELIDING = ("french", "italian", "mixed")
MAX_DOC_SHARE = 0.4


def _clean(text: str, clean_text: bool, language: str = "english") -> str:
    text = ANNOTATION.sub(" ", text)
    text = textclean.for_keywords(text) if clean_text else text
    return text if language == "english" else _normalise(text, language)


def _normalise(text: str, language: str) -> str:
    """Composed accents, one apostrophe and (French, Italian) no elided articles.

    English is left as it was before languages had their own tokens, so its figures stay.
    """
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return ELISION.sub("", text) if language in ELIDING else text


def token_pattern(language: str) -> str:
    """The keyword counter's word pattern for a stop-word language setting."""
    return TOKEN_PATTERN if language == "english" else WORD_PATTERN


def own_stop_words(
    entries: Iterable[str], language: str = "english"
) -> tuple[list[str], list[str]]:
    """A researcher's stop words as the keyword counter sees them: single words, and
    phrases (several words, which only remove keywords containing the whole phrase)."""
    words: set[str] = set()
    phrases: set[str] = set()
    token = TOKEN if language == "english" else WORD
    for entry in entries:
        text = entry.lower() if language == "english" else _normalise(entry.lower(), language)
        tokens = token.findall(text)
        if len(tokens) == 1:
            words.add(tokens[0])
        elif tokens:
            phrases.add(" ".join(tokens))
    return sorted(words), sorted(phrases)


def _without_phrases(counts, vocab: np.ndarray, phrases: list[str]):
    """Drop the keywords (columns) that contain one of the phrases word for word."""
    if not phrases or not len(vocab):
        return counts, vocab
    padded = [f" {p} " for p in phrases]
    keep = np.fromiter(
        (not any(p in f" {term} " for p in padded) for term in vocab), dtype=bool, count=len(vocab)
    )
    return counts[:, keep], vocab[keep]


def _doc_term_matrix(texts: list[str], settings: FitSettings, own: Iterable[str] = ()):
    from sklearn.feature_extraction.text import CountVectorizer

    cleaned = [_clean(t, settings.clean_text, settings.language) for t in texts]
    if settings.clean_text:
        cleaned = boilerplate.without(cleaned)
    n_docs = len(cleaned)
    words, phrases = own_stop_words(own, settings.language)
    base = stop_words(settings.language, texts) or []
    stop = sorted(set(base) | set(words)) or None
    # Words in most documents ("said", "people") describe the corpus, not a topic.
    max_df = MAX_DOC_SHARE if n_docs >= 50 else 1.0
    for min_df, top_df in ((settings.min_df, max_df), (1, 1.0)):
        vectorizer = CountVectorizer(
            stop_words=stop,
            ngram_range=(1, settings.ngram_max),
            min_df=min(min_df, max(1, n_docs)),
            max_df=top_df,
            token_pattern=token_pattern(settings.language),
        )
        try:
            counts = vectorizer.fit_transform(cleaned)
        except ValueError:  # no word left at this min_df, e.g. on a tiny corpus
            continue
        return _without_phrases(counts, vectorizer.get_feature_names_out(), phrases)
    return sp.csr_matrix((n_docs, 0), dtype=np.int64), np.array([], dtype=object)


def topic_keywords(
    texts: list[str],
    assignments: np.ndarray,
    settings: FitSettings,
    own_stop: Iterable[str] = (),
    n_words: int | None = None,
) -> dict[int, tuple[list[str], list[float]]]:
    """Top ``n_words`` (default ``settings.top_n_words``) words per topic with their
    c-TF-IDF weights; ``own_stop`` holds the researcher's own stop words and phrases."""
    rows = np.flatnonzero(np.fromiter((bool(t) for t in texts), dtype=bool, count=len(texts)))
    if not len(rows):
        return {}
    counts, vocab = _doc_term_matrix([texts[r] for r in rows], settings, own_stop)
    labels = assignments[rows]
    classes = np.unique(labels)
    membership = sp.csr_matrix(
        (np.ones(len(rows)), (np.searchsorted(classes, labels), np.arange(len(rows)))),
        shape=(len(classes), len(rows)),
    )
    # sparse throughout: topics x vocabulary is mostly zeros, and each dense copy of it
    # grows with topics times phrases (hundreds of MB on 100,000 documents)
    per_class = sp.csr_matrix(membership @ counts, dtype=np.float64)
    if per_class.shape[1] == 0:
        return {int(c): ([], []) for c in classes if c != UNASSIGNED}
    totals = np.asarray(per_class.sum(axis=1)).ravel()
    word_freq = np.asarray(per_class.sum(axis=0)).ravel()
    avg_words = totals.sum() / len(classes)
    idf = np.log(1 + avg_words / np.where(word_freq == 0, 1, word_freq))
    scores = sp.diags(1 / np.where(totals == 0, 1, totals)) @ per_class @ sp.diags(idf)
    scores = sp.csr_matrix(scores)
    scores.sort_indices()
    out: dict[int, tuple[list[str], list[float]]] = {}
    for i, topic in enumerate(classes):
        if topic == UNASSIGNED:
            continue
        start, end = scores.indptr[i], scores.indptr[i + 1]
        values, columns = scores.data[start:end], scores.indices[start:end]
        top = np.argsort(-values, kind="stable")[: n_words or settings.top_n_words]
        top = [j for j in top if values[j] > 0]
        out[int(topic)] = (
            [str(vocab[columns[j]]) for j in top],
            [float(values[j]) for j in top],
        )
    return out


def representatives(
    embeddings: np.ndarray, assignments: np.ndarray, n: int, texts: list[str] | None = None
) -> dict[int, list[int]]:
    """For each topic, the rows nearest its centroid; with texts, no two that differ only in
    case, spacing or punctuation (a heading in capitals and again in title case)."""
    out: dict[int, list[int]] = {}
    for topic in np.unique(assignments[assignments >= 0]):
        members = np.flatnonzero(assignments == topic)
        vectors = embeddings[members]
        lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(lengths == 0, 1, lengths)
        centre = vectors.mean(axis=0)
        norm = np.linalg.norm(centre)
        sims = vectors @ (centre / norm if norm else centre)
        chosen: list[int] = []
        seen: set[str] = set()
        for j in np.argsort(-sims, kind="stable"):
            row = int(members[j])
            key = " ".join(ALNUM.findall(texts[row].casefold())) if texts is not None else str(row)
            if key in seen:
                continue
            seen.add(key)
            chosen.append(row)
            if len(chosen) == n:
                break
        out[int(topic)] = chosen
    return out
