"""CSV import (UTF-8/GBK/UTF-16, any header spelling) and CSV/JSON export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xlperf.book import CellError
from xlperf.contract import TABLES_BY_NAME
from xlperf.errors import UnusableFileError, UsageError
from xlperf.io.csvio import frame_to_csv, frame_to_json, read_csv_table

OBS = TABLES_BY_NAME["observations"]
VENDORS = TABLES_BY_NAME["vendors"]
CSV_TEXT = ("日期,Vendor ID,indicator_id,数值,人员编号,备注\n"
            "2026-01-05,V001,I01,95,007,\n"
            "2026/1/6,V002,I02,95%,,现场\n"
            "昨天,V003,I03,1.5e2,W9, 空格 \n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_read_csv_in_every_common_encoding_with_mixed_header_spellings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "obs.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    frame = read_csv_table(path, OBS)
    assert list(frame.columns) == ["date", "vendor_id", "indicator_id", "value", "worker_id", "note"]
    assert frame.values.tolist() == [
        [dt.datetime(2026, 1, 5), "V001", "I01", 95.0, "007", None],
        [dt.datetime(2026, 1, 6), "V002", "I02", "95%", None, "现场"],  # left for validation to normalise
        ["昨天", "V003", "I03", 150.0, "W9", " 空格 "],  # not a date: kept as typed
    ]


def test_excel_unicode_text_export_utf16_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "vendors.txt"
    path.write_bytes("供应商编号\t供应商名称\t基础服务费\nV001\t甲公司\t12,000.50\nV002\t乙公司\t8000\n".encode("utf-16"))
    frame = read_csv_table(path, VENDORS)
    assert frame.values.tolist() == [["V001", "甲公司", "12,000.50"], ["V002", "乙公司", 8000.0]]


def test_quoted_fields_with_commas_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text('vendor_id,name,service\nV001,"甲, 乙 联合体","保洁\n安保"\n', encoding="utf-8")
    assert read_csv_table(path, VENDORS).values.tolist() == [["V001", "甲, 乙 联合体", "保洁\n安保"]]


def test_unknown_header_is_a_usage_error_naming_it_and_the_accepted_names(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("vendor_id,name,电话\nV001,甲,123\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_csv_table(path, VENDORS)
    assert "“电话”" in caught.value.message("zh") and "vendor_id/供应商编号/Vendor ID" in caught.value.message("zh")
    assert "'电话'" in caught.value.message("en")


def test_missing_required_and_duplicate_columns(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("vendor_id,contact\nV001,王\n", encoding="utf-8")
    with pytest.raises(UsageError, match="lacks required column\\(s\\) of vendors: Name"):
        read_csv_table(path, VENDORS)
    path.write_text("vendor_id,name,Name\nV001,甲,乙\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_csv_table(path, VENDORS)
    assert "供应商名称" in caught.value.message("zh")


@pytest.mark.parametrize(("data", "phrase"), [
    (b"", "empty"),
    (b"\xff\xfe\x00\xd8", "encoding"),  # a lone UTF-16 surrogate: not decodable
    (b"PK\x03\x04rest-of-a-zip", "not a CSV text file"),
])
def test_unreadable_csv_files(tmp_path: Path, data: bytes, phrase: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(UnusableFileError, match=phrase):
        read_csv_table(path, VENDORS)
    with pytest.raises(UnusableFileError, match="does not exist"):
        read_csv_table(tmp_path / "none.csv", VENDORS)


def test_header_only_gives_an_empty_frame(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("vendor_id,name\n", encoding="utf-8")
    frame = read_csv_table(path, VENDORS)
    assert list(frame.columns) == ["vendor_id", "name"] and len(frame) == 0


def _sample() -> pd.DataFrame:
    return pd.DataFrame({
        "date": [dt.datetime(2026, 1, 5), None, dt.datetime(2026, 2, 1)],
        "vendor_id": ["V001", "V002", None],
        "value": [95.0, np.nan, 0.125],
        "note": [CellError("#N/A"), "备注", None],
        "n": [1, 2, 3],
    })


def test_frame_to_json_rows_keyed_by_field_with_iso_dates_and_nulls() -> None:
    rows = json.loads(frame_to_json(_sample()))
    assert rows == [
        {"date": "2026-01-05", "vendor_id": "V001", "value": 95.0, "note": "#N/A", "n": 1},
        {"date": None, "vendor_id": "V002", "value": None, "note": "备注", "n": 2},
        {"date": "2026-02-01", "vendor_id": None, "value": 0.125, "note": None, "n": 3},
    ]


def test_json_datetimes_with_time_keep_the_time() -> None:
    frame = pd.DataFrame({"t": pd.to_datetime(["2026-01-05 08:30", "2026-01-06 00:00"])})
    assert json.loads(frame_to_json(frame)) == [{"t": "2026-01-05T08:30:00"}, {"t": "2026-01-06T00:00:00"}]


def test_frame_to_csv_text_and_file_with_bom(tmp_path: Path) -> None:
    expected = ("date,vendor_id,value,note,n\n"
                "2026-01-05,V001,95,#N/A,1\n"
                ",V002,,备注,2\n"
                "2026-02-01,,0.125,,3\n")
    assert frame_to_csv(_sample(), None) == expected
    out = tmp_path / "out.csv"
    frame_to_csv(_sample(), out)
    assert out.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_round_trip_export_then_import(tmp_path: Path) -> None:
    frame = pd.DataFrame({"vendor_id": ["V001", "007"], "name": ["甲", "乙"], "base_fee": [12000.5, 8000.0],
                          "contract_start": [dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 31)]})
    path = tmp_path / "v.csv"
    frame_to_csv(frame, path)
    back = read_csv_table(path, VENDORS)
    assert back.values.tolist() == [["V001", "甲", 12000.5, dt.datetime(2026, 1, 1)],
                                    ["007", "乙", 8000.0, dt.datetime(2026, 3, 31)]]
