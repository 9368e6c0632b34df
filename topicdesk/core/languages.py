"""The languages TopicDesk knows, and which of them a corpus is written in.

A sample of the texts is classified one by one with py3langid (a compact naive-Bayes
identifier for 97 languages, no network); the shares tell a one-language corpus from a
mixed one. The import dialog names the result and the suggested settings follow it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

# setting value -> (ISO 639-1 code, name shown to the researcher)
LANGUAGES: dict[str, tuple[str, str]] = {
    "english": ("en", "English"),
    "german": ("de", "German"),
    "french": ("fr", "French"),
    "spanish": ("es", "Spanish"),
    "italian": ("it", "Italian"),
    "dutch": ("nl", "Dutch"),
    "portuguese": ("pt", "Portuguese"),
    "polish": ("pl", "Polish"),
    "swedish": ("sv", "Swedish"),
}
BY_CODE = {code: name for name, (code, _) in LANGUAGES.items()}
MIXED = "mixed"  # several languages: the stop words of each language found
SAMPLE = 300  # texts classified; shares are then within about 3 points either way
READ_CHARS = 600  # of each text: enough words for a sure guess, little time
SHORTEST = 20  # characters: shorter texts say too little about their language
SECOND_LANGUAGE = 0.1  # share of the sample from which a corpus counts as mixed


@dataclass(frozen=True)
class LanguageReport:
    """What the sample showed: each language's share (ISO codes, largest first)."""

    shares: tuple[tuple[str, float], ...]
    sampled: int

    @property
    def main(self) -> str | None:
        """ISO code of the most frequent language, None when nothing could be classified."""
        return self.shares[0][0] if self.shares else None

    @property
    def found(self) -> tuple[str, ...]:
        """ISO codes of the languages with at least a tenth of the sample."""
        return tuple(code for code, share in self.shares if share >= SECOND_LANGUAGE)

    @property
    def mixed(self) -> bool:
        return len(self.found) > 1

    @property
    def setting(self) -> str:
        """The stop-word language setting for this corpus: one language, 'mixed' or 'none'."""
        if self.mixed:
            return MIXED
        return BY_CODE.get(self.main or "", "none")

    def sentence(self) -> str:
        """One line for the import dialog and the command line."""
        if not self.shares:
            return "Language: too little text to tell."
        shown = [(c, s) for c, s in self.shares[:3] if s >= 0.02] or list(self.shares[:1])
        parts = [f"{display(code)} {share:.0%}" for code, share in shown]
        what = "Mixed languages" if self.mixed else "Language"
        known = "" if self.setting != "none" else " (no stop-word list for it)"
        return f"{what}: {', '.join(parts)} of {self.sampled:,} texts sampled{known}."


def display(code: str) -> str:
    """A language's name for people ('German'), or its ISO code when TopicDesk has no list."""
    name = BY_CODE.get(code)
    return LANGUAGES[name][1] if name else code


def _sample(texts: list[str], size: int) -> list[str]:
    """Evenly spaced texts long enough to classify (the same sample every time)."""
    usable = [t for t in texts if t and len(t.strip()) >= SHORTEST]
    if not usable:
        usable = [t for t in texts if t and t.strip()]
    step = max(1, len(usable) // size)
    return [t[:READ_CHARS] for t in usable[::step][:size]]


def detect_one(text: str) -> str:
    """ISO code of one text's language."""
    import py3langid

    return str(py3langid.classify(text)[0])


def detect(texts: list[str], size: int = SAMPLE) -> LanguageReport:
    """The languages of a corpus, from a sample of ``size`` texts."""
    sample = _sample(texts, size)
    counts = Counter(detect_one(t) for t in sample)
    total = sum(counts.values())
    shares = tuple((code, n / total) for code, n in counts.most_common()) if total else ()
    return LanguageReport(shares, total)


def codes_for(setting: str, texts: list[str]) -> tuple[str, ...]:
    """ISO codes whose stop words a setting asks for ('mixed': those found in the texts)."""
    if setting == MIXED:
        return tuple(c for c in detect(texts).found if c in BY_CODE)
    return (LANGUAGES[setting][0],) if setting in LANGUAGES else ()
