"""师徒结对 mentoring: pairs and their sessions, and the mentor matching that proposes them."""
