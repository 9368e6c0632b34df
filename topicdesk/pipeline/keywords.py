"""Class-based TF-IDF keywords and representative documents for topics.

Words are counted per document (so the minimum document frequency means documents, not
topics), summed per topic, and weighted as in BERTopic: ``tf * log(1 + A / f)``, with
``tf`` the L1-normalised count in the topic, ``A`` the average number of words per topic
and ``f`` the word's count in the whole corpus.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
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
# Above this many texts the words are counted in blocks of as many documents.
BLOCK_DOCS = 50_000
HASH_BUCKETS = 1 << 23  # for finding the rare terms of a large corpus (64 MiB of counts)


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


def _vectorizer(stop: list[str] | None, settings: FitSettings, min_df: int = 1, max_df=1.0):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        stop_words=stop,
        ngram_range=(1, settings.ngram_max),
        min_df=min_df,
        max_df=max_df,
        token_pattern=token_pattern(settings.language),
    )


def _prepared(
    texts: list[str], settings: FitSettings, own: Iterable[str]
) -> tuple[list[str], list[str] | None, list[str]]:
    """The texts as the counter reads them, its stop words and the researcher's phrases."""
    cleaned = [_clean(t, settings.clean_text, settings.language) for t in texts]
    if settings.clean_text:
        cleaned = boilerplate.without(cleaned)
    words, phrases = own_stop_words(own, settings.language)
    base = stop_words(settings.language, texts) or []
    return cleaned, sorted(set(base) | set(words)) or None, phrases


def _df_limits(settings: FitSettings, n_docs: int) -> tuple[tuple[int, float], ...]:
    """(min_df, max_df) to try in turn: the settings', then every word (tiny corpora)."""
    # Words in most documents ("said", "people") describe the corpus, not a topic.
    max_df = MAX_DOC_SHARE if n_docs >= 50 else 1.0
    return ((min(settings.min_df, max(1, n_docs)), max_df), (1, 1.0))


def _doc_term_matrix(texts: list[str], settings: FitSettings, own: Iterable[str] = ()):
    cleaned, stop, phrases = _prepared(texts, settings, own)
    for min_df, max_df in _df_limits(settings, len(cleaned)):
        vectorizer = _vectorizer(stop, settings, min_df, max_df)
        try:
            counts = vectorizer.fit_transform(cleaned)
        except ValueError:  # no word left at this min_df, e.g. on a tiny corpus
            continue
        return _without_phrases(counts, vectorizer.get_feature_names_out(), phrases)
    return sp.csr_matrix((len(cleaned), 0), dtype=np.int64), np.array([], dtype=object)


def _blocks(texts: list[str], size: int) -> Iterable[tuple[int, list[str]]]:
    for start in range(0, len(texts), size):
        yield start, texts[start : start + size]


def _frequent_buckets(texts: list[str], analyze, min_df: int, size: int) -> bytes:
    """Per hash bucket of terms, whether its terms are in ``min_df`` documents together:
    a term outside such a bucket is rarer still, so the exact count can skip it without
    holding the strings of every rare bigram of a million texts."""
    docs = np.zeros(HASH_BUCKETS, dtype=np.int64)
    for _, block in _blocks(texts, size):
        found: Counter[str] = Counter()
        for text in block:
            found.update(set(analyze(text)))
        buckets = np.fromiter((hash(t) & (HASH_BUCKETS - 1) for t in found), np.int64, len(found))
        np.add.at(docs, buckets, np.fromiter(found.values(), np.int64, len(found)))
    return (docs >= min_df).tobytes()


