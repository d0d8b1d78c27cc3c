"""The checks, one module each, run in this order. Each module declares the codes it can emit
(``CODES``) and has ``check(ctx)`` yielding findings.

The first two also build the context the others read: ``structure`` finds tables and columns,
``cells`` parses every column into typed frames. Later checks only look at typed frames, so a cell
that could not be read is reported once (by ``cells``) and not again by every check that uses it.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    bands,
    cells,
    duplicates,
    goals,
    methods,
    observations,
    periods,
    ratings,
    references,
    scenarios,
    settings,
    structure,
    weights,
)

CHECKS: tuple[ModuleType, ...] = (
    structure, cells, settings, duplicates, references, periods, methods, bands, weights, observations,
    ratings, goals, scenarios,
)

__all__ = ["CHECKS"]
