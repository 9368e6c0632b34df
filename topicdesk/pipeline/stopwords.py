"""Stop words for keywords: scikit-learn's English list, and for other languages the
maintained stopwords-iso lists (German joined with a list of our own), plus an editable
list of parliamentary forms of address per language.

The German list of our own holds function words (articles, pronouns, auxiliaries,
conjunctions, particles) plus the forms of address that open parliamentary speeches;
content words such as "Frauen" or "Arbeit" are kept because they can carry a topic, and
the few content words stopwords-iso lists for German ("Gott", "Menschen", "Recht") are
taken back out of its list.
"""

from __future__ import annotations

import re

from topicdesk.core.languages import LANGUAGES, MIXED, codes_for

GERMAN = frozenset(
    """
    ab aber alle allem allen aller allerdings alles als also am an ander andere anderem
    anderen anderer anderes anders auch auf aus außerdem bei beim bereits bin bis bislang bisher
    bist bitte bzw ca da dabei dadurch dafür dagegen daher damals damen damit dann darauf
    darf darum darüber das dass daß davon dazu dein deine deinem deinen deiner dem den denen
    denn der deren derzeit des deshalb dessen desto die dies diese diesem diesen dieser
    dieses doch dort drei du durch dürfen eben ebenfalls eigentlich ein eine einem einen
    einer eines einige einigen einmal er es etwa etwas euch euer eure eurem euren eurer
    für ganz gar gegen gerade gewesen gibt gleich hab habe haben hat hatte hatten hätte
    hätten heute heuer herr herren hier hierzu hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren
    ihrer ihres im immer in indem ins insbesondere ist ja je jede jedem jeden jeder jedes
    jedoch jene jenem jenen jener jenes jetzt kann kannst kaum kein keine keinem keinen
    keiner keines können könnte könnten lassen lässt letzte letzten mal man manche manchem
    manchen mancher manches mehr mein meine meinem meinen meiner meines meisten mich mir
    mit mittlerweile muss musste muß müssen nach nachdem nämlich nein nicht nichts noch
    nun nur ob oder oft ohne rund sagen sagt sagte schließlich schon sehr sei seien sein
    seine seinem seinen seiner seines seit selbst sich sie sind so sodass solche solchem
    solchen solcher solches soll sollen sollte sondern sonst sowie sowieso sowohl statt
    trotz um und uns unser unsere unserem unseren unserer unter usw viel vielen vielleicht
    vom von vor wann war waren warum was weg wegen weil weiter weitere weiteren welche
    welchem welchen welcher welches wenig wenige weniger wenn wer werde werden wie wieder
    will wir wird wirst wo wohl wollen wollte worden wurde wurden während wäre wären würde
    würden zu zudem zugleich zum zur zwar zwei zwischen über
    """.split()  # noqa: SIM905 - a word list reads best as running text
)


# content words in stopwords-iso's lists that can name a topic, so stay keywords
KEEP = {
    "de": frozenset(
        "arbeit deutschland ernst gott leben mensch menschen mann recht rechte tag tage "  # noqa: SIM905
        "welt zeit zeiten".split()
    ),
}
# English words met in other languages' corpora (quotes, song and film titles): left out
# of a non-English corpus's keywords; none of them is a content word there
ENGLISH_FUNCTION_WORDS = frozenset(
    """
    the and of to in is are was were be been for on with that this these those it its
    you your we our they their he his she her from by at as or not but have has had will
    would can could should all what who which when there here about into out up do does
    """.split()  # noqa: SIM905 - a word list reads best as running text
)

# forms of address and transcript notes in parliamentary speech, per language: given as
# the project's own stop words when a corpus looks like speeches, so the researcher can
# edit them (Topics > Stop words...)
PARLIAMENTARY = {
    "en": "hon honourable gentleman gentlemen madam mr mrs speaker",
    "de": "frau herr herren damen präsident präsidentin kollege kollegin kollegen "
    "kolleginnen geehrte geehrten geehrter liebe lieber beifall zuruf zurufe heiterkeit "
    "widerspruch abg",
    "fr": "monsieur madame messieurs mesdames président présidente collègue collègues "
    "cher chère chers chères applaudissements",
    "es": "señor señora señores señorías señoría presidente presidenta diputado diputada "
    "diputados diputadas aplausos",
    "it": "signor signore signora presidente presidenza colleghi colleghe collega "
    "onorevole onorevoli applausi",
    "nl": "voorzitter mevrouw meneer heer collega collega's interruptie",
    "pt": "senhor senhora senhores presidente presidenta deputado deputada deputados "
    "deputadas excelência aplausos",
    "pl": "pan pani panie państwo marszałek marszałku marszałkini posłanki posłowie "
    "poseł posłanka izbo oklaski",
    "sv": "herr fru talman talmannen ledamot ledamöter ledamöterna applåder",
}
# how speeches open: a corpus where a fifth of the sampled texts do is taken for speeches
ADDRESS = re.compile(
    r"\b(?:frau präsidentin|herr präsident|mr\.? speaker|madam speaker|madame la présidente"
    r"|monsieur le président|señor presidente|señora presidenta|signor presidente"
    r"|signora presidente|voorzitter|senhor presidente|senhora presidente"
    r"|panie marszałku|pani marszałek|herr talman|fru talman|honourable member)\b",
    re.IGNORECASE,
)
SPEECH_SHARE = 0.2


def _iso(code: str) -> set[str]:
    import stopwordsiso

    return set(stopwordsiso.stopwords(code)) - KEEP.get(code, frozenset())


def _for_code(code: str) -> set[str]:
    if code == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return set(ENGLISH_STOP_WORDS)
    words = _iso(code) | ENGLISH_FUNCTION_WORDS
    return words | GERMAN if code == "de" else words


def stop_words(language: str, texts: list[str] | None = None) -> list[str] | None:
    """Words left out of keywords for a language ('none' keeps every word; 'mixed' joins
    the lists of the languages found in ``texts``)."""
    if language != MIXED and language not in LANGUAGES:
        return None
    words: set[str] = set()
    for code in codes_for(language, texts or []):
        words |= _for_code(code)
    return sorted(words) or None


def parliamentary(codes: tuple[str, ...]) -> list[str]:
    """The parliamentary forms of address of these languages, as editable stop words."""
    words = {w for code in codes for w in PARLIAMENTARY.get(code, "").split()}
    return sorted(words)


def looks_like_speeches(texts: list[str], sample: int = 300) -> bool:
    """Whether a fifth of an evenly spaced sample opens or is sprinkled with forms of
    address such as "Frau Präsidentin" or "Mr Speaker"."""
    usable = [t for t in texts if t]
    if not usable:
        return False
    picked = usable[:: max(1, len(usable) // sample)][:sample]
    return sum(bool(ADDRESS.search(t)) for t in picked) >= SPEECH_SHARE * len(picked)
