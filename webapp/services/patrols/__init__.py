"""巡课: what a patrol expects at a school on a day, recording what it saw, and what that
confirms or contradicts (visits: recording; findings: confirmations and discrepancies)."""
