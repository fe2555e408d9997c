"""Roster imports: the upload page, live progress and the history of runs."""
