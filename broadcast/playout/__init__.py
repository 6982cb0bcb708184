"""Playout: outputs behind one interface, the airing path, the daemon."""
