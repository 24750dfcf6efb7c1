"""The notification outbox: one message to one person, written with its event, sent by a task."""
