"""The methods section in plain academic English, written from what the project recorded.

Every sentence comes from the project: the corpus and which documents were used, the
model and its precision, the settings and seed, the outliers, the researcher's curation
counted from the edit log, and the validation results. Nothing is claimed that the
project does not hold (no stability figures unless the topics carry them).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from topicdesk.analysis import validation as intrusion
from topicdesk.application import validation as val
from topicdesk.application.projects import summarize
from topicdesk.core.languages import MIXED
from topicdesk.core.project import Project
from topicdesk.pipeline import multilingual_encoder

# Net counts of curation steps from the edit log: the log kind and the words for it.
CURATION = (
    ("rename_topic", "renamed {n} topic{s}"),
    ("topic_note", "wrote or changed {n} topic definition{s}"),
    ("move_documents", "moved documents between topics {times} ({docs} document{ds} in all)"),
    ("new_topic", "made {n} new topic{s} from selected documents (splitting existing ones)"),
    ("merge_topics", "merged topics {times}"),
    ("delete_topic", "deleted {n} topic{s}"),
    ("update_keywords", "recomputed the keywords {times}"),
    ("document_note", "annotated documents {times}"),
)
REFERENCES = (
    (
        "Campello, R. J. G. B., Moulavi, D., & Sander, J. (2013). Density-based clustering based "
        "on hierarchical density estimates. In Advances in Knowledge Discovery and Data Mining "
        "(PAKDD 2013), 160–172. Springer."
    ),
    (
        "Chang, J., Gerrish, S., Wang, C., Boyd-Graber, J., & Blei, D. M. (2009). Reading tea "
        "leaves: How humans interpret topic models. Advances in Neural Information Processing "
        "Systems 22, 288–296."
    ),
    (
        "Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and "
        "Psychological Measurement, 20(1), 37–46."
    ),
    (
        "Grootendorst, M. (2022). BERTopic: Neural topic modeling with a class-based TF-IDF "
        "procedure. arXiv:2203.05794."
    ),
    (
        "Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.). "
        "Sage."
    ),
    (
        "McInnes, L., Healy, J., & Melville, J. (2018). UMAP: Uniform manifold approximation and "
        "projection for dimension reduction. arXiv:1802.03426."
    ),
    (
        "Reimers, N., & Gurevych, I. (2019). Sentence-BERT: Sentence embeddings using Siamese "
        "BERT-networks. Proceedings of EMNLP-IJCNLP 2019, 3982–3992."
    ),
    (
        "Wilson, E. B. (1927). Probable inference, the law of succession, and statistical "
        "inference. Journal of the American Statistical Association, 22(158), 209–212."
    ),
    (
        "Ying, L., Montgomery, J. M., & Stewart, B. M. (2022). Topics, concepts, and measurement: "
        "A crowdsourced procedure for validating topics as measures. Political Analysis, 30(4), "
        "570–589."
    ),
)


def _plural(n: int) -> str:
    return "" if n == 1 else "s"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%" if math.isfinite(value) else "–"


def _since_fit(project: Project) -> list:
    """Log entries after the fit the topics come from (earlier edits touched other topics)."""
    fitted_at = str(project.provenance.get("fitted_at") or "")
    return [e for e in project.history.log if not fitted_at or e.time >= fitted_at]


def curation_counts(project: Project) -> dict[str, int]:
    """Net steps per kind since the fit (an undone step no longer counts).

    Renames and definitions count the topics they touched (a topic renamed twice is one
    renamed topic); ``documents_moved`` counts the documents moved in all.
    """
    steps: dict[tuple[str, object], int] = {}
    moved = 0
    for entry in _since_fit(project):
        step = -1 if entry.action == "undo" else 1
        per_topic = entry.kind in ("rename_topic", "topic_note")
        key = (entry.kind, entry.params.get("topic_id") if per_topic else None)
        steps[key] = steps.get(key, 0) + step
        if entry.kind == "move_documents":
            moved += step * len(entry.params.get("rows", []) or [])
    counts: dict[str, int] = {}
    for (kind, topic), n in steps.items():
        if n > 0:
            counts[kind] = counts.get(kind, 0) + (1 if topic is not None else n)
    if moved > 0:
        counts["documents_moved"] = moved
    return counts


def _left_out_sentence(project: Project) -> str:
    """The stability check's refits that also left documents out, where one was made."""
    state = project.state
    figures = [t.left_out for t in state.topics.values() if t.left_out is not None]
    if not figures or len({f.share for f in figures}) != 1:
        return ""
    share, runs = figures[0].share, max(f.runs for f in figures)
    values = [f.stability for f in figures]
    every = sum(1 for f in figures if f.found == f.runs)
    sentence = (
        f" In {runs} further refits with those seeds that each left out a different "
        f"{share:.0%} of the documents, it ranged from {min(values):.2f} to {max(values):.2f} "
        f"(median {np.median(values):.2f}), and {every} of {len(figures)} topics were found (a "
        f"counterpart sharing at least half of their documents) in all of them."
    )
    moved = _share_moves(project)
    if moved:
        sentence += (
            f" The share of the documents a topic's counterpart held in those refits differed "
            f"from the topic's own share by up to {np.median(moved):.1f} percentage points for "
            f"the median topic and {max(moved):.1f} at most."
        )
    return sentence


