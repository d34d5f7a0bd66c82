"""Checks an .xls (BIFF8 or BIFF5 in an OLE2 compound file) must pass before calamine reads it.

calamine reads a whole .xls when it opens it, trusting what the file declares: the length of
its allocation tables, sector chains that may loop, a DIMENSIONS record's range, and the
positions of cells. A 32 KB file with a looping chain or a cell at row 65535, column 65535
makes it allocate gigabytes and abort the process — no exception to catch. So the compound
file is walked here first, every chain checked for loops and for sectors beyond the end of
the file, and every worksheet's records scanned for the range calamine would allocate.

The scan also finds error cells (#DIV/0!, #N/A…), which calamine reads as blank.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.io.guards import SheetScan
from toolkit.io.limits import DEFAULT, Limits
from toolkit.problems import SvcqError

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RESERVED = 0xFFFFFFFA
_DIFSECT = 0xFFFFFFFC
_ENDOFCHAIN = 0xFFFFFFFE
#: The stream names calamine tries, in its order.
_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")
#: BIFF8's grid: a DIMENSIONS record beyond it is not from Excel.
_GRID_CELLS = 65_536 * 256
#: BoolErr / Formula error codes (MS-XLS 2.5.10 Bes).
ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
               0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
#: records holding one cell, row and column in their first four bytes
_CELL_RECORDS = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}


@dataclass
class XlsScan:
    """Per sheet, in BoundSheet order (the order calamine lists them): its extent, and its
    error cells as {(row, col) 0-based: "#DIV/0!"}."""

    sheets: list[SheetScan] = field(default_factory=list)
    errors: list[dict[tuple[int, int], str]] = field(default_factory=list)


class _Corrupt(Exception):
    pass


def check_xls(path: Path, limits: Limits = DEFAULT) -> XlsScan:
    """Raise SvcqError for an .xls calamine must not be given; else what its sheets hold."""
    data = path.read_bytes()
    try:
        stream = _workbook_stream(data)
        return _scan_biff(stream, path, limits)
    except _Corrupt as exc:
        raise SvcqError(f"檔案已損毀或不完整（.xls 結構錯誤：{exc}），請重新取得原檔或用 Excel 另存新檔",
                        file=path, code="corrupt-file") from None
    except (struct.error, IndexError):
        raise SvcqError("檔案已損毀或不完整（.xls 結構錯誤），請重新取得原檔或用 Excel 另存新檔",
                        file=path, code="corrupt-file") from None


# -- the compound file --------------------------------------------------------------------

def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at: at + 4], "little")


class _Compound:
    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_SIGNATURE):
            raise _Corrupt("檔頭不完整")
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12) or struct.unpack_from("<H", data, 32)[0] != 6:
            raise _Corrupt("磁區大小不正確")
        self.data = data
        self.size = 1 << shift
        self.version = struct.unpack_from("<H", data, 26)[0]
        self.count = len(data) // self.size - 1  # sectors after the header
        fat_len = _u32(data, 44)
        # calamine reserves memory by these declared lengths before reading a byte
        if fat_len > self.count + 1:
            raise _Corrupt("配置表長度與檔案大小不符")
        if _u32(data, 62) > self.count * 128 + (1 << 16):  # calamine reads this word as a length
            raise _Corrupt("迷你配置表長度與檔案大小不符")
        difat = list(struct.unpack_from("<109I", data, 76))
        seen: set[int] = set()
        sector = _u32(data, 68)
        while sector < _RESERVED:
            if sector in seen or sector >= self.count:
                raise _Corrupt("DIFAT 鏈結循環或超出檔案")
            seen.add(sector)
            words = struct.unpack_from(f"<{self.size // 4}I", self._sector(sector))
            difat.extend(words[:-1])
            sector = words[-1]
        self.fat: list[int] = []
        for sector in difat:
            if sector >= _DIFSECT:
                continue
            if sector >= self.count:
                raise _Corrupt("配置表磁區超出檔案")
            self.fat.extend(struct.unpack_from(f"<{self.size // 4}I", self._sector(sector)))
        self.dirs = self._chain(_u32(data, 48), what="目錄")
        if len(self.dirs) < 128:
            raise _Corrupt("沒有目錄")
        root_start, root_len = self._entry(0)[1:]
        mini_len = _u32(data, 64)
        if mini_len:
            self.ministream = self._chain(root_start, root_len, what="迷你資料流")
            minifat = self._chain(_u32(data, 60), mini_len * self.size, what="迷你配置表")
            self.minifat = list(struct.unpack_from(f"<{len(minifat) // 4}I", minifat))
        else:
            self.ministream, self.minifat = b"", []

    def _sector(self, n: int) -> bytes:
        start = (n + 1) * self.size
        return self.data[start: start + self.size]

    def _chain(self, start: int, limit: int | None = None, *, what: str) -> bytes:
        """The bytes of a chain of sectors, refusing loops, sectors beyond the end of the file
        and entries beyond the allocation table (where calamine would loop or panic)."""
        out, seen, sector = [], set(), start
        got = 0
        while sector != _ENDOFCHAIN and (limit is None or got < limit):
            if sector in seen or sector >= self.count or sector >= len(self.fat):
                raise _Corrupt(f"{what}的磁區鏈結循環或超出檔案")
            seen.add(sector)
            out.append(self._sector(sector))
            got += self.size
            sector = self.fat[sector]
        data = b"".join(out)
        return data if limit is None else data[:limit]

    def _entry(self, n: int) -> tuple[str, int, int]:
        raw = self.dirs[n * 128:(n + 1) * 128]
        name = raw[:64].decode("utf-16-le", "replace").split("\0", 1)[0]
        size = _u32(raw, 120) if self.version == 3 or self.size == 512 else struct.unpack_from("<Q", raw, 120)[0]
        return name, _u32(raw, 116), size

    def stream(self, name: str) -> bytes | None:
        for n in range(len(self.dirs) // 128):
            entry, start, size = self._entry(n)
            if entry != name:
                continue
            if size < 4096:
                return self._mini_chain(start, size)
            return self._chain(start, size, what="活頁簿資料流")
        return None

    def _mini_chain(self, start: int, size: int) -> bytes:
        out, seen, sector = [], set(), start
        got = 0
        while sector != _ENDOFCHAIN and got < size:
            if sector in seen or sector >= len(self.minifat) or (sector + 1) * 64 > len(self.ministream):
                raise _Corrupt("迷你磁區鏈結循環或超出檔案")
            seen.add(sector)
            out.append(self.ministream[sector * 64:(sector + 1) * 64])
            got += 64
            sector = self.minifat[sector]
        return b"".join(out)[:size]


def _workbook_stream(data: bytes) -> bytes:
    compound = _Compound(data)
    for name in _STREAMS:
        stream = compound.stream(name)
        if stream is not None:
            return stream
    raise _Corrupt("找不到活頁簿資料流（這可能是 Word 或其他 Office 檔）")


# -- the BIFF records ---------------------------------------------------------------------

def _records(stream: bytes, at: int) -> Iterator[tuple[int, bytes]]:
    """(type, data) of each record from ``at``; CONTINUE records are yielded as they come."""
    while at + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > len(stream):
            raise _Corrupt("記錄長度超出資料流")
        yield typ, stream[at + 4: at + 4 + length]
        at += 4 + length


def _scan_biff(stream: bytes, path: Path, limits: Limits) -> XlsScan:
    positions = []
    for typ, data in _records(stream, 0):
        if typ == 0x0085:  # BoundSheet8
            if len(data) < 4:
                raise _Corrupt("工作表清單不完整")
            positions.append(_u32(data, 0))
            if len(positions) > limits.max_sheets:
                raise SvcqError(f"活頁簿的工作表超過上限 {limits.max_sheets} 個", file=path,
                                code="too-many-sheets")
        elif typ == 0x000A:  # EOF of the globals
            break
    scan = XlsScan()
    for n, pos in enumerate(positions):
        if pos >= len(stream):
            raise _Corrupt("工作表位置超出資料流")
        sheet, errors = _scan_sheet(stream, pos, f"#{n + 1}")
        scan.sheets.append(sheet)
        scan.errors.append(errors)
        if sheet.cells_bound > limits.max_cells:
            raise SvcqError(f"工作表的使用範圍過大（約 {sheet.height_bound:,} 列 × {sheet.width_bound:,} 欄，"
                            f"上限 {limits.max_cells:,} 格），檔案可能已損毀", file=path,
                            code="sheet-too-large")
    return scan


def _scan_sheet(stream: bytes, pos: int, label: str) -> tuple[SheetScan, dict[tuple[int, int], str]]:
    sheet = SheetScan(label)
    errors: dict[tuple[int, int], str] = {}
    depth, seen_bof, formula_at = 0, False, None
    rows: list[int] = []
    cols: list[int] = []
    for typ, data in _records(stream, pos):
        if typ == 0x0809:  # BOF: the sheet's own, then nested substreams (charts)
            depth += seen_bof
            seen_bof = True
            continue
        if typ == 0x000A:
            if depth == 0:
                break
            depth -= 1
            continue
        if typ == 0x0200:
            _check_dimensions(data)
        elif typ in _CELL_RECORDS and len(data) >= 4:
            row, col = struct.unpack_from("<HH", data, 0)
            rows.append(row)
            cols.append(col)
            if depth:
                continue
            if typ == 0x0205 and len(data) >= 8 and data[7] == 1:
                errors[(row, col)] = ERROR_CODES.get(data[6], "#VALUE!")
            elif typ == 0x0006 and len(data) >= 14:
                formula_at = (row, col)
                if data[6] == 2 and data[12:14] == b"\xff\xff":
                    errors[(row, col)] = ERROR_CODES.get(data[8], "#VALUE!")
        elif typ == 0x00BD and len(data) >= 6:  # MulRk: a run of cells in one row
            row, first = struct.unpack_from("<HH", data, 0)
            last = struct.unpack_from("<H", data, len(data) - 2)[0]
            rows.append(row)
            cols.extend((first, max(first, last)))
        elif typ == 0x0207 and formula_at is not None:
            rows.append(formula_at[0])
            cols.append(formula_at[1])
    if rows:
        # calamine allocates the bounding box of the cells: counted from A1, as for xlsx
        sheet.max_row, sheet.max_col = max(rows) + 1, max(cols) + 1
    return sheet, errors


def _check_dimensions(data: bytes) -> None:
    """calamine reserves room for the range a DIMENSIONS record declares (with wrap-around
    arithmetic when the range is reversed): beyond BIFF8's grid is a forged or broken file."""
    if len(data) == 14:
        rf, rl = struct.unpack_from("<II", data, 0)
        cf, cl = struct.unpack_from("<HH", data, 8)
    elif len(data) == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", data, 0)
    else:
        return
    if cf > 0xFF or cl < cf:
        cf = 0
    if rl >= 1 and cl >= 1:
        rows = ((rl - 1 - rf) & 0xFFFFFFFF) + 1
        cols = ((cl - 1 - cf) & 0xFFFFFFFF) + 1
        if rows * cols > _GRID_CELLS:
            raise _Corrupt("工作表宣告的範圍超出 Excel 97–2003 的上限")
