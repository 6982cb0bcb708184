"""broadcast: radio automation for Vietnamese commune loudspeaker stations."""

__version__ = "0.1.0"
