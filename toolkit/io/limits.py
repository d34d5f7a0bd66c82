"""Limits on what svcq will open: large enough for any real office file, small enough that a
hostile one cannot exhaust memory or time. Override per call where a benchmark needs more."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 512 * 1024**2
    max_members: int = 5_000
    max_member_bytes: int = 1024**3  # one inflated part (a 200,000-row sheet is ~150 MB)
    max_total_bytes: int = 2 * 1024**3
    max_ratio: float = 200.0  # inflated / compressed for members over 1 MB
    max_sheets: int = 500
    max_rows: int = 1_048_576
    #: calamine allocates the bounding box of a sheet's cells (~32 bytes each) before
    #: returning any: 12 M cells is 600,000 rows × 20 columns and stays well under 1 GiB.
    max_cells: int = 12_000_000
    #: shared strings are held in memory all at once (~40 bytes each beyond their text)
    max_strings: int = 5_000_000
    max_strings_bytes: int = 256 * 1024**2
    max_csv_bytes: int = 200 * 1024**2  # a CSV becomes Python strings: ~10× its size in memory


DEFAULT = Limits()
