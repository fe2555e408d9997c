"""Policy for 走教: plans, hand edits, delivery confirmation, subsidies."""
