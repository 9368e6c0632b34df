"""Stop words for keywords: scikit-learn's English list and a German list of our own.

The German list holds function words (articles, pronouns, auxiliaries, conjunctions,
particles) plus the forms of address that open parliamentary speeches; content words such
as "Frauen" or "Arbeit" are kept because they can carry a topic.
"""

from __future__ import annotations

GERMAN = frozenset(
    """
    ab aber alle allem allen aller allerdings alles als also am an ander andere anderem
    anderen anderer anderes anders auch auf aus außerdem bei beim bereits bin bis bisher
    bist bitte bzw ca da dabei dadurch dafür dagegen daher damals damen damit dann darauf
    darf darum darüber das dass daß davon dazu dein deine deinem deinen deiner dem den denen
    denn der deren derzeit des deshalb dessen desto die dies diese diesem diesen dieser
    dieses doch dort drei du durch dürfen eben ebenfalls eigentlich ein eine einem einen
    einer eines einige einigen einmal er es etwa etwas euch euer eure eurem euren eurer
    für ganz gar gegen gerade gewesen gibt gleich hab habe haben hat hatte hatten hätte
    hätten heute herr herren hier hierzu hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren
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


def stop_words(language: str) -> list[str] | None:
    """Words left out of keywords for a language ('none' keeps every word)."""
    if language == "english":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return sorted(ENGLISH_STOP_WORDS)
    if language == "german":
        return sorted(GERMAN)
    return None
