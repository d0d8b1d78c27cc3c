"""Every package xlperf writes passes an independent check of the Open XML SDK's rules (issue 11,
item 7): ``openxml-audit``, a port of the SDK's validator, finds zero errors in the templates, the
recomputed and feedback books (in place and ``--out`` .xlsx/.xlsm), and the vendor packs after
decryption. Its warnings (Excel's "canonical form": inline strings it would move to the shared
string table on its next save) are not errors: Excel opens such files without a word.

The book is the template filled with the small valid book of validation_helpers (auditing the full
demo takes the validator about 15 s of CPU per file).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openxml_audit import OpenXmlValidator, ValidationSeverity
from validation_helpers import BookBuilder

from xlperf.cli import main
from xlperf.excel.template import template_path
from xlperf.io.fontorder import sdk_font_order
from xlperf.io.writer import replace_table_rows
from xlperf.reports.encrypt import decrypt, is_encrypted

_VALIDATOR = OpenXmlValidator(max_errors=0)
PASSWORD = "甲-2026"


def audit(path: Path) -> list[str]:
    """The validator's errors for the package at ``path`` (its extension decides the expected kind)."""
    result = _VALIDATOR.validate(path)
    return [str(e) for e in result.errors if e.severity == ValidationSeverity.ERROR]


def run(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return main(list(argv))


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zh template filled through xlperf's own writer (as ``xlperf import`` fills it)."""
    path = tmp_path_factory.mktemp("audit") / "绩效.xlsm"
    shutil.copyfile(template_path("zh"), path)
    b = BookBuilder().set("vendors", 0, "pack_password", PASSWORD)
    for name, t in b.tables.items():
        frame = pd.DataFrame(t.rows, columns=[k for k in t.keys if k], dtype=object)
        replace_table_rows(path, name, frame, backup=False)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_templates_have_no_errors(lang: str) -> None:
    assert audit(template_path(lang)) == []


def test_the_check_is_not_vacuous(tmp_path: Path) -> None:
    """A font in openpyxl's order (name before sz) is an error to the SDK; sdk_font_order repairs it."""
    src = template_path("zh")
    with zipfile.ZipFile(src) as z:
        files = {n: z.read(n) for n in z.namelist()}
    styles = files["xl/styles.xml"].decode()
    first = re.search(r"<font>.*?</font>", styles)
    assert first is not None
    swapped = "<font><name val=\"Calibri\"/><sz val=\"11\"/></font>"
    bad = tmp_path / "bad.xlsm"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, styles.replace(first.group(0), swapped).encode() if name == "xl/styles.xml" else data)
    errors = audit(bad)
    assert len(errors) == 1 and "font" in errors[0] and "sz" in errors[0]
    assert sdk_font_order(swapped) == "<font><sz val=\"11\"/><name val=\"Calibri\"/></font>"


def test_recomputed_and_feedback_books_have_no_errors(book: Path, tmp_path: Path) -> None:
    copy = tmp_path / book.name
    shutil.copyfile(book, copy)
    assert run("validate", str(copy), "--write") == 0
    assert run("recompute", str(copy), "--out", str(tmp_path / "r.xlsx")) == 0
    assert run("recompute", str(copy)) == 0
    assert run("feedback", str(copy), "--out", str(tmp_path / "f.xlsx")) == 0
    assert run("feedback", str(copy), "--out", str(tmp_path / "f.xlsm")) == 0
    assert run("feedback", str(copy)) == 0
    for path in (book, copy, tmp_path / "r.xlsx", tmp_path / "f.xlsx", tmp_path / "f.xlsm"):
        assert audit(path) == [], path.name
    with zipfile.ZipFile(tmp_path / "f.xlsx") as z:  # a feedback .xlsx is macro-free too
        assert not [n for n in z.namelist() if re.search(r"vbaProject|customUI", n)]


def test_vendor_packs_after_decryption_have_no_errors(book: Path, tmp_path: Path) -> None:
    copy = tmp_path / book.name
    shutil.copyfile(book, copy)
    assert run("share", str(copy), "--out", str(tmp_path / "packs")) == 0
    packs = sorted((tmp_path / "packs").glob("*.xlsx"))
    assert [p.name[:4] for p in packs] == ["V001", "V002"]
    for path in packs:
        data = path.read_bytes()
        assert is_encrypted(data) == path.name.startswith("V001")
        plain = tmp_path / f"plain-{path.name}"
        plain.write_bytes(decrypt(data, PASSWORD) if is_encrypted(data) else data)
        assert audit(plain) == [], path.name
