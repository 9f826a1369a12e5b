"""The Textual-free core: decks, checking, storage, scheduling, grading and statistics.

Nothing under this package may import Textual; ``tests/test_import_hygiene.py``
enforces it so that the line-mode front end and scripts start fast.
"""
