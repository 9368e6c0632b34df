"""Widgets that show the corpus, the map and the topics."""
