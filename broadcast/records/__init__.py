"""Records: the as-run log and the reports made from it."""
