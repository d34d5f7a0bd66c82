"""Benchmarks: ratios against what a user would otherwise run (pandas + openpyxl).

Each ``bench/bench_*.py`` has ``main() -> None`` that generates its data (under
bench/data/, ignored by git), times svcq and the baseline in one run, and prints the ratio
and peak memory. ``make bench`` (``python -m bench``) runs them all; ``python -m bench NAME``
runs one.
"""
