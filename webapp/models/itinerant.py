"""走教: bell schedules, travel times, term calendars, demand, itinerant teachers, plans, delivery."""
