"""Python's cycle collector paused while a workbook is read.

A read creates millions of objects (a list per row, a str or float per cell) and the collector
would walk all the tracked ones again and again as they pile up (measured: half of calamine's
``to_python`` time at 400 000 rows); none of them is part of a cycle. The pause is counted, so
overlapping reads in several threads (the reader's, the prefetch's) turn the collector back on
exactly once, and only if it was on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
