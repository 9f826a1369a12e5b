"""Widgets of the study app; they post messages up and their screens act on them."""
