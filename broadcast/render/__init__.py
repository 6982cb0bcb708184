"""Rendering: one bulletin from news items; the planned programs of a week, in a worker process."""
