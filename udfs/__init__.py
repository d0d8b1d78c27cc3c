"""xlperf's worksheet functions for Excel (xlwings UDFs): XP_SCORE, XP_TOTAL, XP_GRADE, XP_EXPLAIN, XP_BONUS.

The template's generated VBA wrappers call ``XLPy.CallUDF("udfs", "<NAME>", ...)``, which imports this
package and looks each function up by its Excel name, so they must stay importable under these names.
"""

from .functions import UDFS, XP_BONUS, XP_EXPLAIN, XP_GRADE, XP_SCORE, XP_TOTAL

__all__ = ["UDFS", "XP_BONUS", "XP_EXPLAIN", "XP_GRADE", "XP_SCORE", "XP_TOTAL"]
