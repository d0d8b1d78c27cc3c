"""Validation: a RawBook in, typed Inputs and a Report of every finding out, in one pass.

    inputs, report = validate(raw)            # messages in the workbook's language
    inputs, report = validate(raw, lang="en")
    report.flatten()  # [(sheet, cell, code), ...]

``CODES`` is the catalogue of finding codes (code → severity, zh/en message and hint); see
docs/VALIDATION.md. Each check lives in ``xlperf.validation.checks.<name>`` and declares its codes.
"""

from .codes import CODES, Code
from .run import validate

__all__ = ["CODES", "Code", "validate"]
