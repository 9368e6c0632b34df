"""Validation tasks kept in the project: intrusion tests and blind coding, by researcher.

Everything lives in ``project.records["validation"]`` as plain JSON, so it is saved with
the project and travels with a copy of it:

    {"intrusion": {"test": {...}, "answers": {researcher: [answer, ...]}},
     "coding": {"sample": {...}, "codes": {researcher: [[row, code], ...]}}}

A second researcher opens a copy, takes the same tasks under their own name, and
:func:`combine_validation` brings their answers back into the first project.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from topicdesk.analysis import blind_coding as coding
from topicdesk.analysis import validation as intrusion
from topicdesk.analysis.blind_coding import CodingResult, CodingSample
from topicdesk.analysis.validation import Answer, IntrusionScore, IntrusionTask, IntrusionTest
from topicdesk.core.project import Project
from topicdesk.core.state import UNASSIGNED
from topicdesk.errors import TopicDeskError

RECORD = "validation"
DEFAULT_RESEARCHER = "Researcher 1"
UNREADABLE = "The project's validation record is unreadable; start new tasks from Validate."


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _record(project: Project) -> dict:
    record = project.records.setdefault(RECORD, {})
    if not isinstance(record, dict):
        raise TopicDeskError(UNREADABLE)
    return record


def _part(project: Project, name: str) -> dict | None:
    record = project.records.get(RECORD)
    if record is None:
        return None
    if not isinstance(record, dict):
        raise TopicDeskError(UNREADABLE)
    part = record.get(name)
    if part is not None and not isinstance(part, dict):
        raise TopicDeskError(UNREADABLE)
    return part


def _by_researcher(part: dict | None, key: str) -> dict:
    found = (part or {}).get(key, {})
    if not isinstance(found, dict):
        raise TopicDeskError(UNREADABLE)
    return found


def _name(researcher: str) -> str:
    name = " ".join(researcher.split())
    if not name:
        raise TopicDeskError("Enter the researcher's name or initials before starting.")
    return name


def new_seed() -> int:
    """A fresh seed, recorded with the tasks so a reviewer can draw them again."""
    return secrets.randbelow(2**31 - 1)


# ----- intrusion tests ---------------------------------------------------------------
def intrusion_test(project: Project) -> IntrusionTest | None:
    part = _part(project, "intrusion")
    return None if part is None else IntrusionTest.from_dict(part.get("test"))


def start_intrusion_test(
    project: Project,
    per_topic: int = 2,
    seed: int | None = None,
    kinds: Iterable[str] = intrusion.KINDS,
    replace: bool = False,
) -> IntrusionTest:
    """Draw new tasks from the current topics; refuses to drop answers unless ``replace``."""
    if not replace and any(intrusion_answers(project).values()):
        raise TopicDeskError(
            "This project already holds answers to an intrusion test; "
            "confirm that a new test replaces them."
        )
    seed = new_seed() if seed is None else int(seed)
    test = intrusion.make_intrusion_test(project, per_topic, seed, kinds, created=_now())
    _record(project)["intrusion"] = {"test": test.to_dict(), "answers": {}}
    return test


def intrusion_answers(project: Project) -> dict[str, list[Answer]]:
    """Every researcher's answers, by name."""
    found = _by_researcher(_part(project, "intrusion"), "answers")
    try:
        return {str(k): [Answer.from_dict(a) for a in v] for k, v in found.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise TopicDeskError(UNREADABLE) from exc


def record_answer(
    project: Project, researcher: str, task_id: str, choice: int, seconds: float
) -> bool:
    """Save one answer (a later answer to the same task replaces it); True if it was right."""
    test = intrusion_test(project)
    task = test.task(task_id) if test else None
    if task is None:
        raise TopicDeskError(f"There is no intrusion task '{task_id}' in this project.")
    if not 0 <= choice < len(task.options):
        raise TopicDeskError(f"Choose one of the {len(task.options)} options.")
    answers = _record(project)["intrusion"].setdefault("answers", {})
    mine = [a for a in answers.get(_name(researcher), []) if a.get("task") != task_id]
    mine.append(Answer(task_id, int(choice), max(0.0, float(seconds))).to_dict())
    answers[_name(researcher)] = mine
    return choice == task.intruder


def open_tasks(project: Project, researcher: str) -> list[IntrusionTask]:
    """The tasks this researcher has not answered yet, in the test's order (to resume)."""
    test = intrusion_test(project)
    if test is None:
        return []
    done = {a.task for a in intrusion_answers(project).get(_name(researcher), [])}
    return [t for t in test.tasks if t.id not in done]


def intrusion_scores(project: Project, researcher: str | None = None) -> list[IntrusionScore]:
    """Scores from one researcher's answers, or from everyone's pooled (``None``)."""
    test = intrusion_test(project)
    if test is None:
        return []
    answers = intrusion_answers(project)
    chosen = answers.get(researcher, []) if researcher else [a for v in answers.values() for a in v]
    return intrusion.score_intrusion(test, chosen)


# ----- blind coding ------------------------------------------------------------------
def coding_sample(project: Project) -> CodingSample | None:
    part = _part(project, "coding")
    return None if part is None else CodingSample.from_dict(part.get("sample"))


def sample_note(project: Project, per_topic: int) -> str:
    """What a sample of ``per_topic`` documents per topic can show, in plain words."""
    state = project.state
    assert state is not None
    sizes = coding.stratum_sizes(state.assignments, project.corpus.texts)
    return coding.sample_size_note(per_topic, sizes.values())


def draw_coding_sample(
    project: Project, per_topic: int = 10, seed: int | None = None, replace: bool = False
) -> CodingSample:
    """Draw a stratified sample from the current topics; refuses to drop codes unless ``replace``."""
    state = project.state
    assert state is not None
    if not project.fitted or not state.topics:
        raise TopicDeskError("There are no topics to check yet; fit topics first.")
    if not replace and any(all_codes(project).values()):
        raise TopicDeskError(
            "This project already holds blind codes; confirm that a new sample replaces them."
        )
    seed = new_seed() if seed is None else int(seed)
    labels = {t.id: t.label for t in state.topics.values()}
    sample = coding.draw_sample(
        state.assignments, project.corpus.texts, labels, per_topic, seed, created=_now()
    )
    _record(project)["coding"] = {"sample": sample.to_dict(), "codes": {}}
    return sample


def all_codes(project: Project) -> dict[str, dict[int, int]]:
    """Every researcher's codes by row."""
    found = _by_researcher(_part(project, "coding"), "codes")
    return {str(k): coding.codes_from_pairs(v) for k, v in found.items()}


def record_code(project: Project, researcher: str, row: int, code: int) -> None:
    """Save a code for a sampled row: a topic id, ``coding.NONE`` or ``coding.UNSURE``."""
    sample = coding_sample(project)
    if sample is None or row not in sample.rows:
        raise TopicDeskError(f"Document {row + 1} is not in this project's coding sample.")
    if code not in sample.labels and code not in (coding.NONE, coding.UNSURE):
        raise TopicDeskError("Choose one of the sample's topics, 'none' or 'unsure'.")
    codes = _record(project)["coding"].setdefault("codes", {})
    mine = coding.codes_from_pairs(codes.get(_name(researcher), []))
    mine[int(row)] = int(code)
    codes[_name(researcher)] = [[r, c] for r, c in mine.items()]


def uncoded_rows(project: Project, researcher: str) -> list[int]:
    """Sampled rows this researcher has not coded yet, in the sample's order."""
    sample = coding_sample(project)
    if sample is None:
        return []
    done = all_codes(project).get(_name(researcher), {})
    return [r for r in sample.rows if r not in done]


def coding_result(project: Project, researcher: str) -> CodingResult | None:
    sample = coding_sample(project)
    codes = all_codes(project).get(researcher)
    return None if sample is None or not codes else coding.agreement(sample, codes)


def researchers_alpha(project: Project) -> float:
    """Krippendorff's alpha between all researchers who coded the sample (NaN if under two)."""
    return coding.krippendorff_alpha(all_codes(project))


# ----- researchers, staleness, combining ---------------------------------------------
def researchers(project: Project) -> list[str]:
    """Everyone with answers or codes in this project, in first-seen order."""
    names = list(intrusion_answers(project)) + list(all_codes(project))
    return list(dict.fromkeys(names))


def changes_since(project: Project) -> list[str]:
    """Sentences saying where the topics changed after the tasks were drawn."""
    notes = []
    state = project.state
    assert state is not None
    test = intrusion_test(project)
    current = [t for t in state.sorted_topics() if (state.assignments == t.id).any()]
    if test is not None and test.topics_key != intrusion.topics_key(current):
        notes.append("The topics changed after the intrusion tasks were drawn.")
    sample = coding_sample(project)
    if sample is not None:
        moved = sum(1 for r, m in zip(sample.rows, sample.model) if int(state.assignments[r]) != m)
        if moved:
            notes.append(
                f"{moved} of the {len(sample.rows)} sampled documents changed topic after the "
                "sample was drawn; the figures compare with the topics as they were then."
            )
    return notes


def combine_validation(project: Project, other: Project) -> list[str]:
    """Bring another copy's answers and codes into this project; returns the names added.

    Both copies must hold the same tasks and sample (the second researcher worked in a
    copy of this project). A researcher's answers are joined task by task; the same name
    with a different answer to the same task is refused.
    """
    added: list[str] = []
    mine, theirs = intrusion_test(project), intrusion_test(other)
    if theirs is not None:
        if mine is None or mine.to_dict() != theirs.to_dict():
            raise TopicDeskError(
                "The other project's intrusion tasks differ from these; the second researcher "
                "must answer them in a copy of this project."
            )
        for name, answers in intrusion_answers(other).items():
            joined = _join(
                {a.task: a for a in intrusion_answers(project).get(name, [])},
                {a.task: a for a in answers},
                name,
                lambda a, b: a.choice == b.choice,
            )
            _record(project)["intrusion"]["answers"][name] = [a.to_dict() for a in joined.values()]
            added.append(name)
    sample_a, sample_b = coding_sample(project), coding_sample(other)
    if sample_b is not None:
        if sample_a is None or sample_a.to_dict() != sample_b.to_dict():
            raise TopicDeskError(
                "The other project's coding sample differs from this one; the second "
                "researcher must code it in a copy of this project."
            )
        for name, codes in all_codes(other).items():
            joined = _join(all_codes(project).get(name, {}), codes, name, lambda a, b: a == b)
            _record(project)["coding"]["codes"][name] = [[r, c] for r, c in joined.items()]
            added.append(name)
    return list(dict.fromkeys(added))


def _join(mine: dict, theirs: dict, name: str, same) -> dict:
    for key, value in theirs.items():
        if key in mine and not same(mine[key], value):
            raise TopicDeskError(
                f"Both projects hold different answers from '{name}' to the same task; "
                "give each researcher their own name."
            )
    return {**mine, **theirs}


def topic_name(project: Project, topic_id: int | None) -> str:
    """A topic's label for tables (overall rows and "none" included)."""
    if topic_id is None:
        return "all topics"
    if topic_id == UNASSIGNED:
        return "none"
    state = project.state
    assert state is not None
    sample = coding_sample(project)
    return state.label_of(topic_id) or (sample.labels.get(topic_id, "") if sample else "")
