"""Fit settings: every knob of the pipeline, with defaults a newcomer can trust."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from topicdesk.errors import TopicDeskError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
LANGUAGES = ("english", "german", "none")
PRECISIONS = ("auto", "float32")


@dataclass(frozen=True)
class FitSettings:
    """What the pipeline does; stored in every project so a fit can be repeated exactly.

    ``model`` is ``DEFAULT_MODEL`` (the offline model shipped with TopicDesk) or the path
    of a local sentence-transformers folder; ``allow_download`` must be set explicitly
    before any other name is fetched from the internet. ``precision`` "auto" lets the
    embedding run in bfloat16 where the CPU computes it natively and the result stays
    within cosine 0.99 of float32; "float32" always uses full precision.
    """

    model: str = DEFAULT_MODEL
    allow_download: bool = False
    batch_size: int = 32
    max_seq_length: int = 256
    precision: str = "auto"
    n_neighbors: int = 15
    cluster_dimensions: int = 5
    min_dist: float = 0.0
    min_topic_size: int = 10
    min_samples: int | None = None
    seed: int = 42
    language: str = "english"
    ngram_max: int = 2
    min_df: int = 2
    top_n_words: int = 10
    n_representatives: int = 3
    reduce_outliers: bool = True
    outlier_threshold: float = 0.3

    def __post_init__(self) -> None:
        if self.min_topic_size < 2:
            raise TopicDeskError("The minimum topic size must be at least 2 documents.")
        if self.n_neighbors < 2:
            raise TopicDeskError("The number of neighbours must be at least 2.")
        if self.language not in LANGUAGES:
            raise TopicDeskError(
                f"Unknown stop-word language '{self.language}'; use one of {', '.join(LANGUAGES)}."
            )
        if self.precision not in PRECISIONS:
            raise TopicDeskError(
                f"Unknown embedding precision '{self.precision}'; use one of {', '.join(PRECISIONS)}."
            )
        if self.ngram_max not in (1, 2, 3):
            raise TopicDeskError("Keyword phrases can be 1 to 3 words long.")
        if not 0.0 <= self.outlier_threshold <= 1.0:
            raise TopicDeskError("The outlier similarity threshold must lie between 0 and 1.")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FitSettings:
        """Settings from a project or CLI; unknown keys (from newer versions) are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def replace(self, **changes) -> FitSettings:
        return FitSettings.from_dict({**self.to_dict(), **changes})


def suggest_min_topic_size(n_docs: int) -> int:
    """A minimum topic size that gives a readable number of topics for a corpus size.

    About n/150 documents, between 5 and 100: small surveys keep small themes, large
    corpora do not split into hundreds of micro-topics.
    """
    return int(min(100, max(5, round(n_docs / 150))))
