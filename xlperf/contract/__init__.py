"""The workbook contract, declared once: input tables, settings and output tables."""

from .outputs import OUTPUT_TABLES, OUTPUTS_BY_NAME
from .schema import Field, FieldType, Ref, Setting, Table, normalise_header
from .tables import INPUT_TABLES, SETTINGS, SETTINGS_BY_KEY, TABLES_BY_NAME

__all__ = [
    "INPUT_TABLES",
    "OUTPUTS_BY_NAME",
    "OUTPUT_TABLES",
    "SETTINGS",
    "SETTINGS_BY_KEY",
    "TABLES_BY_NAME",
    "Field",
    "FieldType",
    "Ref",
    "Setting",
    "Table",
    "normalise_header",
]
