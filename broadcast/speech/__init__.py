"""Speech engines behind one small interface, a cache, and a fallback chain."""