def _share_moves(project: Project) -> list[float]:
    """Per topic with a measured range, how far (in percentage points) its counterparts'
    shares in the refits with documents left out strayed from its own share of the
    documents with text."""
    shares = project.topic_shares()
    moves = [
        t.left_out.share_move(shares[t.id])
        for t in project.state.topics.values()
        if t.left_out is not None
    ]
    return [m for m in moves if m is not None]


def _curation_sentence(project: Project) -> str:
    counts = curation_counts(project)
    done = []
    for kind, words in CURATION:
        n = counts.get(kind, 0)
        if n:
            docs = counts.get("documents_moved", 0)
            done.append(
                words.format(n=n, s=_plural(n), times=_times(n), docs=docs, ds=_plural(docs))
            )
    if not done:
        return (
            "The topics are reported as the model found them; the researcher did not change them."
        )
    listed = done[0] if len(done) == 1 else ", ".join(done[:-1]) + " and " + done[-1]
    return (
        f"The researcher then curated the topics in TopicDesk, every step kept in the project's "
        f"edit log: they {listed}."
    )


def _version(project: Project, name: str) -> str:
    versions = project.provenance.get("versions") or {}
    value = versions.get(name) if isinstance(versions, dict) else None
    return f" {value}" if value and value != "not installed" else ""


def _precision(project: Project) -> str:
    precision = str(project.provenance.get("embedding_precision") or "float32")
    if precision == "float32":
        return "in 32-bit floating point"
    if precision == "4-bit":
        return "with its weights quantised to 4 bits"
    engine = " through OpenVINO" if "OpenVINO" in precision else " in PyTorch"
    if precision.startswith("int8"):
        kind = (
            "in 8-bit integers (post-training static quantisation with NNCF, calibrated on "
            "300 paragraphs of TopicDesk's sample corpus, with the layers that moved embeddings "
            "most kept in floating point)"
        )
    else:
        kind = "in bfloat16"
    return (
        f"{kind}{engine}, a copy of the model accepted only after its embeddings of test "
        "sentences agreed with 32-bit ones (cosine similarity of at least 0.99) when it was loaded"
    )


def _model_words(project: Project, model: str) -> str:
    """The embedding model with its source to cite and the package that ran it."""
    packaged = multilingual_encoder.PACKAGED.get(model)
    if packaged is None:
        return (
            f"sentence-transformers model {model} (Reimers and Gurevych 2019; "
            f"sentence-transformers{_version(project, 'sentence-transformers')})"
        )
    return (
        f"{packaged.description} ({packaged.citation}; the Python package {packaged.package}"
        f"{_version(project, packaged.package)})"
    )


def _stop_word_words(language: str) -> str:
    if language == "none":
        return "no stop-word list"
    if language == MIXED:
        return "the stop words of each language found removed"
    source = "" if language == "english" else " (stopwords-iso)"
    return f"{language.capitalize()} stop words{source} removed"


def _text_handling(project: Project) -> str:
    """What the model was given: cleaned text, and long texts whole or cut."""
    settings = project.settings
    out = ""
    if settings.clean_text:
        out += (
            "The model read the texts without links, e-mail addresses, @handles, retweet "
            "markers and HTML entities, with mis-decoded characters repaired; the documents "
            "themselves were kept as imported. "
        )
    packaged = multilingual_encoder.PACKAGED.get(settings.model)
    if packaged is not None:
        return out + packaged.reading + " "
    window = f"the model's window of {settings.max_seq_length} word pieces"
    if settings.long_texts == "whole":
        out += (
            f"Texts longer than {window} were cut into windows of nearly equal length and "
            "represented by the mean of the windows' embeddings weighted by their length, so "
            "that every part of a document counts. "
        )
    else:
        out += f"Texts longer than {window} were represented by their beginning only. "
    return out


def _own_stop_words(project: Project) -> str:
    words = project.state.stop_words if project.state is not None else ()
    if not words:
        return ""
    return f", and {len(words):,} further word{_plural(len(words))} chosen by the researcher"


