"""Demo and benchmark data: a realistic, seeded sample of every input table, and books built from it.

    demo_tables(size="demo", seed=DEFAULT_SEED, lang="zh") -> dict[str, pd.DataFrame]
    build_book(path, lang, tables) -> Path
    write_demo_book(path, size="demo", lang="zh", seed=DEFAULT_SEED) -> Path

Sizes (``DemoSize``): demo (6 vendors, 200 workers, 13 indicators, 3 months, 6 000 observations),
S (20 / 1 000 / 15 / 3 months / 40 000), M (50 / 10 000 / 15 / 3 months / 400 000),
L (200 / 50 000 / 20 / 1 month / 1 000 000).
"""

from __future__ import annotations

from pathlib import Path

from .book import build_book
from .generator import DEFAULT_SEED, SIZES, DemoSize, SizeSpec, demo_tables

__all__ = ["DEFAULT_SEED", "SIZES", "DemoSize", "SizeSpec", "build_book", "demo_tables", "write_demo_book"]


def write_demo_book(path: Path | str, size: DemoSize = "demo", lang: str = "zh", seed: int = DEFAULT_SEED) -> Path:
    """The sample workbook for ``size``, written to ``path``, typed in the workbook's own words (线性,
    供应商, 开放 ... in Chinese) as HR picks them from the dropdowns."""
    from .words import in_book_words

    return build_book(path, lang, in_book_words(demo_tables(size, seed, lang), lang))
