"""Development tools that the tests and the benchmarks share; not part of the package."""
