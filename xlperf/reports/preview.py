"""PDF renderings of feedback sheets through LibreOffice headless (for printing, e-mail and the docs).

Each vendor's feedback sheet is built alone (values, no links) and converted with a private
LibreOffice profile; nothing here touches the workbook.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .bookparts import prototype_package
from .pack import build_pack
from .share import ScoredBook


def render_feedback_pdfs(book: ScoredBook, out_dir: str | Path, vendors: list[str] | None = None) -> list[Path]:
    """One PDF per vendor's feedback sheet in ``out_dir``; returns their paths."""
    from ..excel.libreoffice import convert
    from .feedback import vendors_with_results

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    proto = prototype_package(book.package, book.lang)
    out = []
    with tempfile.TemporaryDirectory(prefix="xlperf-preview-") as tmp:
        for vid in vendors or vendors_with_results(book.results, book.period):
            pack = build_pack(book.inputs, book.results, vid, book.period, proto, book.lang, feedback_only=True)
            src = Path(tmp) / pack.filename
            src.write_bytes(pack.data)
            out.append(convert(src, "pdf", folder, recalc=False))
    return out
