"""What stops the ribbon buttons on a managed Windows PC, read for ``xlperf doctor`` (and 环境检查).

- **Defender's attack-surface-reduction rule** "Block all Office applications from creating child
  processes" (``ASR_CHILD_PROCESS``). RunPython makes Excel start ``cmd.exe``, which starts Python
  (xlwings #1420, #2433); with the rule in block mode every button fails ("Permission denied",
  error 70 / 1000). Read from ``Get-MpPreference`` (the rules in force, whatever set them), else from
  the policy registry keys group policy (``...\\Windows Defender Exploit Guard\\ASR\\Rules``) and
  Intune (``PolicyManager\\current\\device\\Defender``) write. Actions: 0 off, 1 block, 2 audit,
  5 not configured, 6 warn.
- **Mark of the Web** on the workbook: a file saved from e-mail or a browser carries a
  ``Zone.Identifier`` alternate data stream; ``ZoneId=3`` (Internet) or 4 (untrusted) makes Office
  block its macros until the file is unblocked or kept in a trusted location.

Everything that touches Windows goes through a ``Runner`` (argv → stdout, or None when the command
cannot run) and a zone reader (path → the stream's text, or None), both parameters, so the parsing
is tested on Linux with recorded outputs of these commands (tests/test_doctor_windows.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .doctor import ERROR, OK, SKIP, WARN, Check

Runner = Callable[[Sequence[str]], str | None]
ZoneReader = Callable[[Path], str | None]

ASR_CHILD_PROCESS = "d4f940ab-401b-4efc-aadc-ad5f3c50688a"
ACTIONS = {0: "off", 1: "block", 2: "audit", 5: "not configured", 6: "warn"}
GPO_RULES_KEY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\Windows Defender Exploit Guard\ASR\Rules"
GPO_EXCLUSIONS_KEY = (r"HKLM\SOFTWARE\Policies\Microsoft\Windows Defender\Windows Defender Exploit Guard"
                      r"\ASR\ASROnlyExclusions")
MDM_KEY = r"HKLM\SOFTWARE\Microsoft\PolicyManager\current\device\Defender"

# One line per rule and per exclusion: the default table view of Get-MpPreference truncates lists
# ("{a, b, c, d...}"), so the script prints every entry itself.
MP_SCRIPT = (
    "$p = Get-MpPreference; $i = @($p.AttackSurfaceReductionRules_Ids); "
    "$a = @($p.AttackSurfaceReductionRules_Actions); "
    "for ($k = 0; $k -lt $i.Count; $k++) { 'rule ' + $i[$k] + ' ' + $a[$k] }; "
    "foreach ($e in @($p.AttackSurfaceReductionOnlyExclusions)) { 'exclude ' + $e }"
)
MP_COMMAND = ("powershell.exe", "-NoProfile", "-NonInteractive", "-Command", MP_SCRIPT)

_GUID = r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?"


def system_runner(argv: Sequence[str]) -> str | None:
    """Run a Windows command quietly (no console window); its stdout, or None when it failed."""
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=30, check=False,
                              creationflags=flags, encoding="utf-8", errors="replace")
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_zone_identifier(path: Path) -> str | None:
    """The workbook's Zone.Identifier stream (NTFS alternate data stream), or None when it has none."""
    try:
        with open(f"{path}:Zone.Identifier", encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


# ── parsing what the commands print ───────────────────────────────────────────────────────────────

def parse_mp_preference(text: str) -> tuple[dict[str, int], list[str]]:
    """``MP_SCRIPT``'s output → ({rule id: action}, exclusions). Exclusions a standard user may not
    read come back as "N/A: Must be an administrator ..." and are left out."""
    rules: dict[str, int] = {}
    exclusions: list[str] = []
    for line in text.splitlines():
        m = re.match(rf"\s*rule\s+{_GUID}\s+(\d+)\s*$", line)
        if m:
            rules[m.group(1).lower()] = int(m.group(2))
            continue
        m = re.match(r"\s*exclude\s+(.+?)\s*$", line)
        if m and not m.group(1).upper().startswith("N/A"):
            exclusions.append(m.group(1))
    return rules, exclusions


def parse_reg_rules(text: str) -> dict[str, int]:
    """``reg query <GPO_RULES_KEY>``: one value per rule, named by its id, data the action."""
    rules: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(rf"\s*{_GUID}\s+REG_(?:SZ|DWORD)\s+(0x[0-9a-fA-F]+|\d+)\s*$", line)
        if m:
            rules[m.group(1).lower()] = int(m.group(2), 0)
    return rules


def parse_reg_values(text: str) -> list[str]:
    """``reg query <key>``: the value names (ASROnlyExclusions names each excluded path)."""
    names = []
    for line in text.splitlines():
        m = re.match(r"\s{2,}(.+?)\s{2,}REG_\w+\s+.*$", line)
        if m:
            names.append(m.group(1))
    return names


def parse_mdm_rules(text: str) -> dict[str, int]:
    """Intune: ``AttackSurfaceReductionRules    REG_SZ    {id}=1|{id}=2``."""
    rules: dict[str, int] = {}
    for m in re.finditer(rf"{_GUID}\s*=\s*(\d+)", text):
        rules[m.group(1).lower()] = int(m.group(2))
    return rules


def zone_id(text: str | None) -> int | None:
    if not text:
        return None
    m = re.search(r"^\s*ZoneId\s*=\s*(\d+)", text, re.MULTILINE | re.IGNORECASE)
    return int(m.group(1)) if m else None


# ── the checks ────────────────────────────────────────────────────────────────────────────────────

def asr_state(run: Runner) -> tuple[int | None, list[str], str]:
    """(action of the child-process rule or None when unknown, ASR exclusions, where it was read)."""
    out = run(MP_COMMAND)
    if out is not None:
        rules, exclusions = parse_mp_preference(out)
        if rules or exclusions or out.strip() == "":
            return rules.get(ASR_CHILD_PROCESS, 0), exclusions, "Get-MpPreference"
    gpo, mdm = run(("reg", "query", GPO_RULES_KEY)), run(("reg", "query", MDM_KEY, "/v", "AttackSurfaceReductionRules"))
    excl = run(("reg", "query", GPO_EXCLUSIONS_KEY))
    exclusions = parse_reg_values(excl) if excl else []
    for text, parse, where in ((gpo, parse_reg_rules, "group policy"), (mdm, parse_mdm_rules, "Intune")):
        if text is not None and ASR_CHILD_PROCESS in parse(text):
            return parse(text)[ASR_CHILD_PROCESS], exclusions, where
    if gpo is None and mdm is None:
        return None, exclusions, ""
    return 0, exclusions, "registry"


def check_asr(run: Runner, python: str = sys.executable) -> Check:
    action, exclusions, where = asr_state(run)
    rule_zh = "Defender 攻击面减少规则“阻止所有 Office 应用程序创建子进程”"
    rule_en = 'Defender attack-surface-reduction rule "Block all Office applications from creating child processes"'
    if action is None:
        return Check("asr_office_child", SKIP, f"无法读取 {rule_zh} 的设置", f"could not read the {rule_en} setting")
    name = ACTIONS.get(action, str(action))
    if action in (0, 5):
        return Check("asr_office_child", OK, f"{rule_zh}未启用", f"the {rule_en} is not enabled")
    if action == 2:
        return Check("asr_office_child", OK, f"{rule_zh}为审核模式（只记录，不阻止）",
                     f"the {rule_en} is in audit mode (logged, not blocked)")
    low = [e.lower() for e in exclusions]
    covered = [e for e, lo in zip(exclusions, low) if lo and (lo.endswith(("cmd.exe", "python.exe", "pythonw.exe"))
                                                              or python.lower().startswith(lo.rstrip("\\*")))]
    fix_zh = ("请 IT 任选其一：把该规则改为审核（2）或警告（6）模式；或为该规则添加排除（按钮由 Excel 启动 "
              f"cmd.exe 再启动 Python：{python}）；或在 Excel 之外使用命令行 xlperf（不受此规则影响）。"
              "详见 INSTALL.md 第 6 节。")
    fix_en = ("Ask IT for one of: the rule in audit (2) or warn (6) mode; an exclusion for it (the buttons make "
              f"Excel start cmd.exe, which starts Python: {python}); or use the xlperf command line outside Excel "
              "(not affected). See INSTALL.md, section 6.")
    where_zh = f"（来源：{where}）" if where else ""
    where_en = f" (from {where})" if where else ""
    if action == 6:
        return Check("asr_office_child", WARN, f"{rule_zh}为警告模式{where_zh}：点按钮时 Windows 会提示，选择“解除阻止”后才能运行",
                     f"the {rule_en} is in warn mode{where_en}: Windows asks on each button; choose Unblock to run",
                     fix_zh, fix_en)
    if covered:
        return Check("asr_office_child", WARN,
                     f"{rule_zh}处于阻止模式{where_zh}，但已排除：{'; '.join(covered)}。如按钮仍报“Permission denied”，请 IT 核对排除项",
                     f"the {rule_en} blocks{where_en}, with exclusions: {'; '.join(covered)}. If the buttons still fail "
                     "with \"Permission denied\", ask IT to check the exclusions", fix_zh, fix_en)
    return Check("asr_office_child", ERROR,
                 f"{rule_zh}处于阻止模式（{name}）{where_zh}：功能区按钮无法启动 Python（报错 Permission denied / 70 / 1000）",
                 f"the {rule_en} is in block mode{where_en}: the ribbon buttons cannot start Python "
                 "(error Permission denied / 70 / 1000)", fix_zh, fix_en)


def check_mark_of_the_web(book: Path | None, read: ZoneReader = read_zone_identifier) -> Check:
    if book is None:
        return Check("mark_of_the_web", SKIP, "未指定工作簿，未检查“来自网络”标记", "no workbook given: Mark of the Web not checked")
    zone = zone_id(read(book))
    if zone is None or zone < 3:
        return Check("mark_of_the_web", OK, f"{book.name} 没有“来自网络”标记", f"{book.name} has no Mark of the Web")
    origin_zh, origin_en = ("互联网", "the Internet") if zone == 3 else ("不受信任的站点", "an untrusted site")
    return Check("mark_of_the_web", ERROR,
                 f"{book.name} 带有“来自网络”标记（ZoneId={zone}，{origin_zh}）：Office 会阻止其中的宏，按钮无法使用",
                 f"{book.name} carries the Mark of the Web (ZoneId={zone}, {origin_en}): Office blocks its macros "
                 "and the buttons do not work",
                 "关闭 Excel，右键该文件 → 属性 → 勾选“解除锁定” → 确定；或在 PowerShell 运行 Unblock-File；"
                 "或把它放在 IT 设定的受信任位置。",
                 "Close Excel, right-click the file → Properties → tick Unblock → OK; or run Unblock-File in "
                 "PowerShell; or keep it in a trusted location IT has set up.")


def windows_checks(book: Path | None, run: Runner | None = None, read: ZoneReader | None = None,
                   python: str = sys.executable) -> list[Check]:
    return [check_asr(run or system_runner, python), check_mark_of_the_web(book, read or read_zone_identifier)]


def skipped_checks() -> list[Check]:
    note_zh, note_en = "仅在 Windows 上检查", "checked on Windows only"
    return [Check("asr_office_child", SKIP, f"Defender 攻击面减少规则：{note_zh}", f"Defender ASR rule: {note_en}"),
            Check("mark_of_the_web", SKIP, f"“来自网络”标记：{note_zh}", f"Mark of the Web: {note_en}")]
