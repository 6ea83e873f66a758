"""Journey 2: pre-shift study sessions (see preshift.mmd)."""
