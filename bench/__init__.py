"""`make bench`: synth-time benchmark (not a test; see docs/benchmarks.md)."""
