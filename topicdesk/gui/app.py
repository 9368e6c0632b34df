"""Starting the desktop app: the QApplication, crash recovery, and the screenshot mode."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from topicdesk.errors import TopicDeskError
from topicdesk.pipeline.embed import set_offline


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="topicdesk", description="TopicDesk desktop app")
    parser.add_argument("file", nargs="?", help="a project (.topicdesk) or a spreadsheet to open")
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="open FILE (fitting a spreadsheet with default settings), save the window as PNG, exit",
    )
    return parser.parse_args(argv)


def _install_excepthook(window_getter) -> None:
    """Unexpected errors in slots become a dialog instead of ending the app."""
    from PySide6.QtWidgets import QMessageBox

    def hook(kind, value, tb) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        window = window_getter()
        box = QMessageBox(
            QMessageBox.Warning,
            "TopicDesk",
            f"Something went wrong: {value}",
            QMessageBox.Ok,
            window,
        )
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = hook


def make_application(argv: list[str]):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("TopicDesk")
    app.setOrganizationName("TopicDesk")
    app.setApplicationDisplayName("TopicDesk")
    app.setWindowIcon(app_icon())
    return app


def app_icon():
    """The TopicDesk icon in every size shipped (empty if the icons are not installed)."""
    from PySide6.QtGui import QIcon

    from topicdesk.resources import resources_root

    icon = QIcon()
    for png in sorted((resources_root() / "icons").glob("topicdesk-*.png")):
        icon.addFile(str(png))
    return icon


def screenshot(path: str, out: str) -> int:
    """Render the main window with FILE open at 1400x900 into a PNG, without showing it."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from topicdesk.application.fitting import fit_and_adopt
    from topicdesk.application.projects import open_any
    from topicdesk.gui.main_window import MainWindow

    project, from_file = open_any(path)
    if not project.fitted:
        fit_and_adopt(project, project.settings)
    saved_path = Path(path) if from_file else None
    window = MainWindow(
        settings=QSettings(QSettings.IniFormat, QSettings.UserScope, "TopicDesk", "screenshot")
    )
    window.resize(1400, 900)
    window.reset_layout()
    window.session.replace(project, saved_path, dirty=saved_path is None)
    if project.state.topics:
        sizes = project.state.sizes()
        largest = max(project.state.topics, key=lambda tid: sizes.get(tid, 0))
        window.show_topics([largest])
        window.selection.select(project.state.members(largest)[:1])
    window.ensurePolished()
    window.layout().activate()
    QApplication.processEvents()
    window.map.reset_view()
    image = window.grab()
    if not image.save(out):
        raise TopicDeskError(
            f"Could not write the screenshot to {out}; check the folder exists and is writable."
        )
    window.session.replace(None, None)
    window.deleteLater()
    return 0


def run_app(argv: list[str]) -> int:
    """Start the app (or take a screenshot); returns the exit code."""
    set_offline(True)
    args = _parse(argv)
    app = make_application(argv)
    if args.screenshot:
        if not args.file:
            sys.stderr.write("error: --screenshot needs a FILE to open\n")
            return 2
        try:
            return screenshot(args.file, args.screenshot)
        except TopicDeskError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 1

    from topicdesk.gui.main_window import MainWindow

    window = MainWindow()
    _install_excepthook(lambda: window)
    window.show()
    window.fits.warm_up()  # compile UMAP and load the model while the user picks a file
    _offer_recovery(window)
    if args.file:  # once the event loop runs, so the window is drawn behind any dialog
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: window.files.open_path(args.file))
    return app.exec()


def _offer_recovery(window) -> None:
    """After a crash, offer the unsaved work the autosave kept."""
    from PySide6.QtWidgets import QMessageBox

    from topicdesk.application.projects import open_project

    pending = window.autosaver.pending()
    if pending is None:
        return
    answer = QMessageBox.question(
        window,
        "Recover unsaved work",
        window.autosaver.describe()
        + "\n\nRecover these changes? If you choose No, they are discarded.",
        QMessageBox.Yes | QMessageBox.No,
        QMessageBox.Yes,
    )
    if answer == QMessageBox.Yes:
        try:  # saving goes back to the project the work came from, if it had been saved
            window.session.replace(open_project(pending), window.autosaver.origin(), dirty=True)
            window.statusBar().showMessage("Recovered the unsaved changes", 8000)
            return
        except TopicDeskError as exc:
            window.show_error(f"The unsaved work could not be recovered: {exc}")
    window.autosaver.discard()
