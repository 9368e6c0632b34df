"""Entry script of the built app: the same ``main()`` as the ``topicdesk`` command.

PyInstaller needs a script file rather than a console-script entry point.
``freeze_support`` lets worker processes started through multiprocessing (joblib, used by
scikit-learn and hdbscan) run in the frozen program instead of starting a second app.
"""

import multiprocessing
import sys

from topicdesk.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
