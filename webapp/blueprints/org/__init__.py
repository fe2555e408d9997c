"""Schools, education groups and pairings: the organisation of a county."""
