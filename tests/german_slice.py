"""A small German corpus made in the test: three subjects in varied sentences.

Each text joins three sentences drawn (seeded) from its subject's sentences, so texts of
one subject share words and meaning without being copies of each other.
"""

from __future__ import annotations

import random

SUBJECTS = {
    "fußball": [
        "Die Mannschaft gewann das Heimspiel nach einem späten Tor.",
        "Der Trainer lobte die Abwehr und den starken Torhüter.",
        "Im Stadion feierten die Fans den Sieg bis spät in die Nacht.",
        "Der Stürmer schoss zwei Tore in der zweiten Halbzeit.",
        "Nach der Niederlage steht der Verein auf einem Abstiegsplatz.",
        "Das Derby endete nach neunzig Minuten unentschieden.",
        "Der Schiedsrichter zeigte dem Verteidiger die rote Karte.",
    ],
    "wetter": [
        "Für das Wochenende sagen die Meteorologen starken Regen voraus.",
        "Nach dem Gewitter waren viele Straßen überflutet.",
        "Die Temperaturen steigen am Nachmittag auf über dreißig Grad.",
        "In den Alpen fiel in der Nacht der erste Schnee.",
        "Der Sturm riss Bäume um und beschädigte Dächer.",
        "Die Hitzewelle hält nach Angaben des Wetterdienstes noch an.",
        "Am Morgen liegt dichter Nebel über den Tälern.",
    ],
    "schule": [
        "Die Schülerinnen und Schüler schreiben nächste Woche ihre Prüfungen.",
        "Viele Lehrerinnen klagen über zu große Klassen.",
        "Das Ministerium will mehr Geld für Schulen und Kindergärten ausgeben.",
        "Im Unterricht sollen Tablets die Schulbücher ergänzen.",
        "Die Eltern fordern eine bessere Betreuung am Nachmittag.",
        "Nach den Ferien beginnt das neue Schuljahr mit mehr Lehrern.",
        "Die Zeugnisse zeigen bessere Noten in Mathematik.",
    ],
}


def german_slice(per_subject: int = 20, seed: int = 3) -> tuple[list[str], list[str]]:
    """Texts and their subjects, subject by subject."""
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    for subject, sentences in SUBJECTS.items():
        for _ in range(per_subject):
            texts.append(" ".join(rng.sample(sentences, 3)))
            labels.append(subject)
    return texts, labels
