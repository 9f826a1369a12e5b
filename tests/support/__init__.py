"""Helpers shared by the test suite: deck text, the real review log, the app under Pilot."""
