"""A fake Telegram Bot API on loopback: Telegram's behaviour, nothing of Shiftmate."""
