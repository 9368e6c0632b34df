"""Fit settings: every knob of the pipeline, each declared once with its words and range.

:data:`SPECS` is the one place a setting's label, help text, range, choices and
command-line flag are written; the fit dialog builds its rows from it, the CLI its
options, and :class:`FitSettings` checks values against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from topicdesk.core.languages import LANGUAGES, MIXED
from topicdesk.errors import TopicDeskError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# the model suggested for texts not in English (pipeline/multilingual_encoder.py)
MULTILINGUAL_MODEL = "use-multilingual-v3"
PRECISIONS = ("auto", "float32")


@dataclass(frozen=True)
class SettingSpec:
    """How one setting is shown, explained, bounded and spelled on the command line.

    ``kind`` is "int", "float", "bool", "choice" or "model". ``zero_means_none`` marks a
    number whose 0 stands for "automatic" (stored as None). ``requires`` names a bool
    setting that must be on for this one to matter (the dialog greys it out otherwise).
    """

    name: str
    label: str
    help: str
    kind: str
    what: str = ""
    unit: str = ""
    low: float | None = None
    high: float | None = None
    step: float = 1
    choices: tuple[tuple[str, str], ...] = ()
    advanced: bool = False
    requires: str | None = None
    zero_means_none: bool = False

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def check(self, value: object) -> None:
        """Raise a one-sentence TopicDeskError if ``value`` is outside this setting's range."""
        if self.kind == "choice":
            allowed = [c for c, _ in self.choices]
            if value not in allowed:
                raise TopicDeskError(
                    f"Unknown {self.what or self.label.lower()} '{value}'; use one of {', '.join(allowed)}."
                )
            return
        if self.kind not in ("int", "float") or value is None:
            return
        unit = f" {self.unit}" if self.unit else ""
        if self.high is None and self.low is not None and value < self.low:
            raise TopicDeskError(f"{self.what} must be at least {_num(self.low)}{unit}.")
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise TopicDeskError(
                f"{self.what} must lie between {_num(self.low)} and {_num(self.high)}{unit}."
            )


