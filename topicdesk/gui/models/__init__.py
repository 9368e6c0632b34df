"""Qt item models over the core data."""
