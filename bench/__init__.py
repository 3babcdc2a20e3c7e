"""Benchmarks, run by `guicheng bench`."""
