"""Helpers for the benchmarks (`make bench`): a load generator run as its own process,
and the settings the benchmark's web server runs with. Nothing here is imported by the
application."""
