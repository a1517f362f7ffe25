"""Reminder delivery: planning sends into the outbox, and dispatching them to the doors' senders."""
