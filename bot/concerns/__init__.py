"""Journey 3: anonymous concerns."""
