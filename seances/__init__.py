"""Group sessions (séances) of the GSN: preparing the agenda, running the meeting, the minutes."""
