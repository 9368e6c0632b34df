"""Each fit setting is declared once: the dialog, the CLI and the checks come from it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from topicdesk.cli import build_parser
from topicdesk.core.settings import SPEC_BY_NAME, SPECS, FitSettings
from topicdesk.errors import TopicDeskError


def test_every_setting_has_exactly_one_declaration():
    names = [f.name for f in fields(FitSettings)]
    assert sorted(names) == sorted(SPEC_BY_NAME) and len(SPECS) == len(SPEC_BY_NAME)
    defaults = FitSettings()
    for spec in SPECS:
        assert spec.label and spec.help.endswith("."), spec.name
        spec.check(getattr(defaults, spec.name))  # the default is inside its own range


def test_cli_offers_every_setting_with_its_help():
    fit = build_parser()._subparsers._group_actions[0].choices["fit"]
    flags = {o: a for a in fit._actions for o in a.option_strings}
    for spec in SPECS:
        assert spec.flag in flags, spec.flag
        assert flags[spec.flag].help.startswith(spec.help[:30].replace("%", "%%"))
    args = fit.parse_args(
        ["in.csv", "-o", "x.topicdesk", "--no-reduce-outliers", "--min-samples", "0"]
    )
    assert args.reduce_outliers is False and args.min_samples == 0
    assert FitSettings(min_samples=args.min_samples).min_samples is None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"min_topic_size": 1}, "The minimum topic size must be at least 2 documents."),
        ({"outlier_threshold": 1.5}, "The outlier similarity threshold must lie between 0 and 1."),
        ({"language": "klingon"}, "Unknown stop-word language 'klingon'"),
        ({"ngram_max": 4}, "The keyword phrase length must lie between 1 and 3 words."),
    ],
)
def test_ranges_come_from_the_declarations(changes, message):
    with pytest.raises(TopicDeskError, match=message.replace(".", r"\.")):
        FitSettings(**changes)


def test_dialog_rows_round_trip_every_setting(qtbot):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox

    from topicdesk.application.projects import ProjectSummary
    from topicdesk.gui.dialogs.fit_dialog import FitDialog

    summary = ProjectSummary(1000, 11, 672, 317, False, 0, 0, 0)
    dialog = FitDialog(FitSettings(), summary)
    qtbot.addWidget(dialog)
    assert set(dialog.widgets) == set(SPEC_BY_NAME)
    assert "672 distinct texts to embed" in dialog.intro.text()
    assert "11 with an empty text" in dialog.intro.text()
    dialog.widgets["min_topic_size"].setValue(25)
    dialog.widgets["outlier_threshold"].setValue(0.45)
    dialog.widgets["reduce_outliers"].setChecked(False)
    assert not dialog.widgets["outlier_threshold"].isEnabled()
    dialog.widgets["language"].setCurrentIndex(dialog.widgets["language"].findData("german"))
    dialog.widgets["min_samples"].setValue(0)
    dialog.accept()
    result = dialog.settings()
    assert (result.min_topic_size, result.outlier_threshold, result.reduce_outliers) == (
        25,
        0.45,
        False,
    )
    assert result.language == "german" and result.min_samples is None
    for spec in SPECS:
        widget = dialog.widgets[spec.name]
        assert widget.toolTip() == spec.help
        kinds = {"int": QSpinBox, "float": QDoubleSpinBox, "bool": QCheckBox, "choice": QComboBox}
        if spec.kind in kinds:
            assert isinstance(widget, kinds[spec.kind])
