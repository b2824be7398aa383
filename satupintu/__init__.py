"""Satu Pintu: one door to everything a regency publishes and serves online."""

__version__ = "0.1.0"
