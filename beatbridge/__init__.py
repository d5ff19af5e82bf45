"""Beatbridge: a community-policing partnership platform."""
