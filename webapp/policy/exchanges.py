"""Policy for teacher exchanges: proposing, approving, confirming arrival."""
