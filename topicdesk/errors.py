"""One exception type for problems the user can fix.

Its message is a single sentence that says what is wrong and what to do; the CLI prints
it as ``error: …`` and the desktop app shows it in a dialog, never as a traceback.
"""


class TopicDeskError(Exception):
    """A problem with the user's input, files or settings, explained in one line."""


class Cancelled(Exception):
    """Raised inside a pipeline stage when the user asked to stop."""
