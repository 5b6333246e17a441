"""Benchmarks: the vectorised engine against a one-object-per-worker Mesa reference."""
