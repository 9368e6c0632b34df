"""Dialogs: import, fit settings, about."""
