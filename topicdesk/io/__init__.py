"""io layer of TopicDesk (no Qt)."""
