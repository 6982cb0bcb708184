"""Audio: PCM records, files in and out, DSP (loudness, limiter), mix with jingles and bed."""
