"""Journey 4: policy questions answered from curated FAQ entries."""
