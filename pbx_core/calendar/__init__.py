"""Plans of future statuses and the calendar they make (S4, P4): see docs/calendar.md."""
