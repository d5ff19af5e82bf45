"""Reads of crime data: street-level answers (streets) and counts (counts)."""
