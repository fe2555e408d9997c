"""巡课 pages: recording a visit on a phone, the visits, discrepancies with delivery."""
