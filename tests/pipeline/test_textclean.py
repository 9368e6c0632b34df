"""Keywords from tweet-like texts: no links, handles, entities, numbers or mojibake."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import keywords, textclean

SUBJECTS = {
    0: ["ebola outbreak spreads", "vaccine trial hospital", "ebola patients doctors"],
    1: ["election campaign vote", "parliament election result", "candidates debate vote"],
    2: ["football match goal", "league champions football", "striker goal season"],
}
SHORTENERS = ["http://reut.rs/{}", "http://ow.ly/{}", "bit.ly/{}", "https://t.co/{}", "http://nbcnews.to/{}"]
HANDLES = ["@Reuters", "@nbcnews", "@msn", "@KHNews"]


def tweets(n: int = 150, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Short texts on three subjects with what news accounts add: links, handles, RT,
    entities, numbers and mis-decoded characters, equally in every subject."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        subject = i % 3
        words = SUBJECTS[subject][rng.integers(3)]
        code = "".join(rng.choice(list("abcdefXYZ123"), 7))
        link = SHORTENERS[rng.integers(len(SHORTENERS))].format(code)
        handle = HANDLES[rng.integers(len(HANDLES))]
        prefix = "RT " + handle + ": " if i % 2 else ""
        extra = ["&amp; more", "caf\u00c3\u00a9 owner says", "2,400 people", "at 10.30pm", "mail news@example.com"][i % 5]
        texts.append(f"{prefix}{words} {extra} {link} via {handle} #{words.split()[0]}")
        labels.append(subject)
    return texts, np.asarray(labels)


@pytest.mark.parametrize(
    "raw, gone, kept",
    [
        ("RT @Reuters: Ebola spreads http://reut.rs/1xYz", ["RT", "@Reuters", "reut", "http"], ["Ebola"]),
        ("Baby born nbcnews.to/1ab and http ow.ly/xyz", ["nbcnews", "ow.ly", "xyz"], ["Baby"]),
        ("Read www.bbc.co.uk/news/123 or https://t.co/AbC", ["www", "bbc", "t.co"], ["Read"]),
        ("Cut off link http\u2026", ["http"], ["Cut"]),
        ("Tom &amp;amp; Jerry &quot;live&quot; <br/>", ["amp", "quot", "br"], ["Tom", "Jerry", '"live"']),
        ("Write to jane.doe@uni.edu today", ["jane", "uni.edu"], ["Write", "today"]),
        ("Costs rose 10.5% to 2,000 in the 1990s, 5bn, 21st", ["10", "2,000", "1990s", "5bn", "21st"], ["Costs"]),
        ("The caf\u00c3\u00a9 owner", ["\u00c3"], ["café"]),
    ],
)
def test_cleaning_removes_what_never_names_a_topic(raw, gone, kept):
    cleaned = textclean.for_keywords(raw)
    for piece in gone:
        assert piece not in cleaned.split() and piece not in cleaned, (piece, cleaned)
    for piece in kept:
        assert piece in cleaned, (piece, cleaned)


def test_repair_fixes_mojibake_and_leaves_good_text_alone():
    assert textclean.repair("Price: \u00c2\u00a35m, d\u00c3\u00a9j\u00c3\u00a0 vu") == "Price: £5m, déjà vu"
    for good in ("Plain ASCII text.", "Grüße aus Köln – “quoted”", "naïve café ﬁne"):
        assert textclean.repair(good) == good
    assert textclean.display_text("RT @x: http://t.co/a") == "RT @x: http://t.co/a"  # only repairs


def test_keywords_of_tweets_are_subject_words_only():
    texts, labels = tweets()
    found = keywords.topic_keywords(texts, labels, FitSettings(min_df=2))
    allowed = {w for phrases in SUBJECTS.values() for p in phrases for w in p.split()}
    allowed |= {"people", "owner", "says", "cafe", "café", "mail", "news"}  # real words in the texts
    for topic, (words, _) in found.items():
        for word in words:
            assert set(word.split()) <= allowed, (topic, word)
    assert "ebola" in found[0][0] and "election" in found[1][0] and "football" in found[2][0]


def test_without_cleaning_the_noise_comes_back():
    """The setting is honest: turned off, link pieces and handles are keywords again."""
    texts, labels = tweets()
    found = keywords.topic_keywords(texts, labels, FitSettings(min_df=2, clean_text=False, top_n_words=30))
    words = {w for ws, _ in found.values() for phrase in ws for w in phrase.split()}
    assert words & {"http", "rt", "reut", "ly", "nbcnews", "amp"}


def test_original_cells_stay_in_project_and_export(tmp_path):
    from topicdesk.core.corpus import Corpus
    from topicdesk.core.project import Project
    from topicdesk.core.state import Topic, TopicState
    from topicdesk.io.export import export_project
    from topicdesk.project.store import open_project, save_project

    texts, labels = tweets(30)
    corpus = Corpus(pd.DataFrame({"text": texts}), "text")
    state = TopicState.empty(len(texts))
    state.assignments[:] = labels
    found = keywords.topic_keywords(corpus.texts, labels, FitSettings(min_df=1))
    for tid, (words, weights) in found.items():
        state.topics[tid] = Topic(id=tid, label=", ".join(words[:3]), keywords=words, weights=weights)
    project = Project(corpus, state=state)
    project.fitted = True
    save_project(project, tmp_path / "p.topicdesk")
    assert open_project(tmp_path / "p.topicdesk").corpus.texts == texts
    export_project(project, tmp_path / "out.xlsx")
    exported = pd.read_excel(tmp_path / "out.xlsx", sheet_name=0)
    assert exported["text"].tolist() == texts
    assert not any("http" in k or "@" in k for t in state.topics.values() for k in t.keywords)


def test_the_model_reads_tweets_without_links_but_with_their_numbers():
    from topicdesk.core.corpus import Corpus
    from topicdesk.pipeline.runner import model_texts, stage_keys

    raw = "RT @Reuters: Ebola kills 2,400 &amp; spreads http://reut.rs/1xYz"
    assert textclean.for_embedding(raw) == ": Ebola kills 2,400 & spreads"
    assert textclean.for_embedding("Plain  text,\n2 lines.") == "Plain  text,\n2 lines."
    assert model_texts([raw, "http://t.co/x"], FitSettings()) == [": Ebola kills 2,400 & spreads", "http://t.co/x"]
    assert model_texts([raw], FitSettings(clean_text=False)) == [raw]
    texts, _ = tweets(20)
    noisy = Corpus(pd.DataFrame({"text": texts}), "text")
    plain = Corpus(pd.DataFrame({"text": [f"an answer about school {i}" for i in range(20)]}), "text")
    on, off = FitSettings(), FitSettings(clean_text=False)
    assert stage_keys(noisy, on)[0] != stage_keys(noisy, off)[0]
    assert stage_keys(plain, on)[0] == stage_keys(plain, off)[0]  # saved embeddings stay valid
