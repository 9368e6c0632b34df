"""project layer of TopicDesk (no Qt)."""