def _consensus(project: Project) -> str:
    """How the topics were agreed from several clustering runs, if they were."""
    runs = int(project.provenance.get("runs") or 1)
    if runs < 2:
        return ""
    return (
        f". This was done {runs} times, each on its own UMAP reduction with another random "
        "seed, and a topic was kept where most runs agreed: clusters of different runs whose "
        "documents overlapped at a Jaccard index of 0.5 or more on average formed one topic, "
        "and a document joined the topic that more than half of the runs put it in "
        "(meta-clustering after Strehl and Ghosh 2002)"
    )


def _epochs(provenance: dict) -> str:
    """The clustering reductions' optimisation epochs, where the fit recorded them."""
    epochs = provenance.get("cluster_epochs")
    return f", {int(epochs)} optimisation epochs" if epochs else ""


def _sampling(project: Project) -> str:
    """How the documents outside the sample were placed, if the fit sampled."""
    provenance, settings = project.provenance, project.settings
    placed = int(provenance.get("placed_from_sample") or 0)
    if not placed:
        return ""
    distinct = int(provenance.get("distinct_texts") or placed)
    sample = int(provenance.get("sample_size") or distinct - placed)
    smallest = int(provenance.get("sample_smallest_topic") or 2)
    return (
        f" The reductions and the clustering were fitted on a random sample of {sample:,} of "
        f"the {distinct:,} different texts (seed {settings.seed}; smallest topic {smallest} "
        f"documents of the sample: the set size in proportion, but at least the size suggested for "
        f"a corpus as large as the sample), and the other {placed:,} "
        f"({_pct(placed / distinct)}) were placed by what was fitted: in each reduction and on "
        f"the map at the mean position of their {settings.n_neighbors} most similar sampled "
        "documents in the embedding space, weighted by UMAP's membership strengths (the "
        "initial placement of UMAP's transform), and in the topic whose centre (the mean "
        "embedding of its sampled documents) they were most similar to, when the cosine "
        f"similarity was at least {settings.outlier_threshold:.2f}."
    )


def methods_paragraphs(project: Project) -> list[str]:
    """Three paragraphs: data and model, curation, validation (when there is any)."""
    state, settings, corpus = project.state, project.settings, project.corpus
    assert state is not None
    summary = summarize(project)
    source = Path(corpus.source_name).name or "the imported table"
    used = (
        f"The corpus was {source}, {summary.rows:,} rows with the text in the column "
        f"'{corpus.text_column}'; {summary.with_text:,} documents with text were analysed"
    )
    if summary.empty_texts:
        used += f" and {summary.empty_texts:,} rows with an empty text were left out"
    if summary.repeated_texts:
        used += (
            f"; {summary.repeated_texts:,} documents repeated another's text word for word and "
            "share its result"
        )
    model = str(project.provenance.get("model") or settings.model)
    provenance = project.provenance
    smallest = int(provenance.get("smallest_topic") or settings.min_topic_size)
    min_samples = settings.min_samples or smallest
    outliers = (
        f"Documents that HDBSCAN left as outliers were placed in the topic whose centre they "
        f"were most similar to when the cosine similarity was at least "
        f"{settings.outlier_threshold:.2f}"
        if settings.reduce_outliers
        else "Documents that HDBSCAN left as outliers stayed unassigned"
    )
    share = summary.unassigned / summary.with_text if summary.with_text else math.nan
    ranking = getattr(settings, "keyword_ranking", "ctfidf")
    keyword_words = {
        "ctfidf": "class-based TF-IDF",
        "mmr": "class-based TF-IDF, re-ranked for variety (maximal marginal relevance)",
        "embedding": "class-based TF-IDF, re-ranked by closeness in meaning to the topic",
    }.get(ranking, "class-based TF-IDF")
    first = (
        f"Topics were found with TopicDesk{_version(project, 'topicdesk')}, which follows the "
        f"BERTopic procedure (Grootendorst 2022). {used}. Each document was embedded with the "
        f"{_model_words(project, model)}, computed {_precision(project)}. "
        f"{_text_handling(project)}"
        f"The embeddings were reduced to {settings.cluster_dimensions} dimensions with UMAP "
        f"(McInnes et al. 2018; umap-learn{_version(project, 'umap-learn')}; "
        f"{settings.n_neighbors} neighbours, minimum distance {settings.min_dist:g}, cosine "
        f"distance{_epochs(provenance)}) and clustered with HDBSCAN (Campello et al. 2013; hdbscan"
        f"{_version(project, 'hdbscan')}; leaf clusters of at least {smallest} documents, "
        f"min samples {min_samples}){_consensus(project)}; a second UMAP projection to two "
        f"dimensions draws the map.{_sampling(project)} "
        f"{outliers}; {summary.unassigned:,} documents ({_pct(share)} of those with text) have "
        f"no topic. Topics are described by their {settings.top_n_words} top keywords by "
        f"{keyword_words}, with phrases of up to {settings.ngram_max} words and "
        f"{_stop_word_words(settings.language)}"
        f"{_own_stop_words(project)}. "
        f"All random steps used the seed {settings.seed}, so the same file and settings give "
        f"the same topics."
    )
    first += "".join(f" {warning}" for warning in provenance.get("warnings") or [])
    stability = [
        float(s)
        for s in (getattr(t, "stability", None) for t in state.topics.values())
        if s is not None and math.isfinite(float(s))
    ]
    if stability:
        first += (
            f" Across refits with other seeds on the same documents, the topics' stability "
            f"(mean best-match Jaccard overlap) ranged from "
            f"{min(stability):.2f} to {max(stability):.2f} (median {np.median(stability):.2f})."
        )
        first += _left_out_sentence(project)
    second = (
        f"{_curation_sentence(project)} The final model has {len(state.topics)} topic"
        f"{_plural(len(state.topics))}, each with a name and, where the researcher wrote one, a "
        f"definition (Table S1)."
    )
    paragraphs = [first, second]
    validation = validation_sentences(project)
    if validation:
        paragraphs.append(" ".join(validation))
    return paragraphs