def _num(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "min_topic_size",
        "Smallest topic (documents):",
        "The smallest group of documents that counts as a topic. Larger values give fewer, "
        "broader topics.",
        "int",
        "The minimum topic size",
        "documents",
        low=2,
    ),
    SettingSpec(
        "topic_detail",
        "Topics: fewer and broader (−4) … more and finer (+4):",
        "Each step up makes the smallest topic about 1.4 times smaller, so there are more, "
        "finer topics; each step down gives fewer, broader ones. The number of topics "
        "changes a little with each step. 0 keeps the smallest topic size as set.",
        "int",
        "The topic detail",
        low=-4,
        high=4,
    ),
    SettingSpec(
        "n_neighbors",
        "Neighbours (local vs global structure):",
        "How many similar documents each document looks at. Small values find local detail, "
        "large values the broad structure of the corpus.",
        "int",
        "The number of neighbours",
        low=2,
        high=200,
    ),
    SettingSpec(
        "language",
        "Stop-word language:",
        "Common words of this language (the, and, der, und, le, la…) are left out of the "
        "keywords, and words are split as the language writes them (umlauts, accents, "
        "aujourd'hui, CDU-Fraktion). Mixed: the common words of each language found.",
        "choice",
        "stop-word language",
        choices=(
            *((value, name) for value, (_, name) in LANGUAGES.items()),
            (MIXED, "Mixed (each language found)"),
            ("none", "No stop words"),
        ),
    ),
    SettingSpec(
        "seed",
        "Random seed:",
        "Fits with the same seed and settings give the same topics. Change it to see how "
        "stable the topics are.",
        "int",
        "The random seed",
        low=0,
        high=2**31 - 1,
    ),
    SettingSpec(
        "reduce_outliers",
        "Put outliers into the nearest topic",
        "Documents that fit no topic well join the most similar topic, if they are similar "
        "enough (see the outlier similarity threshold).",
        "bool",
    ),
    SettingSpec(
        "outlier_threshold",
        "Outlier similarity threshold:",
        "How similar (0–1, cosine) an outlier must be to a topic to join it.",
        "float",
        "The outlier similarity threshold",
        low=0.0,
        high=1.0,
        step=0.05,
        requires="reduce_outliers",
    ),
    SettingSpec(
        "clean_text",
        "Leave links, @handles and numbers out of keywords",
        "Web addresses, e-mail addresses, @handles, 'RT', HTML entities such as &amp;, "
        "numbers and link-shortener fragments (bit.ly, ow.ly) never become keywords, and "
        "garbled characters (Ã© for é) are repaired; the language model does not read links, "
        "handles or entities either, nor sentences repeated word for word in many texts "
        "(agency notices). The texts themselves stay as imported.",
        "bool",
    ),
    SettingSpec(
        "long_texts",
        "Texts longer than the model reads at once:",
        "The model reads at most 'Max tokens per text' word pieces at once (about 190 words "
        "at 256). Whole text: a longer text is read in windows and their meanings averaged, "
        "so all of it counts (it takes longer). First part only: the rest is ignored.",
        "choice",
        "long-text handling",
        choices=(("whole", "Whole text (read in windows)"), ("truncate", "First part only")),
    ),
    SettingSpec(
        "keyword_ranking",
        "Keyword order:",
        "How each topic's keywords are ordered; its default name is made of the first three. "
        "Distinctive: the words most typical of the topic (c-TF-IDF). Varied: typical words "
        "that do not repeat each other (MMR). Closest in meaning: typical words closest to "
        "the topic's documents in the embedding model.",
        "choice",
        "keyword order",
        choices=(
            ("ctfidf", "Distinctive (c-TF-IDF)"),
            ("mmr", "Distinctive and varied (MMR)"),
            ("embedding", "Closest in meaning to the topic"),
        ),
        advanced=True,
    ),
    SettingSpec(
        "ngram_max",
        "Keyword phrase length (words):",
        "Keywords can be phrases of up to this many words.",
        "int",
        "The keyword phrase length",
        "words",
        low=1,
        high=3,
        advanced=True,
    ),
    SettingSpec(
        "min_df",
        "Minimum documents per keyword:",
        "A keyword must appear in at least this many documents.",
        "int",
        "The minimum documents per keyword",
        low=1,
        high=1000,
        advanced=True,
    ),
    SettingSpec(
        "top_n_words",
        "Keywords per topic:",
        "How many keywords each topic lists (its default name uses the first three).",
        "int",
        "The number of keywords per topic",
        low=3,
        high=50,
        advanced=True,
    ),
    SettingSpec(
        "n_representatives",
        "Typical documents per topic:",
        "How many of each topic's most central documents the inspector shows.",
        "int",
        "The number of typical documents",
        low=1,
        high=20,
        advanced=True,
    ),
    SettingSpec(
        "min_samples",
        "Min samples (0 = automatic):",
        "How conservative the clustering is (0 = same as the smallest topic). Larger values "
        "leave more documents unassigned.",
        "int",
        "Min samples",
        low=0,
        high=1000,
        advanced=True,
        zero_means_none=True,
    ),
    SettingSpec(
        "cluster_dimensions",
        "Clustering dimensions:",
        "Documents are placed in a space of this many dimensions before clustering.",
        "int",
        "The number of clustering dimensions",
        low=2,
        high=50,
        advanced=True,
    ),
    SettingSpec(
        "min_dist",
        "Minimum distance on the map:",
        "How tightly similar documents may be packed on the map (0 packs them tightest).",
        "float",
        "The minimum map distance",
        low=0.0,
        high=1.0,
        step=0.05,
        advanced=True,
    ),
    SettingSpec(
        "sample_above",
        "Fit the map and topics on a sample above (documents, 0 = never):",
        "Above this many different texts the map and the topics are fitted on a random "
        "sample of this many (the same sample for the same seed), and the other documents "
        "are placed by what was fitted: on the map beside their most similar sampled "
        "documents, in the topic they are most similar to. The reduction and clustering of "
        "a large corpus then take a fraction of the time and memory; 0 fits every document.",
        "int",
        "The sample size",
        "documents",
        low=0,
        advanced=True,
    ),
    SettingSpec(
        "batch_size",
        "Batch size:",
        "Documents embedded at once; lower it if memory is short.",
        "int",
        "The batch size",
        "documents",
        low=1,
        high=1024,
        advanced=True,
    ),
    SettingSpec(
        "max_seq_length",
        "Max tokens per text:",
        "The model reads this many word pieces at once; longer texts are read in windows of "
        "this size or cut here (see the handling of long texts).",
        "int",
        "The maximum tokens per text",
        "word pieces",
        low=16,
        high=512,
        advanced=True,
    ),
    SettingSpec(
        "precision",
        "Embedding precision:",
        "Fast: on processors with native bfloat16 arithmetic the embeddings are computed "
        "two to two and a half times as fast, checked to stay within 1% of full precision "
        "each time the model loads. Fastest: 8-bit integers where the processor has int8 "
        "instructions and the app has prepared the copy in the background (about 1.1 times "
        "Fast); its topics agree with full precision's a little less than two seeds do. "
        "Full: always 32-bit floats (slower).",
        "choice",
        "embedding precision",
        choices=(
            ("auto", "Fast where checked to match"),
            ("int8", "Fastest: 8-bit where prepared"),
            ("float32", "Full precision (slower)"),
        ),
        advanced=True,
    ),
    SettingSpec(
        "model",
        "Embedding model:",
        f"'{DEFAULT_MODEL}' (English) is built in; '{MULTILINGUAL_MODEL}' reads 16 languages "
        "and is suggested for texts in other languages. Or "
        "choose a folder with a sentence-transformers model.",
        "model",
        advanced=True,
    ),
    SettingSpec(
        "allow_download",
        "Allow downloading the model from the internet",
        "Off by default: TopicDesk then never connects to the internet.",
        "bool",
        advanced=True,
    ),
)
SPEC_BY_NAME = {spec.name: spec for spec in SPECS}


