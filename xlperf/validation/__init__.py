"""Validation: a RawBook in, typed Inputs and a Report of every finding out, in one pass.

    inputs, report = validate(raw)            # messages in the workbook's language
    inputs, report = validate(raw, lang="en")
    report.flatten()  # [(sheet, cell, code), ...]
    frames = typed_tables(raw, ["indicators"])  # a few tables as validation reads them (the UDFs)

``CODES`` is the catalogue of finding codes (code → severity, zh/en message and hint); see
docs/VALIDATION.md. Each check lives in ``xlperf.validation.checks.<name>`` and declares its codes.
"""

from .codes import CODES, Code
from .run import validate
from .tables import typed_tables

__all__ = ["CODES", "Code", "typed_tables", "validate"]
