"""Domain logic, free of Flask request objects: the CLI, the pages and the jobs share it."""
