"""xlperf: 劳务外包绩效管理 in Excel — the workbook contract, the scoring engine and its two doors
(files on the command line, and the open workbook through xlwings)."""

__version__ = "0.1.0"
