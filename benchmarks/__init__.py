"""Benchmarks: xlperf recompute against the floor, openpyxl and LibreOffice formulas, in one run.

    python -m benchmarks [--sizes S,M] [--runs 3] [--skip-libreoffice] [--workdir DIR]

See docs/PERFORMANCE.md for the results and how they were produced.
"""
