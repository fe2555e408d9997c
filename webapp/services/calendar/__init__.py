"""iCalendar feeds: the common machinery and a teacher's own calendar."""
