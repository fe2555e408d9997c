"""The indicator dashboard, its evidence drill-down, snapshots and the exchange quota planner."""