def _counts_in_blocks(
    texts: list[str],
    index: np.ndarray,
    n_classes: int,
    analyze,
    min_df: int,
    max_df: float,
    size: int,
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Per-class word counts (classes x vocabulary, sorted) counted ``size`` documents at
    a time, with the vocabulary and document-frequency limits of one CountVectorizer
    over all texts; raises ValueError where it would (no word left)."""
    high = max_df * len(texts)
    if high < min_df:
        raise ValueError("max_df corresponds to fewer documents than min_df")
    frequent = _frequent_buckets(texts, analyze, min_df, size) if min_df > 1 else None
    terms: dict[str, int] = {}
    docs = np.zeros(0, dtype=np.int64)
    # counts summed as floats, as one matrix's are: whole numbers, exact below 2**53
    per_class = sp.csr_matrix((n_classes, 0), dtype=np.float64)
    for start, block in _blocks(texts, size):
        columns, values, ends = array("q"), array("q"), array("q", [0])
        for text in block:
            for term, count in Counter(analyze(text)).items():
                column = terms.get(term)
                if column is None:
                    if frequent is not None and not frequent[hash(term) & (HASH_BUCKETS - 1)]:
                        continue
                    column = terms[term] = len(terms)
                columns.append(column)
                values.append(count)
            ends.append(len(columns))
        counts = sp.csr_matrix(
            (
                np.frombuffer(values, np.int64),
                np.frombuffer(columns, np.int64),
                np.frombuffer(ends, np.int64),
            ),
            shape=(len(block), len(terms)),
        )
        docs = np.concatenate([docs, np.zeros(len(terms) - len(docs), dtype=np.int64)])
        docs += np.bincount(counts.indices, minlength=len(terms))
        member = sp.csr_matrix(
            (np.ones(len(block)), (index[start : start + len(block)], np.arange(len(block)))),
            shape=(n_classes, len(block)),
        )
        per_class.resize((n_classes, len(terms)))
        per_class = per_class + member @ counts
    if not terms:
        raise ValueError("empty vocabulary")
    vocab = np.array(list(terms), dtype=object)
    del terms
    kept = np.flatnonzero((docs >= min_df) & (docs <= high))
    if not len(kept):
        raise ValueError("no word left at these document frequencies")
    order = kept[np.argsort(vocab[kept], kind="stable")]
    return per_class[:, order], vocab[order]


def _class_counts(
    texts: list[str], labels: np.ndarray, settings: FitSettings, own: Iterable[str], size: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Word counts summed per class (classes x vocabulary, float), the vocabulary and the
    classes. Up to ``size`` texts in one document-term matrix; more in blocks of that many,
    with the same result: a million texts' full bigram vocabulary took 1.2 GiB."""
    classes = np.unique(labels)
    index = np.searchsorted(classes, labels)
    if len(texts) <= size:
        counts, vocab = _doc_term_matrix(texts, settings, own)
        membership = sp.csr_matrix(
            (np.ones(len(texts)), (index, np.arange(len(texts)))),
            shape=(len(classes), len(texts)),
        )
        return sp.csr_matrix(membership @ counts, dtype=np.float64), vocab, classes
    cleaned, stop, phrases = _prepared(texts, settings, own)
    analyze = _vectorizer(stop, settings).build_analyzer()  # the terms CountVectorizer counts
    for min_df, max_df in _df_limits(settings, len(cleaned)):
        try:
            counts, vocab = _counts_in_blocks(
                cleaned, index, len(classes), analyze, min_df, max_df, size
            )
        except ValueError:  # no word left at this min_df
            continue
        counts, vocab = _without_phrases(counts, vocab, phrases)
        return counts, vocab, classes
    return sp.csr_matrix((len(classes), 0)), np.array([], dtype=object), classes


def topic_keywords(
    texts: list[str],
    assignments: np.ndarray,
    settings: FitSettings,
    own_stop: Iterable[str] = (),
    n_words: int | None = None,
    block_docs: int = BLOCK_DOCS,
) -> dict[int, tuple[list[str], list[float]]]:
    """Top ``n_words`` (default ``settings.top_n_words``) words per topic with their
    c-TF-IDF weights; ``own_stop`` holds the researcher's own stop words and phrases;
    above ``block_docs`` texts the words are counted that many documents at a time."""
    rows = np.flatnonzero(np.fromiter((bool(t) for t in texts), dtype=bool, count=len(texts)))
    if not len(rows):
        return {}
    # sparse throughout: topics x vocabulary is mostly zeros, and each dense copy of it
    # grows with topics times phrases (hundreds of MB on 100,000 documents)
    per_class, vocab, classes = _class_counts(
        [texts[r] for r in rows], assignments[rows], settings, own_stop, block_docs
    )
    if per_class.shape[1] == 0:
        return {int(c): ([], []) for c in classes if c != UNASSIGNED}
    totals = np.asarray(per_class.sum(axis=1)).ravel()
    word_freq = np.asarray(per_class.sum(axis=0)).ravel()
    avg_words = totals.sum() / len(classes)
    idf = np.log(1 + avg_words / np.where(word_freq == 0, 1, word_freq))
    inverse_totals = 1 / np.where(totals == 0, 1, totals)
    per_class.sort_indices()
    out: dict[int, tuple[list[str], list[float]]] = {}
    for i, topic in enumerate(classes):
        if topic == UNASSIGNED:
            continue
        # one topic's row at a time, not a scores matrix as large as the counts (at a
        # million texts each copy was hundreds of MB); the products are those of
        # diag(1 / totals) @ counts @ diag(idf), in the same order
        start, end = per_class.indptr[i], per_class.indptr[i + 1]
        columns = per_class.indices[start:end]
        values = per_class.data[start:end] * inverse_totals[i] * idf[columns]
        top = np.argsort(-values, kind="stable")[: n_words or settings.top_n_words]
        top = [j for j in top if values[j] > 0]
        out[int(topic)] = (
            [str(vocab[columns[j]]) for j in top],
            [float(values[j]) for j in top],
        )
    return out


def _unit_rows(embeddings: np.ndarray, rows: np.ndarray) -> np.ndarray:
    vectors = embeddings[rows]
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(lengths == 0, 1, lengths)


def _member_blocks(members: np.ndarray) -> list[np.ndarray]:
    return [members[start : start + BLOCK_DOCS] for start in range(0, len(members), BLOCK_DOCS)]


def topic_centre(embeddings: np.ndarray, members: np.ndarray) -> np.ndarray:
    """The normalised mean of the ``members``' unit vectors, copied ``BLOCK_DOCS`` rows at
    a time (a topic of 200,000 documents' 384-d vectors, copied and normalised whole, is
    two copies of 300 MB). The blocks' sum is carried row by row, in the order of one mean
    over all rows, so the centre is the same to the last bit."""
    parts = _member_blocks(members)
    total = _unit_rows(embeddings, parts[0]).sum(axis=0)
    for rows in parts[1:]:
        total = np.add.reduce(np.vstack([total[None], _unit_rows(embeddings, rows)]), axis=0)
    centre = total / len(members)
    norm = np.linalg.norm(centre)
    return centre / norm if norm else centre


def _closeness_to_centre(embeddings: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Cosine of each member's vector to :func:`topic_centre`, a block at a time; the
    cosines of a topic of more than one block can differ in their last bit (BLAS rounds by
    block length)."""
    centre = topic_centre(embeddings, members)
    return np.concatenate(
        [_unit_rows(embeddings, rows) @ centre for rows in _member_blocks(members)]
    )


def representatives(
    embeddings: np.ndarray, assignments: np.ndarray, n: int, texts: list[str] | None = None
) -> dict[int, list[int]]:
    """For each topic, the rows nearest its centroid; with texts, no two that differ only in
    case, spacing or punctuation (a heading in capitals and again in title case)."""
    out: dict[int, list[int]] = {}
    for topic in np.unique(assignments[assignments >= 0]):
        members = np.flatnonzero(assignments == topic)
        sims = _closeness_to_centre(embeddings, members)
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
