"""Teachers and their training records."""
