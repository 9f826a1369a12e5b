"""The screens of the study app."""
