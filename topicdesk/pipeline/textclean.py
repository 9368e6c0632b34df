"""Text as keywords should see it: no links, handles, entities, numbers or garbled characters.

On tweets from news accounts the strongest words of a topic were URL pieces ("http ow",
"reut", "bit ly") and outlet handles, and two topics both came out named "ly, http ow,
ow". :func:`for_keywords` removes what never describes a topic; :func:`repair` only fixes
mis-decoded characters (mojibake such as "Ã©" for "é"), with ftfy, for display. Neither
changes the imported cells: the project and the export keep them as they were.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Link shorteners and news-outlet short domains, whose pieces outranked subject words.
SHORT_DOMAINS = (
    "ly|rs|ms|co|gl|gd|me|it|be|to|ws|st|in|al|tt|pr|mp|im|pt|us|so|fm|nu|ie|io|cc|tv|sh|es"
)
# Each pattern runs only when a cheap test says it can match (a plain article has no
# "http" or "@"): on the 2,225 BBC articles the unguarded patterns took most of the time.
SCHEME = re.compile(r"\b(?:https?|ftp)\b\S*", re.IGNORECASE)  # also "http…" cut off
WWW = re.compile(r"\bwww\.\S+", re.IGNORECASE)
PATH = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}/\S*", re.IGNORECASE)  # domain/path
SHORT_DOMAIN_END = re.compile(rf"\.(?:{SHORT_DOMAINS})\b", re.IGNORECASE)
SHORT_DOMAIN = re.compile(rf"\b[a-z0-9-]{{1,15}}\.(?:{SHORT_DOMAINS})\b", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
HANDLE = re.compile(r"(?<![\w@])[@＠]\w{1,50}")
RETWEET = re.compile(r"\b(?:RT|MT)\b(?=\s|:|$)")  # upper case only: "rt" may be a word
TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
# Numbers with their punctuation and short units: 2,000  10.5  3/4  1990s  5bn  21st
NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d.,:/%-]*(?:st|nd|rd|th|s|m|bn|k|pm|am)?\b", re.IGNORECASE)
DIGIT = re.compile(r"\d")
SPACES = re.compile(r"[ \t]{2,}")


def _remove(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(" ", text)


def _strip_noise(text: str) -> str:
    """Links, e-mail addresses, handles, 'RT' and HTML tags replaced by spaces."""
    lower = text.lower()
    if "<" in text:
        text = _remove(TAG, text)
    if "http" in lower or "ftp" in lower:
        text = _remove(SCHEME, text)
    if "www." in lower:
        text = _remove(WWW, text)
    if "/" in text:
        text = _remove(PATH, text)
    if "." in text and SHORT_DOMAIN_END.search(text):
        text = _remove(SHORT_DOMAIN, text)
    if "@" in text or "＠" in text:
        text = _remove(HANDLE, _remove(EMAIL, text))
    if "RT" in text or "MT" in text:
        text = _remove(RETWEET, text)
    return text


def _ftfy_config():
    from ftfy import TextFixerConfig

    # only undo wrong decoding; quotes, ligatures, widths and line breaks stay as written
    return TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


@lru_cache(maxsize=1)
def _config():
    return _ftfy_config()


def repair(text: str) -> str:
    """The text with mis-decoded characters repaired ("cafÃ©" -> "café"), else unchanged.

    Plain ASCII cannot hold mojibake, so it is returned without calling ftfy (most
    English corpora, fast).
    """
    if text.isascii():
        return text
    import ftfy

    return ftfy.fix_text(text, _config())


def unescape(text: str) -> str:
    """HTML entities decoded, also when escaped twice (&amp;amp; -> &)."""
    for _ in range(3):
        if "&" not in text:
            break
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def for_keywords(text: str) -> str:
    """The words of a text that can describe a topic: links, e-mail addresses, @handles,
    'RT', HTML tags and entities, numbers and link-shortener pieces removed; mojibake
    repaired."""
    text = _strip_noise(unescape(repair(text)))
    if DIGIT.search(text):
        text = _remove(NUMBER, text)
    if "  " in text or "\t" in text:  # a run of spaces and tabs holds one of these
        text = SPACES.sub(" ", text)
    return text.strip()


def for_embedding(text: str) -> str:
    """What the embedding model reads: as :func:`for_keywords`, but numbers and every
    other word kept (they carry meaning in a sentence). A text with nothing to remove or
    repair comes back exactly as it was."""
    cleaned = _strip_noise(unescape(repair(text)))
    if cleaned == text:
        return text
    return SPACES.sub(" ", cleaned).strip()


def display_text(text: str) -> str:
    """How the app shows a document: as imported, with mojibake repaired."""
    return repair(text)
