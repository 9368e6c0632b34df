"""Statistics on topics (stability, prevalence, validation scores); plain functions, no Qt."""
