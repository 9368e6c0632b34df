"""Validation results as rows and tables: for the report, the workbook and the results view.

Scores come from :mod:`topicdesk.application.validation`; these functions lay them out
per researcher, per topic and overall, with the wording the tables need.
"""

from __future__ import annotations

import math

import pandas as pd

from topicdesk.analysis import validation as intrusion
from topicdesk.application import validation as val
from topicdesk.application.methods import methods_paragraphs, validation_sentences
from topicdesk.core.project import Project
from topicdesk.io.report import Table

KIND_NAMES = {intrusion.WORD: "word intrusion", intrusion.TOPIC: "topic intrusion"}


def _pct(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{100 * value:.0f}%"


def _interval(low: float, high: float) -> str:
    return "–" if not math.isfinite(low) else f"{100 * low:.0f}–{100 * high:.0f}%"


def intrusion_rows(project: Project) -> list[dict]:
    """Per researcher (and everyone pooled when several answered): scores per topic and overall."""
    answers = val.intrusion_answers(project)
    names = [n for n, a in answers.items() if a]
    groups = [(n, val.intrusion_scores(project, n)) for n in names]
    if len(names) > 1:
        groups.append(("all researchers", val.intrusion_scores(project)))
    rows = []
    for name, scores in groups:
        for s in scores:
            rows.append(
                {
                    "test": KIND_NAMES[s.kind],
                    "researcher": name,
                    "topic_id": s.topic_id,
                    "topic": val.topic_name(project, s.topic_id),
                    "answers": s.answered,
                    "found": s.found,
                    "share": s.share,
                    "low": s.low,
                    "high": s.high,
                    "median_seconds": s.median_seconds,
                }
            )
    return rows


def coding_rows(project: Project) -> list[dict]:
    """Per researcher: precision and recall per topic, then agreement and kappa overall."""
    rows = []
    for name in val.all_codes(project):
        result = val.coding_result(project, name)
        if result is None:
            continue
        for t in result.topics:
            rows.append(
                {
                    "researcher": name,
                    "topic_id": t.topic_id,
                    "topic": val.topic_name(project, t.topic_id),
                    "measure": "precision",
                    "documents": t.sampled,
                    "value": t.precision,
                    "low": t.low,
                    "high": t.high,
                    "recall": t.recall,
                }
            )
        for measure, value, low, high in (
            ("agreement", result.agreement, math.nan, math.nan),
            ("cohen_kappa", result.kappa, result.kappa_low, result.kappa_high),
        ):
            rows.append(
                {
                    "researcher": name,
                    "topic_id": None,
                    "topic": "all topics",
                    "measure": measure,
                    "documents": result.coded,
                    "value": value,
                    "low": low,
                    "high": high,
                    "recall": math.nan,
                }
            )
    alpha = val.researchers_alpha(project)
    if math.isfinite(alpha):
        rows.append(
            {
                "researcher": "between researchers",
                "topic_id": None,
                "topic": "all topics",
                "measure": "krippendorff_alpha",
                "documents": len(val.coding_sample(project).rows),
                "value": alpha,
                "low": math.nan,
                "high": math.nan,
                "recall": math.nan,
            }
        )
    return rows


def validation_tables(project: Project) -> list[Table]:
    tables = []
    rows = intrusion_rows(project)
    if rows:
        tables.append(
            Table(
                "Intrusion tests: intruders found, per topic and overall",
                [
                    "Test",
                    "Researcher",
                    "Topic",
                    "Answers",
                    "Found",
                    "Share",
                    "95% interval",
                    "Median s",
                ],
                [
                    [
                        r["test"],
                        r["researcher"],
                        r["topic"],
                        str(r["answers"]),
                        str(r["found"]),
                        _pct(r["share"]),
                        _interval(r["low"], r["high"]),
                        f"{r['median_seconds']:.1f}",
                    ]
                    for r in rows
                ],
                "Share: answers that found the intruder (chance: 1 in 6 for word intrusion, 1 in 4 "
                "for topic intrusion). Intervals: Wilson score, 95%.",
            )
        )
    rows = coding_rows(project)
    if rows:
        words = {
            "precision": "precision",
            "agreement": "agreement",
            "cohen_kappa": "Cohen's kappa",
            "krippendorff_alpha": "Krippendorff's alpha",
        }
        tables.append(
            Table(
                "Blind coding: the model's topics against the researchers' codes",
                ["Researcher", "Topic", "Measure", "Documents", "Value", "95% interval", "Recall"],
                [
                    [
                        r["researcher"],
                        r["topic"],
                        words[r["measure"]],
                        str(r["documents"]),
                        _pct(r["value"])
                        if r["measure"] in ("precision", "agreement")
                        else f"{r['value']:.2f}"
                        if math.isfinite(r["value"])
                        else "–",
                        _interval(r["low"], r["high"])
                        if r["measure"] == "precision"
                        else (
                            f"{r['low']:.2f} to {r['high']:.2f}" if math.isfinite(r["low"]) else "–"
                        ),
                        _pct(r["recall"]),
                    ]
                    for r in rows
                ],
                "Precision: of the sampled documents the model put in a topic, the share the "
                "researcher put there too (Wilson 95% interval). Recall: of the documents the "
                "researcher would put in a topic, the share the model put there, weighted back "
                "to the corpus because every topic was sampled equally. 'Unsure' codes are left out.",
            )
        )
    return tables


def validation_frame(project: Project) -> pd.DataFrame:
    """The ``validation`` sheet: every score with its interval, then the methods paragraphs."""
    columns = [
        "section",
        "test_or_measure",
        "researcher",
        "topic_id",
        "topic_label",
        "documents_or_answers",
        "found_or_agreed",
        "value",
        "low",
        "high",
        "note",
    ]
    rows = []
    for r in intrusion_rows(project):
        rows.append(
            [
                "intrusion",
                r["test"],
                r["researcher"],
                r["topic_id"],
                r["topic"],
                r["answers"],
                r["found"],
                r["share"],
                r["low"],
                r["high"],
                f"median {r['median_seconds']:.1f} s per answer",
            ]
        )
    for r in coding_rows(project):
        rows.append(
            [
                "blind coding",
                r["measure"],
                r["researcher"],
                r["topic_id"],
                r["topic"],
                r["documents"],
                None,
                r["value"],
                r["low"],
                r["high"],
                "" if not math.isfinite(r["recall"]) else f"recall {r['recall']:.3f}",
            ]
        )
    for sentence in validation_sentences(project) or ["No validation has been run yet."]:
        rows.append(["results in words", "", "", None, "", None, None, None, None, None, sentence])
    for paragraph in methods_paragraphs(project):
        rows.append(
            ["methods paragraph", "", "", None, "", None, None, None, None, None, paragraph]
        )
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("topic_id", "documents_or_answers", "found_or_agreed"):
        frame[name] = frame[name].astype("Int64")
    for name in ("value", "low", "high"):
        frame[name] = frame[name].astype(float).round(4)
    return frame
