"""What a front end's helper process (the console's render worker) needs of the base: to end
with the process that started it."""

from broadcast.proc import die_with_parent

__all__ = ["die_with_parent"]
