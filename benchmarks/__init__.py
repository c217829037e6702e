"""Benchmarks that print and record figures: ``python -m benchmarks.NAME`` (see the Makefile)."""
