"""Shiftmate: pre-shift study, anonymous concerns, policy answers and announcements, on Telegram."""

import os

# Opt in to python-telegram-bot's coming timedelta-valued durations (RetryAfter and
# friends) now, instead of running on the deprecated integer form.
os.environ.setdefault("PTB_TIMEDELTA", "1")
