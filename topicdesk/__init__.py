"""TopicDesk: find, inspect and curate topics in your own text data, offline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("topicdesk")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
