"""Helpers for the VBA project tests: make a real .xlsm around a vbaProject.bin, read the pieces
back with olefile/oletools, and ask LibreOffice headless what it sees."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import uuid
import zipfile
from pathlib import Path

import olefile
import openpyxl
import xlwings
from lxml import etree
from oletools.olevba import decompress_stream

XLWINGS_REFERENCE_XLSM = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_MACRO_WORKBOOK = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"


def reference_vba_project() -> bytes:
    with zipfile.ZipFile(XLWINGS_REFERENCE_XLSM) as zf:
        return zf.read("xl/vbaProject.bin")


def make_xlsm(path: Path, vba_project: bytes, sheets: dict[str, str], workbook_code_name: str) -> Path:
    """An .xlsm with one sheet per `sheets` item (title -> codeName) carrying `vba_project`."""
    wb = openpyxl.Workbook()
    first = True
    for title, code_name in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = title
        ws.sheet_properties.codeName = code_name
        ws["A1"] = title
    wb.code_name = workbook_code_name
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = _macro_content_types(data)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = _with_vba_relationship(data)
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", vba_project)
    return path


def _macro_content_types(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for override in root.findall(f"{{{_CT_NS}}}Override"):
        if override.get("PartName") == "/xl/workbook.xml":
            override.set("ContentType", _MACRO_WORKBOOK)
    if not any(d.get("Extension") == "bin" for d in root.findall(f"{{{_CT_NS}}}Default")):
        etree.SubElement(root, f"{{{_CT_NS}}}Default", Extension="bin", ContentType=_VBA_CONTENT_TYPE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _with_vba_relationship(data: bytes) -> bytes:
    root = etree.fromstring(data)
    ids = {rel.get("Id") for rel in root}
    new_id = next(f"rId{i}" for i in range(1, 1000) if f"rId{i}" not in ids)
    etree.SubElement(root, f"{{{_REL_NS}}}Relationship", Id=new_id, Type=_VBA_REL, Target="vbaProject.bin")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def open_cfb(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def dir_records(vba_project: bytes) -> list[tuple[int, bytes]]:
    """(id, data) of every record in the dir stream, decompressed with oletools."""
    ole = open_cfb(vba_project)
    stream = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    records = []
    pos = 0
    while pos < len(stream):
        record_id, size = struct.unpack_from("<HI", stream, pos)
        if record_id == 0x0009:  # PROJECTVERSION: size says 4, 6 bytes follow
            size = 6
        records.append((record_id, stream[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return records


def libreoffice_view(xlsm: Path, tmp_path: Path) -> dict[str, object]:
    """What LibreOffice sees in `xlsm`: Basic libraries with module sources, and codeNames."""
    python = shutil.which("python3", path="/usr/bin")
    assert python, "/usr/bin/python3 with the uno module is needed"
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    from xlperf.excel.libreoffice import initialised_profile

    # from a copy of the once-initialised profile: never a first start (see xlperf.excel.libreoffice)
    shutil.copytree(initialised_profile() / "user", profile / "user")
    done = subprocess.run(
        [python, "-c", _LO_DUMP_SCRIPT, str(xlsm), str(profile)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


# Run by /usr/bin/python3, which has the `uno` module (the venv has not).
_LO_DUMP_SCRIPT = r'''"""Run by /usr/bin/python3 (it has the `uno` module): open a workbook in a private headless
LibreOffice and print, as JSON, every Basic library of the document with its modules' source.

usage: python3 -c "$SCRIPT" WORKBOOK PROFILE_DIR
"""

import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def main():
    path, profile = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pipe = "xlperf_vba_" + uuid.uuid4().hex
    proc = subprocess.Popen(
        [
            "soffice",
            "-env:UserInstallation=file://" + profile,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--accept=pipe,name=%s;urp;" % pipe,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                if proc.poll() is not None:
                    raise SystemExit("soffice exited with %s" % proc.returncode)
                time.sleep(0.1)
        if ctx is None:
            raise SystemExit("could not connect to soffice")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True))
        )
        if doc is None:
            raise SystemExit("LibreOffice could not open " + path)
        libraries = {}
        basic = doc.BasicLibraries
        for lib_name in basic.getElementNames():
            basic.loadLibrary(lib_name)
            lib = basic.getByName(lib_name)
            libraries[lib_name] = {name: lib.getByName(name) for name in lib.getElementNames()}
        code_names = {}
        sheets = doc.Sheets
        for i in range(sheets.getCount()):
            sheet = sheets.getByIndex(i)
            code_names[sheet.Name] = sheet.CodeName
        result = {"libraries": libraries, "code_names": code_names, "doc_code_name": doc.CodeName}
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge drops while soffice exits
        sys.stdout.write(json.dumps(result, ensure_ascii=False))
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
'''