def _overall(scores: list, kind: str):
    return next((s for s in scores if s.kind == kind and s.topic_id is None), None)


def validation_sentences(project: Project) -> list[str]:
    """The validation results in words (empty when the researcher has run none)."""
    out: list[str] = []
    test = val.intrusion_test(project)
    answers = val.intrusion_answers(project)
    names = [n for n, a in answers.items() if a]
    scores = val.intrusion_scores(project)
    who = _who(names)
    word_test = (
        "a word-intrusion test (Chang et al. 2009): five of a topic's top words and one word "
        "high in another topic and low in this one"
    )
    topic_test = (
        "a topic-intrusion test in the form Ying, Montgomery and Stewart (2022) recommend: a "
        "document with its three most likely topics and one unlikely topic, each shown as its "
        "eight top words"
    )
    for kind, what in ((intrusion.WORD, word_test), (intrusion.TOPIC, topic_test)):
        overall = _overall(scores, kind)
        if test is None or overall is None:
            continue
        per_topic = [s for s in scores if s.kind == kind and s.topic_id is not None]
        spread = ""
        if len(per_topic) > 1:
            shares = [s.share for s in per_topic]
            spread = f"; per topic the share ranged from {_pct(min(shares))} to {_pct(max(shares))}"
        out.append(
            f"{who[:1].upper()}{who[1:]} took {what}, with tasks drawn at random (seed {test.seed}) and "
            f"shown in random order. The intruder was found in {overall.found} of "
            f"{overall.answered} answers ({_pct(overall.share)}, 95% Wilson interval "
            f"{_pct(overall.low)}–{_pct(overall.high)}){spread} (Table S2)."
        )
    sample = val.coding_sample(project)
    codes = val.all_codes(project)
    if sample is not None and any(codes.values()):
        out.append(
            f"A stratified random sample of up to {sample.per_topic} documents per topic and "
            f"of the unassigned documents ({len(sample.rows)} documents, seed {sample.seed}) "
            "was coded blind: the coder saw each document alone and chose a topic, 'none' or "
            "'unsure', without seeing the model's topic."
        )
        for name in codes:
            result = val.coding_result(project, name)
            if result is None or not result.coded:
                continue
            kappa = (
                f"Cohen's kappa {result.kappa:.2f} (95% interval {result.kappa_low:.2f} to "
                f"{result.kappa_high:.2f})"
                if math.isfinite(result.kappa)
                else "Cohen's kappa could not be computed (a single category)"
            )
            precision = [t.precision for t in result.topics]
            out.append(
                f"{name} coded {result.coded} documents ({result.unsure} marked unsure); the "
                f"model and {name} agreed on {_pct(result.agreement)} of them, {kappa}"
                + (
                    f", with per-topic precision from {_pct(min(precision))} to "
                    f"{_pct(max(precision))} (Table S{3 if scores else 2})."
                    if precision
                    else "."
                )
            )
        alpha = val.researchers_alpha(project)
        if math.isfinite(alpha):
            out.append(
                f"Between the {len([c for c in codes.values() if c])} researchers who coded the "
                f"sample, Krippendorff's alpha (nominal, 'unsure' as missing) was {alpha:.2f}."
            )
    out += val.changes_since(project)
    return out


def _who(names: list[str]) -> str:
    if not names:
        return "the researcher"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
