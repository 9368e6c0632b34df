"""Stop words for keywords: scikit-learn's English list and a German list of our own."""

from __future__ import annotations

GERMAN = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anders auch auf aus bei beim bin bis bist da dabei dadurch dafür
    dagegen daher damit dann dar darauf darum das dass daß dazu dein deine deinem deinen
    deiner dem den denn der deren des deshalb dessen die dies diese diesem diesen dieser
    dieses doch dort du durch ein eine einem einen einer eines einige einigen einmal er es
    etwa etwas euch euer eure eurem euren eurer für gegen gewesen hab habe haben hat hatte
    hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in
    indem ins ist ja jede jedem jeden jeder jedes jedoch jene jenem jenen jener jenes jetzt
    kann kein keine keinem keinen keiner keines können könnte machen man manche manchem
    manchen mancher manches mein meine meinem meinen meiner meines mich mir mit muss musste
    müssen nach nachdem nein nicht nichts noch nun nur ob oder ohne schon sehr sein seine
    seinem seinen seiner seines seit selbst sich sie sind so solche solchem solchen solcher
    solches soll sollen sollte sondern sonst sowie über um und uns unser unsere unserem
    unseren unserer unter viel vom von vor wann war waren warum was weg weil weiter welche
    welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird wirst wo
    wollen wollte worden wurde wurden während zu zum zur zwar zwischen ab heute gibt ganz
    mehr schon geht gut neue neuen neuer bereits dafür davon denen derzeit eben ebenfalls
    etwa gar gerade gleich insbesondere je kaum lassen lässt letzte letzten mal meisten
    mittlerweile möglich sei seien sowohl statt teil trotz unsere vielen vielleicht weitere
    weiteren wenig wenige weniger wurde zudem zugleich zwei drei beim dies damals rund
    sagt sagte sagen sowie herr herren frau frauen damen kolleginnen kollegen bitte
    """.split()
)


def stop_words(language: str) -> list[str] | None:
    """Words left out of keywords for a language ('none' keeps every word)."""
    if language == "english":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return sorted(ENGLISH_STOP_WORDS)
    if language == "german":
        return sorted(GERMAN)
    return None
