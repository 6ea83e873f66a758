"""Journey 1: joining a team from an invite, and what a member can see and delete."""
