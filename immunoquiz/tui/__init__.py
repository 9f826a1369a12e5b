"""The Textual study app. Imported only when the app opens (never by the core or the bare CLI)."""
