"""The benchmark: `make bench` (see README.md, "Benchmark")."""
