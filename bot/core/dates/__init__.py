"""Dates: see the modules of this folder."""
