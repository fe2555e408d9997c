"""Benchmarks: performance targets are measured here, not in timed tests."""
