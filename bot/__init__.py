"""Unofficial login-help and reminder bot for Promise (プロミス) borrowers."""
