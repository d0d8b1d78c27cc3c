"""`xlperf doctor` on a managed Windows PC, fed the recorded outputs of the Windows commands it reads.

The outputs below are in the form each command prints on Windows (reg.exe's indented
"name    REG_SZ    data" lines under the key, CRLF line ends; the PowerShell script's own
"rule <id> <action>" / "exclude <path>" lines; a Zone.Identifier stream as a browser writes it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from xlperf.cli import doctor_windows as dw
from xlperf.cli.doctor import ERROR, OK, SKIP, WARN, run_checks

PY = r"C:\Users\zhangmin\AppData\Local\Programs\Python\Python311\python.exe"
RULE = "d4f940ab-401b-4efc-aadc-ad5f3c50688a"
OTHER = "3b576869-a4ec-4529-8536-b80a7769e899"  # "Block Office applications from creating executable content"

MP_BLOCK = f"rule {RULE.upper()} 1\r\nrule {OTHER} 1\r\nexclude N/A: Must be an administrator to view exclusions\r\n"
MP_AUDIT = f"rule {OTHER} 1\r\nrule {RULE} 2\r\n"
MP_EXCLUDED = f"rule {RULE} 1\r\nexclude {PY}\r\n"
REG_GPO = ("\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Windows Defender Exploit Guard"
           f"\\ASR\\Rules\r\n    {OTHER}    REG_SZ    1\r\n    {RULE}    REG_SZ    1\r\n\r\n")
REG_MDM = ("\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\Defender\r\n"
           f"    AttackSurfaceReductionRules    REG_SZ    {OTHER}=1|{RULE}=6\r\n\r\n")
REG_EXCL = ("\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Windows Defender Exploit Guard"
            "\\ASR\\ASROnlyExclusions\r\n    C:\\Windows\\System32\\cmd.exe    REG_SZ    0\r\n\r\n")
ZONE_INTERNET = "[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://outlook.office.com/\r\nHostUrl=about:internet\r\n"
ZONE_INTRANET = "[ZoneTransfer]\r\nZoneId=1\r\n"


class Recorded:
    """A command runner that answers from recorded outputs (None: the command failed or is missing)."""

    def __init__(self, mp: str | None = None, gpo: str | None = None, mdm: str | None = None,
                 excl: str | None = None) -> None:
        self.answers = {"powershell.exe": mp, dw.GPO_RULES_KEY: gpo, dw.MDM_KEY: mdm, dw.GPO_EXCLUSIONS_KEY: excl}
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, argv: Sequence[str]) -> str | None:
        self.calls.append(tuple(argv))
        key = argv[0] if argv[0] == "powershell.exe" else argv[2]
        return self.answers[key]


def test_block_mode_read_from_get_mppreference_is_an_error_with_what_to_ask_it() -> None:
    run = Recorded(mp=MP_BLOCK)
    check = dw.check_asr(run, PY)
    assert check.status == ERROR
    assert check.zh.startswith("Defender 攻击面减少规则“阻止所有 Office 应用程序创建子进程”处于阻止模式（block）（来源：Get-MpPreference）")
    assert "审核（2）或警告（6）模式" in check.fix_zh and PY in check.fix_zh and "cmd.exe" in check.fix_zh
    assert "audit (2) or warn (6) mode" in check.fix_en and "INSTALL.md" in check.fix_en
    assert run.calls == [dw.MP_COMMAND], "Get-MpPreference answered: the registry is not read"


@pytest.mark.parametrize("run,status,phrase", [
    (Recorded(mp=MP_AUDIT), OK, "审核模式"),
    (Recorded(mp=""), OK, "未启用"),                                        # Defender has no ASR rules
    (Recorded(mp=MP_EXCLUDED), WARN, f"但已排除：{PY}"),
    (Recorded(gpo=REG_GPO), ERROR, "（来源：group policy）"),                # no PowerShell: the policy key
    (Recorded(gpo=REG_GPO, excl=REG_EXCL), WARN, r"但已排除：C:\Windows\System32\cmd.exe"),
    (Recorded(mdm=REG_MDM), WARN, "警告模式（来源：Intune）"),
    (Recorded(gpo="\r\nHKEY_LOCAL_MACHINE\\...\\Rules\r\n\r\n"), OK, "未启用"),
    (Recorded(), SKIP, "无法读取"),                                          # nothing could be read
])
def test_each_source_and_mode(run: Recorded, status: str, phrase: str) -> None:
    check = dw.check_asr(run, PY)
    assert check.status == status and phrase in check.zh, check.zh


def test_parsers_read_the_recorded_forms() -> None:
    assert dw.parse_mp_preference(MP_BLOCK) == ({RULE: 1, OTHER: 1}, [])
    assert dw.parse_reg_rules(REG_GPO) == {OTHER: 1, RULE: 1}
    assert dw.parse_mdm_rules(REG_MDM) == {OTHER: 1, RULE: 6}
    assert dw.parse_reg_values(REG_EXCL) == [r"C:\Windows\System32\cmd.exe"]
    assert (dw.zone_id(ZONE_INTERNET), dw.zone_id(ZONE_INTRANET), dw.zone_id(None)) == (3, 1, None)


def test_mark_of_the_web_on_the_workbook(tmp_path: Path) -> None:
    book = tmp_path / "绩效考核.xlsm"
    streams = {book: ZONE_INTERNET}
    check = dw.check_mark_of_the_web(book, streams.get)
    assert check.status == ERROR and "ZoneId=3，互联网" in check.zh
    assert "解除锁定" in check.fix_zh and "Unblock-File" in check.fix_en
    assert dw.check_mark_of_the_web(book, {book: ZONE_INTRANET}.get).status == OK
    assert dw.check_mark_of_the_web(book, lambda _: None).status == OK
    assert dw.check_mark_of_the_web(None).status == SKIP


def test_doctor_reports_both_on_windows_and_fails(tmp_path: Path) -> None:
    book = tmp_path / "绩效考核.xlsm"
    report = run_checks(book, windows=True, runner=Recorded(mp=MP_BLOCK), zone_reader={book: ZONE_INTERNET}.get)
    checks = report.by_key()
    assert (checks["asr_office_child"].status, checks["mark_of_the_web"].status) == (ERROR, ERROR)
    assert not report.ok
    text = report.text("en")
    assert "is in block mode (from Get-MpPreference)" in text and "carries the Mark of the Web (ZoneId=3" in text


def test_elsewhere_the_windows_checks_are_named_as_skipped() -> None:
    checks = run_checks(None, windows=False).by_key()
    assert checks["asr_office_child"].status == SKIP and checks["mark_of_the_web"].status == SKIP


def test_the_real_runner_says_none_for_a_command_that_is_not_there() -> None:
    assert dw.system_runner(["xlperf-no-such-command-3f9a"]) is None
    assert dw.read_zone_identifier(Path("/nonexistent/绩效.xlsm")) is None
