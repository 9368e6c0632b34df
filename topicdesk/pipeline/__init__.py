"""pipeline layer of TopicDesk (no Qt)."""
