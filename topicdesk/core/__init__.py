"""core layer of TopicDesk (no Qt)."""
