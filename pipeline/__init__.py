"""congbo: publish digitally signed Vietnamese official documents as a static portal with feeds."""

__version__ = "0.2.0"
