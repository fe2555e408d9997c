"""Policy for groups, pairing agreements, mentoring pairs and matching."""
