"""The workbook contract, declared once: input tables, settings and output tables."""

from .outputs import OUTPUT_TABLES, OUTPUTS_BY_NAME
from .schema import Field, FieldType, Ref, Setting, Table, normalise_header
from .tables import INPUT_TABLES, SETTINGS, SETTINGS_BY_KEY, TABLES_BY_NAME

__all__ = [
    "Field", "FieldType", "Ref", "Setting", "Table", "normalise_header",
    "INPUT_TABLES", "TABLES_BY_NAME", "SETTINGS", "SETTINGS_BY_KEY", "OUTPUT_TABLES", "OUTPUTS_BY_NAME",
]
