"""Speech engines behind one small interface, a cache, and a fallback chain."""

ENGINE_NAMES = ("gtts", "piper", "espeak")   # engines this build can run, in no particular order
