"""Small programs the benchmarks run as processes of their own."""
