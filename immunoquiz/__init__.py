"""immunoquiz: terminal flashcards and quizzes with source-checked decks."""

__version__ = "0.1.0"