@dataclass(frozen=True)
class FitSettings:
    """What the pipeline does; stored in every project so a fit can be repeated exactly.

    ``model`` is ``DEFAULT_MODEL`` (the offline model shipped with TopicDesk) or the path
    of a local sentence-transformers folder; ``allow_download`` must be set explicitly
    before any other name is fetched from the internet. ``precision`` "auto" lets the
    embedding run in int8 or bfloat16 where the CPU computes it natively and the result stays
    within cosine 0.99 of float32; "int8" tries the prepared 8-bit copy first; "float32"
    always uses full precision.
    """

    model: str = DEFAULT_MODEL
    allow_download: bool = False
    batch_size: int = 32
    max_seq_length: int = 256
    long_texts: str = "whole"
    precision: str = "auto"
    n_neighbors: int = 15
    cluster_dimensions: int = 5
    min_dist: float = 0.0
    min_topic_size: int = 10
    topic_detail: int = 0
    min_samples: int | None = None
    seed: int = 42
    language: str = "english"
    clean_text: bool = True
    keyword_ranking: str = "ctfidf"
    ngram_max: int = 2
    min_df: int = 2
    top_n_words: int = 10
    n_representatives: int = 3
    reduce_outliers: bool = True
    outlier_threshold: float = 0.3
    sample_above: int = 100_000

    def __post_init__(self) -> None:
        for spec in SPECS:
            if spec.zero_means_none and getattr(self, spec.name) == 0:
                object.__setattr__(self, spec.name, None)  # 0 is how the dialog says "automatic"
            spec.check(getattr(self, spec.name))

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
