"""The lock files other spreadsheet applications leave beside a workbook they have open.

Writing a workbook another application holds open loses one side's work: the application saves its
copy over ours, or ours replaces the file under it. So xlperf refuses (exit 3, nothing written) while
any of these exists beside the workbook ``NAME`` (sources in docs/RELIABILITY.md, "Lock files"):

- Microsoft Excel: ``~$NAME`` (the "owner file"; first byte the length of the user's name, then
  the name). Word-style owner files replace the first two characters instead (``~$ME.xlsx`` for
  ``NAME.xlsx``) — recognised only when no workbook of that shorter name exists in the folder.
- WPS Office on Windows: the same ``~$NAME`` as Excel.
- LibreOffice / OpenOffice: ``.~lock.NAME#``, one CSV line ``name,host,user,date,profile;``.
- WPS Office on Linux: ``.~NAME``; for long names it has been seen to drop the first one or two
  characters of NAME (``.~AME`` / ``.~ME``) — again only when no file of that name exists.

A lock file left by a crashed application is indistinguishable from a live one without asking that
application, so every one of them refuses; the sentence names the file so the user can close the
workbook, or delete the file after a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppLock:
    app: str          # "Excel" | "LibreOffice" | "WPS"
    path: Path        # the lock file found
    owner: str = ""   # who holds it, when the lock file says (LibreOffice: name@host)


def _shortened(name: str) -> list[str]:
    return [name[k:] for k in (1, 2) if len(name) - k >= 3]


def candidates(path: str | Path) -> list[tuple[str, Path, bool]]:
    """(application, lock file path, exact) for every lock name an application may use for ``path``.
    ``exact`` False: a shortened form, which counts only when no file of the shortened name exists."""
    p = Path(path)
    name = p.name
    found: list[tuple[str, Path, bool]] = [
        ("Excel", p.with_name("~$" + name), True),
        ("LibreOffice", p.with_name(f".~lock.{name}#"), True),
        ("WPS", p.with_name(".~" + name), True),
    ]
    found += [("Excel", p.with_name("~$" + short), False) for short in _shortened(name)[1:]]
    found += [("WPS", p.with_name(".~" + short), False) for short in _shortened(name)]
    return found


def _owner(app: str, lock: Path) -> str:
    """The user named in the lock file, when its format is known; '' otherwise (never raises)."""
    try:
        data = lock.read_bytes()[:4096]
    except OSError:
        return ""
    if app == "LibreOffice":  # "Display Name,host,user,dd.mm.yyyy hh:mm,profile;"
        fields = data.decode("utf-8", "replace").split(",")
        if len(fields) >= 3:
            who = fields[0].strip() or fields[2].strip()
            return f"{who}@{fields[1].strip()}" if fields[1].strip() else who
        return ""
    if data and 0 < data[0] < len(data):  # Excel/WPS owner file: length byte, then the user name
        raw = data[1:1 + data[0]]
        for codec in ("utf-8", "gbk"):
            try:
                text = raw.decode(codec).strip()
            except UnicodeDecodeError:
                continue
            return text if text.isprintable() else ""
    return ""


def find_app_lock(path: str | Path) -> AppLock | None:
    """The first lock file of another application beside ``path``, or None."""
    p = Path(path)
    for app, lock, exact in candidates(p):
        if not lock.exists():
            continue
        if not exact and p.with_name(lock.name[2:]).exists():
            continue  # it is the lock of that other, shorter-named workbook
        return AppLock(app, lock, _owner(app, lock))
    return None
