"""A fit in seconds without the language model: texts embedded by their letter counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from topicdesk.core.corpus import Corpus
from topicdesk.core.project import Project
from topicdesk.core.settings import FitSettings
from topicdesk.pipeline.encoders import Encoder, EncoderCache
from topicdesk.pipeline.runner import apply_fit, fit_project

SETTINGS = FitSettings(min_topic_size=15, n_neighbors=5)
THEMES = ("ab", "cd", "ef", "gh")  # the letters each theme's words are made of


class Letters(Encoder):
    """Letter counts of a-j, normalised: texts of one theme land close together."""

    identity, precision = "letters", "float32"

    def embed(self, texts, batch_size, progress=None):
        counts = np.array([[t.count(c) + 0.01 for c in "abcdefghij"] for t in texts], "f4")
        return counts / np.linalg.norm(counts, axis=1, keepdims=True)


ENCODERS = EncoderCache(lambda settings: Letters())


def toy_texts(n: int = 120, themes: int = 3, seed: int = 0) -> list[str]:
    """Texts of 5-12 made-up words, text i of theme i % themes; words of a theme share two
    letters, and every word has some letters all themes use."""
    rng = np.random.default_rng(seed)
    texts = []
    for i in range(n):
        letters = THEMES[i % themes]
        words = [
            "".join(rng.choice(list(letters * 3 + "ij"), size=rng.integers(3, 8)))
            for _ in range(rng.integers(5, 13))
        ]
        texts.append(" ".join(words))
    return texts


def toy_project(n: int = 120, themes: int = 3, settings: FitSettings = SETTINGS) -> Project:
    """A fitted project of ``n`` short texts in ``themes`` letter themes."""
    project = Project(Corpus(pd.DataFrame({"text": toy_texts(n, themes)}), "text"))
    project.settings = settings
    apply_fit(project, fit_project(project, settings, None, ENCODERS))
    return project
