"""Unofficial login-help and reminder bot for consumer-loan borrowers (each lender as data in bot/flows)."""
