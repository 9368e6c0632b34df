"""Qt desktop application: composes the Qt-free core into windows and views."""
