"""Benchmarks: each figure is a ratio against a floor measured in the same run.

``make bench`` (``python -m benchmarks``) measures every figure and writes BENCHMARKS.md.
Floor and subject runs alternate (A B A B), a warm-up pair is thrown away, and each side's
median is quoted with its min and max. The test suite runs each benchmark once at a tiny
size, only to prove that it works: these are not timed tests.
"""
