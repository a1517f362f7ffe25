"""Doors: each turns its platform's events into core messages and renders the core's replies."""
