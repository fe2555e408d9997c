"""Roster imports (CONTRACT §2): reading the files, checking every row, writing all or nothing."""
