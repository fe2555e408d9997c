"""挂牌整改: items listed from a failed indicator, a patrol finding or by hand, worked on and
closed only with proof (items: the state machine; board: boards, reminders, export)."""
