"""The pre-fit check whether cleaning changes any text answers as cleaning every text does.

The check decides whether saved embeddings still fit; it stops at the first changed text
instead of cleaning a million, so it is compared here with the full comparison.
"""

from __future__ import annotations

import pytest

from topicdesk.core.settings import FitSettings
from topicdesk.pipeline import runner

PLAIN = [f"Paragraph {i} on the budget, the army and the schools of the nation." for i in range(30)]
NOTICE = "The full text of this agency report is no longer available for legal reasons."
CORPORA = {
    "plain ASCII": (PLAIN, False),
    "plain with accents and double spaces": (
        [f"Die Regierung  plant {i} neue Schulen für Köln." for i in range(30)],
        False,
    ),
    "a link in the last text": (PLAIN + ["More at http://example.com/report today."], True),
    "an entity": (["Fish &amp; chips", *PLAIN], True),
    "a handle after accents": ([*PLAIN, "Grüße an @freunde aus Köln"], True),
    "mojibake only": ([*PLAIN, "Ein cafÃ© in der Stadt"], True),
    "an empty result keeps the text": (["http://example.com/only-a-link", *PLAIN], False),
    "boilerplate in many texts": ([f"{t} {NOTICE}" for t in PLAIN], True),
    "texts that are only boilerplate stay": (
        [NOTICE, f" {NOTICE}", f"{NOTICE} ", f"  {NOTICE}", f"{NOTICE}  ", f"\n{NOTICE}"],
        False,
    ),
}


@pytest.mark.parametrize("name", CORPORA)
def test_check_equals_cleaning_every_text(name):
    texts, expected = CORPORA[name]
    full = runner.model_texts(texts, FitSettings()) != texts
    assert full is expected
    assert runner.cleaning_changes(texts) is expected


def test_sample_paragraphs(sotu):
    texts = list(dict.fromkeys(t for t in sotu["text"] if t))
    assert runner.cleaning_changes(texts) == (runner.model_texts(texts, FitSettings()) != texts)
