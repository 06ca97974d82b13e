"""Synthetic corpus: a demo PKI and realistic Vietnamese letters for tests and the demo portal."""
