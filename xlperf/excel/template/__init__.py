"""The workbook template: sheets from the contract, VBA modules and ribbon from text sources, packed into
a deterministic .xlsm.

    build_template_bytes(lang, data=None) -> bytes   the .xlsm (data: field-key frames replacing table rows)
    template_path(lang) -> Path                      the committed template for a language
    build_templates(out_dir=None) -> list[Path]      rebuild workbook_templates/xlperf.xlsm, xlperf_en.xlsm and
                                                     docs/WORKBOOK.md
    stale_templates(out_dir=None) -> list[Path]      committed outputs that differ from a rebuild
    render_workbook_doc() -> str                     docs/WORKBOOK.md from the contract
    new_book(path, lang="zh", force=False) -> Path   a fresh workbook from the template
    collect_vba_modules(lang) -> list[VbaModule]     every VBA module of the project (the shared hook)
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ...errors import UsageError, WriteError
from ...i18n import pick
from .doc import DOC_PATH, render_workbook_doc
from .modules import REPO_ROOT, VbaModule, collect_vba_modules, ribbon_part
from .package import macro_package
from .sheets import build_workbook, code_name, list_name, sheet_codenames

TEMPLATE_DIR = REPO_ROOT / "workbook_templates"
TEMPLATE_FILES = {"zh": "xlperf.xlsm", "en": "xlperf_en.xlsm"}

__all__ = [
    "VbaModule",
    "build_template_bytes",
    "build_templates",
    "code_name",
    "collect_vba_modules",
    "compile_vba",
    "custom_ui",
    "list_name",
    "new_book",
    "render_workbook_doc",
    "sheet_codenames",
    "stale_templates",
    "template_path",
]


def custom_ui(lang: str) -> bytes | None:
    """The ribbon part for ``lang`` (None while there is no ribbon source)."""
    return ribbon_part(lang)


# The project's code page: module sources are ASCII, but names and the project text are stored in it.
CODEPAGES = {"zh": 936, "en": 1252}


def compile_vba(modules: Sequence[VbaModule], lang: str = "zh") -> bytes:
    """vbaProject.bin from the modules (xlperf.excel.vba's compiler), deterministic."""
    from ..vba import build_vba_project

    return build_vba_project(list(modules), codepage=CODEPAGES[lang])


def _modules(lang: str) -> list[VbaModule]:
    return collect_vba_modules(lang, sheet_codenames())


def build_template_bytes(lang: str = "zh", data: Mapping[str, pd.DataFrame] | None = None) -> bytes:
    """The template (or, with ``data``, a filled workbook) as deterministic .xlsm bytes."""
    import io

    if lang not in TEMPLATE_FILES:
        raise UsageError(f"未知语言 {lang!r}，可选 zh 或 en", f"Unknown language {lang!r}: use zh or en")
    wb = build_workbook(lang, data)
    buf = io.BytesIO()
    wb.save(buf)
    vba_project = compile_vba(_modules(lang), lang)
    title = pick(lang, "劳务外包绩效管理", "Outsourced-labour performance")
    return macro_package(buf.getvalue(), vba_project=vba_project, custom_ui=custom_ui(lang), title=title)


def template_path(lang: str = "zh") -> Path:
    return TEMPLATE_DIR / TEMPLATE_FILES[lang]


def _outputs(out_dir: Path | None, doc_path: Path | None) -> dict[Path, Callable[[], bytes]]:
    # With an explicit folder everything goes there (tests, previews); by default the repository's places.
    doc_path = doc_path or (out_dir / "WORKBOOK.md" if out_dir is not None else DOC_PATH)
    out_dir = out_dir or TEMPLATE_DIR
    outputs: dict[Path, Callable[[], bytes]] = {
        out_dir / name: functools.partial(build_template_bytes, lang) for lang, name in TEMPLATE_FILES.items()
    }
    outputs[doc_path] = lambda: render_workbook_doc().encode("utf-8")
    return outputs


def build_templates(out_dir: Path | None = None, doc_path: Path | None = None) -> list[Path]:
    """Rebuild both templates into ``out_dir`` (default workbook_templates/) and docs/WORKBOOK.md."""
    written = []
    for path, make in _outputs(out_dir, doc_path).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        written.append(path)
    return written


def _same_content(old: bytes, new: bytes) -> bool:
    """Equal bytes, or equal packages: the same parts in the same order with the same uncompressed bytes.
    (Deflate output may differ between zlib builds; what the build decides is the parts.)"""
    if old == new:
        return True
    if not (old.startswith(b"PK") and new.startswith(b"PK")):
        return False
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
            if [(i.filename, i.date_time) for i in a.infolist()] != [(i.filename, i.date_time) for i in b.infolist()]:
                return False
            return all(a.read(name) == b.read(name) for name in a.namelist())
    except zipfile.BadZipFile:
        return False


def stale_templates(out_dir: Path | None = None, doc_path: Path | None = None) -> list[Path]:
    """Templates (and the workbook doc) that are missing or differ from what a build would write now."""
    return [path for path, make in _outputs(out_dir, doc_path).items()
            if not path.is_file() or not _same_content(path.read_bytes(), make())]


def new_book(path: Path, lang: str = "zh", *, force: bool = False) -> Path:
    """Write a fresh workbook from the template; never overwrite an existing file unless ``force``."""
    if path.suffix.lower() != ".xlsm":
        raise UsageError(f"新工作簿须以 .xlsm 结尾（含宏）：{path}",
                         f"A new workbook must end in .xlsm (it carries macros): {path}")
    if path.exists() and not force:
        raise UsageError(f"文件已存在：{path}。如需覆盖，请加 --force。",
                         f"{path} already exists; add --force to overwrite it.")
    source = template_path(lang)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if source.is_file():
            shutil.copyfile(source, path)
        else:  # installed without the repository's workbook_templates/: build it now
            path.write_bytes(build_template_bytes(lang))
    except OSError as exc:
        raise WriteError(f"无法写入 {path}：{exc.strerror or exc}", f"Could not write {path}: {exc.strerror or exc}") from exc
    return path
