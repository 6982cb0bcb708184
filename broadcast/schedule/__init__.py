"""The weekly schedule and the officer's queue, planned into occurrences (pure; clock passed in), and their checks."""
