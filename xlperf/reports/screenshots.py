"""The pictures in README and docs/USER_GUIDE.md: the demo's sheets as LibreOffice prints them.

    .venv/bin/python -m xlperf.reports.screenshots [OUT_DIR]     (default: docs/images)

Builds the demo workbooks (zh and en), renders the biggest vendor's feedback sheet, the internal
summary and one vendor pack to PDF with LibreOffice headless (private profile), and turns chosen
pages into PNG with poppler's ``pdftoppm``. Without a CJK font LibreOffice draws every Chinese
character as a box, so the script installs Debian's ``fonts-noto-cjk`` when it can (root with
apt-get) and otherwise refuses to render; every PDF it makes is checked to embed a CJK font.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import XlperfError

CJK_FONT_PACKAGE = "fonts-noto-cjk"
PNG_TOOL_PACKAGE = "poppler-utils"
GENERATED = "2026-10-08 09:00"  # the "generated at" line of the pictures, so re-rendering changes no text
DPI = 90
# families that carry Chinese glyphs, as PDF base font names spell them (after the subset prefix)
_CJK_NAMES = re.compile(r"CJK|SourceHan|Source Han|WenQuanYi|WQY|DroidSansFallback|AR ?PL|UKai|UMing|SimSun|"
                        r"SimHei|NSimSun|YaHei|DengXian|Dengxian|PingFang|Hiragino|HeitiSC|STSong|STHeiti|FangSong|"
                        r"KaiTi|MS ?Gothic|MS ?Mincho|Meiryo|Gulim|Batang|Malgun", re.IGNORECASE)


def cjk_font_families() -> list[str]:
    """Font families fontconfig knows that cover Chinese (empty: Chinese would print as boxes)."""
    if not shutil.which("fc-list"):
        return []
    proc = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return sorted({line.split(",")[0].strip() for line in proc.stdout.splitlines() if line.strip()})


def _apt_install(package: str) -> None:
    if not (shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0):
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env, capture_output=True, check=False).returncode:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], env=env, capture_output=True, check=False)


def ensure_render_tools() -> None:
    """A CJK font and pdftoppm, installed if missing and possible; otherwise refuse to render."""
    if not cjk_font_families():
        _apt_install(CJK_FONT_PACKAGE)
        subprocess.run(["fc-cache", "-f"], capture_output=True, check=False)
    if not cjk_font_families():
        raise XlperfError(
            f"没有中文字体：截图中的中文会显示为方框。请安装 {CJK_FONT_PACKAGE}（apt-get install {CJK_FONT_PACKAGE}）后重试。",
            f"No CJK font: Chinese would render as boxes. Install {CJK_FONT_PACKAGE} "
            f"(apt-get install {CJK_FONT_PACKAGE}) and try again.")
    if not shutil.which("pdftoppm"):
        _apt_install(PNG_TOOL_PACKAGE)
    if not shutil.which("pdftoppm"):
        raise XlperfError(f"未找到 pdftoppm：请安装 {PNG_TOOL_PACKAGE}。",
                          f"pdftoppm was not found: install {PNG_TOOL_PACKAGE}.")


def pdf_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """Every font a PDF's pages (and their forms) use: (base font name, embedded?)."""
    from pypdf import PdfReader

    found: dict[str, bool] = {}

    def embedded(font: Any) -> bool:
        desc = font.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in font:
            desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        desc = desc.get_object() if desc is not None else {}
        return any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    def walk(resources: Any, depth: int = 0) -> None:
        if resources is None or depth > 4:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "")).lstrip("/")
            found[name] = found.get(name, False) or embedded(font)
        for ref in (resources.get("/XObject") or {}).values():
            xo = ref.get_object()
            if xo.get("/Subtype") == "/Form":
                walk(xo.get("/Resources"), depth + 1)

    for page in PdfReader(str(pdf)).pages:
        walk(page.get("/Resources"))
    return sorted(found.items())


def cjk_fonts(pdf: Path) -> list[str]:
    """The embedded fonts of a PDF that carry Chinese glyphs."""
    return [name for name, emb in pdf_fonts(pdf) if emb and _CJK_NAMES.search(name.split("+", 1)[-1])]


def pdf_pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def _page_texts(pdf: Path) -> list[str]:
    """Each page's text in reading order (poppler's pdftotext: the repeated title rows come first)."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def to_png(pdf: Path, page: int, target: Path, dpi: int = DPI) -> Path:
    """One page (1-based) of a PDF as a PNG file."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True, capture_output=True)
    return target


