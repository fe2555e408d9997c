"""Education groups and pairings: membership, agreements and their plans under five dimensions."""
