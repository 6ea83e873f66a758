"""The simulator: the real bot run against the fake Telegram, from a console or a test."""