def _checked(pdf: Path) -> Path:
    if not cjk_fonts(pdf):
        raise XlperfError(f"{pdf.name} 没有嵌入中文字体。", f"{pdf.name} embeds no CJK font.")
    return pdf


def summary_package(book: Any) -> bytes:
    """A small workbook holding only the summary sheet, written as into the book (the prototype's styles)."""
    from ..io.package import Package
    from .bookparts import prototype_package
    from .writeback import write_summary

    pkg = Package(prototype_package(book.package, book.lang), "summary")
    write_summary(pkg, book.inputs, book.results, book.period, book.lang)
    return _drop_first_sheet(pkg.to_bytes())


def _drop_first_sheet(data: bytes) -> bytes:
    """The package without its first sheet (the prototype): LibreOffice prints hidden sheets too."""
    import zipfile
    from io import BytesIO

    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                part = re.sub(rb"<sheet\b[^>]*/>", b"", part, count=1)
                part = re.sub(rb'localSheetId="(\d+)"', lambda m: b'localSheetId="%d"' % (int(m.group(1)) - 1), part)
            z.writestr(info, part)
    return out.getvalue()


def biggest_vendor(book: Any) -> str:
    """The vendor with the most workers in the period (the longest feedback sheet)."""
    res = book.results.results
    rows = res[(res["period_id"].astype(str) == book.period) & (res["level"].astype(str) == "worker")]
    counts = rows["vendor_id"].astype(str).value_counts()
    return str(min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0])


def render_docs_images(out_dir: Path) -> list[Path]:
    """Build the demos and write the PNGs the docs show; returns them."""
    from ..demo import write_demo_book
    from ..excel.libreoffice import convert_many
    from .bookparts import prototype_package
    from .pack import build_pack
    from .share import load_scored

    ensure_render_tools()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="xlperf-shots-") as tmp_name:
        tmp = Path(tmp_name)
        sources: list[Path] = []
        books = {}
        for lang in ("zh", "en"):
            path = tmp / f"demo-{lang}.xlsm"
            write_demo_book(path, "demo", lang)
            book = load_scored(str(path), None, lang)
            books[lang] = book
            vid = biggest_vendor(book)
            proto = prototype_package(book.package, lang)
            fb = build_pack(book.inputs, book.results, vid, book.period, proto, lang, generated=GENERATED,
                            feedback_only=True)
            sources.append(tmp / f"feedback-{lang}.xlsx")
            sources[-1].write_bytes(fb.data)
        zh = books["zh"]
        sources.append(tmp / "summary-zh.xlsx")
        sources[-1].write_bytes(summary_package(zh))
        pack = build_pack(zh.inputs, zh.results, biggest_vendor(zh), zh.period, prototype_package(zh.package, "zh"),
                          "zh", generated=GENERATED)
        sources.append(tmp / "pack-zh.xlsx")
        sources[-1].write_bytes(pack.data)
        pdfs, err = convert_many(sources, "pdf", tmp / "pdf", recalc=False)
        for pdf in pdfs:
            if not pdf.exists():
                raise XlperfError(f"LibreOffice 未能生成 {pdf.name}：{err[:300]}",
                                  f"LibreOffice did not produce {pdf.name}: {err[:300]}")
            _checked(pdf)
        fb_zh, fb_en, summary, pack_pdf = pdfs
        for page in range(1, pdf_pages(fb_zh) + 1):
            name = "feedback_sheet_zh.png" if page == 1 else f"feedback_sheet_zh_p{page}.png"
            written.append(to_png(fb_zh, page, out_dir / name))
        written.append(to_png(fb_en, 1, out_dir / "feedback_sheet_en.png"))
        written.append(to_png(summary, 1, out_dir / "summary_sheet_zh.png"))
        texts = _page_texts(pack_pdf)
        for title, name in (("结果：", "pack_results_zh.png"), ("计分核对：", "pack_score_check_zh.png"),
                            ("计分规则", "pack_rules_zh.png"), ("预警：", "pack_warnings_zh.png")):
            page = next(i for i, t in enumerate(texts, start=1) if t.lstrip().startswith(title))
            written.append(to_png(pack_pdf, page, out_dir / name))
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "docs" / "images"
    try:
        for path in render_docs_images(out):
            print(path)
    except XlperfError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
