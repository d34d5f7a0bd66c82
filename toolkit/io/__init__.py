"""The I/O layer: the only package that touches files and the Excel libraries.

Everything above it (schedule, survey, score, reports, cli) receives plain Python data
(``Table``s of cell values) and hands plain data back to be written.
"""

from toolkit.io.atomic import atomic_output, check_output_path, make_backup
from toolkit.io.read import Table, open_workbook, read_table, read_tables
from toolkit.io.sniff import FileKind, sniff

__all__ = [
    "FileKind",
    "Table",
    "atomic_output",
    "check_output_path",
    "make_backup",
    "open_workbook",
    "read_table",
    "read_tables",
    "sniff",
]
