"""Does the keyword cleaning also help the embeddings? Raw against cleaned texts, on tweets.

    python benchmarks/text_cleaning.py              # 2,225 tweet-like BBC texts
    python benchmarks/text_cleaning.py --write tweets.csv   # also save the corpus
    python benchmarks/text_cleaning.py --corpus bbc   # the BBC articles themselves

The tweet-like corpus is made from the BBC articles (their licence forbids shipping it, so
it is rebuilt here): each text is the headline and the start of the first sentence (at
most 200 characters), posted by one of eight invented news accounts, chosen at random and
independent of the article's category. Each account adds what real accounts add: its
@handle, its own link shortener with a random code (reut.rs, ow.ly, bit.ly, ...), "RT",
HTML entities (&amp;), and in one text of ten mis-decoded characters (£ as Â£, quotes as
â€™). A good representation groups the texts by category (NMI against the five BBC
categories, higher is better), not by the account that posted them (NMI against the
account, lower is better). Topic count and NPMI coherence of the keywords (computed on the
cleaned texts, as keywords always are) complete the picture; three seeds each.
"""

from __future__ import annotations

import argparse
import re

import numpy as np
import pandas as pd
from common import DATA, table
from metrics import diversity, npmi_coherence, top_words
from sklearn.metrics import normalized_mutual_info_score

ACCOUNTS = [
    ("Reuters", "reut.rs"), ("nbcnews", "nbcnews.to"), ("msn", "on.msn.com"),
    ("KHNews", "khne.ws"), ("BBCWorld", "bbc.in"), ("guardian", "gu.com/p"),
    ("AP", "apne.ws"), ("NewsDesk", "ow.ly"),
]


def tweet_corpus(seed: int = 0) -> pd.DataFrame:
    """Tweet-like texts from the BBC articles, with category and posting account."""
    frame = pd.read_csv(DATA / "bbc_news.csv")
    rng = np.random.default_rng(seed)
    rows = []
    for i, (title, text, category) in enumerate(
        zip(frame["title"].astype(str), frame["text"].astype(str), frame["category"])
    ):
        first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0][:200]
        handle, short = ACCOUNTS[rng.integers(len(ACCOUNTS))]
        code = "".join(rng.choice(list("abcdefghijkmnpqrstuvwxyzABCDEFGH23456789"), 7))
        link = f"http://{short}/{code}"
        body = f"{title}: {first}".replace(" and ", " &amp; ", 1)
        style = i % 3
        tweet = (
            f"RT @{handle}: {body} {link}" if style == 0
            else f"{body} {link} via @{handle}" if style == 1
            else f"@{handle} {body} {link}"
        )
        if i % 10 == 0:
            tweet = tweet.encode("utf-8").decode("cp1252", errors="replace")
        rows.append((tweet, category, handle))
    return pd.DataFrame(rows, columns=["text", "category", "account"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", help="also save the tweet-like corpus to this CSV file")
    parser.add_argument("--corpus", choices=("tweets", "bbc"), default="tweets")
    args = parser.parse_args()
    from topic_quality import fit_topicdesk

    from topicdesk.core.settings import FitSettings, suggest_min_topic_size
    from topicdesk.pipeline import encoders, textclean

    tweets = tweet_corpus()
    if args.corpus == "bbc":  # the articles as published: no links or handles to remove
        bbc = pd.read_csv(DATA / "bbc_news.csv")
        tweets = pd.DataFrame({"text": bbc["text"], "category": bbc["category"], "account": ""})
    if args.write:
        tweets.to_csv(args.write, index=False)
    raw = tweets["text"].tolist()
    cleaned = [textclean.for_keywords(t) for t in raw]
    for_model = [textclean.for_embedding(t) for t in raw]
    changed = sum(a != b for a, b in zip(raw, for_model))
    print(f"the embedding cleaning changes {changed:,} of {len(raw):,} texts")
    settings = FitSettings(min_topic_size=suggest_min_topic_size(len(raw)))
    if args.corpus == "bbc":  # the question is the cleaning, so read articles the faster way
        settings = settings.replace(long_texts="truncate")
    encoder = encoders.ENCODERS.get(settings)
    rows = []
    variants = (
        ("raw texts", raw),
        ("cleaned for the model (numbers kept)", for_model),
        ("cleaned as for keywords (numbers removed too)", cleaned),
    )
    for name, embedded in variants:
        if embedded is for_model and changed == 0:
            continue  # the same texts as the raw ones, so the same figures
        vectors = encoder.embed(embedded, settings.batch_size)
        runs = []
        for seed in (42, 3, 7):
            project = fit_topicdesk(raw, vectors, settings.replace(seed=seed))
            labels = project.state.assignments
            words = [top_words(t.keywords) for t in project.state.sorted_topics()]
            runs.append(
                (
                    len(words),
                    npmi_coherence(words, cleaned)[0],
                    diversity(words),
                    normalized_mutual_info_score(tweets["category"], labels),
                    normalized_mutual_info_score(tweets["account"], labels),
                )
            )
        topics, npmi, div, nmi_cat, nmi_acc = np.array(runs).T
        rows.append(
            [
                name,
                f"{topics.mean():.1f}",
                f"{npmi.mean():.3f}",
                f"{div.mean():.3f}",
                f"{nmi_cat.mean():.3f} ({nmi_cat.min():.3f}-{nmi_cat.max():.3f})",
                f"{nmi_acc.mean():.3f} ({nmi_acc.min():.3f}-{nmi_acc.max():.3f})",
            ]
        )
        print(f"{name}: first names {[t.label for t in project.state.sorted_topics()[:6]]}")
    print(f"\n{len(raw):,} {args.corpus} texts, mean of seeds 42, 3 and 7\n")
    headers = ["embedded", "topics", "NPMI (top 10)", "diversity", "NMI vs category"]
    print(table([*headers, "NMI vs account (lower is better)"], rows))


if __name__ == "__main__":
    main()
