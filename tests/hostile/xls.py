"""A minimal .xls writer (BIFF8 in an OLE2 compound file) for generated test inputs: real
enough for calamine and LibreOffice to read, small enough to corrupt on purpose.

    data = xls_bytes([("回覆", [["性別", "1.服務態度"], ["男", "非常滿意"]])])

Cells are text (Label), numbers (Number) or ``XlsError("#DIV/0!")`` (BoolErr). ``records``
lets a test append raw records to a sheet (a lying DIMENSIONS, a far cell), ``cfb`` builds
the container from raw streams and ``chain`` lets a test point sectors anywhere (loops).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

SECTOR = 512
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D,
               "#NUM!": 0x24, "#N/A": 0x2A}


@dataclass(frozen=True)
class XlsError:
    code: str


def record(typ: int, data: bytes) -> bytes:
    return struct.pack("<HH", typ, len(data)) + data


def _bof(kind: int) -> bytes:
    return record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _ustring16(text: str) -> bytes:
    """XLUnicodeString: cch u16, fHighByte, UTF-16LE."""
    return struct.pack("<HB", len(text), 1) + text.encode("utf-16-le")


def cell_records(rows: list[list[object]]) -> list[bytes]:
    out = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            head = struct.pack("<HHH", r, c, 15)
            if isinstance(value, XlsError):
                out.append(record(0x0205, head + bytes([ERROR_CODES[value.code], 1])))
            elif isinstance(value, int | float):
                out.append(record(0x0203, head + struct.pack("<d", float(value))))
            else:
                out.append(record(0x0204, head + _ustring16(str(value))))
    return out


def dimensions(rows: int, cols: int, first_row: int = 0, first_col: int = 0) -> bytes:
    return record(0x0200, struct.pack("<IIHHH", first_row, rows, first_col, cols, 0))


def workbook_stream(sheets: list[tuple[str, list[list[object]]]], *,
                    records: dict[str, list[bytes]] | None = None) -> bytes:
    bodies = []
    for name, rows in sheets:
        width = max((len(r) for r in rows), default=0)
        body = (_bof(0x0010) + dimensions(len(rows), width) + b"".join(cell_records(rows))
                + b"".join((records or {}).get(name, [])) + record(0x000A, b""))
        bodies.append(body)
    def globals_(offsets: list[int]) -> bytes:
        bound = b"".join(record(0x0085, struct.pack("<IBB", off, 0, 0) + struct.pack("<BB", len(name), 1)
                                + name.encode("utf-16-le"))
                         for off, (name, _) in zip(offsets, sheets, strict=True))
        return _bof(0x0005) + record(0x0042, struct.pack("<H", 1200)) + bound + record(0x000A, b"")
    size = len(globals_([0] * len(sheets)))
    offsets = []
    for body in bodies:
        offsets.append(size)
        size += len(body)
    return globals_(offsets) + b"".join(bodies)


def cfb(streams: dict[str, bytes], *, chain: dict[int, int] | None = None) -> bytes:
    """An OLE2 container (version 3, 512-byte sectors) holding ``streams``, each padded to
    4096 bytes so none lives in the mini stream. ``chain`` overrides FAT entries."""
    names = list(streams)
    datas = [s + bytes(max(0, 4096 - len(s))) for s in streams.values()]
    sizes = [len(d) for d in datas]
    stream_sectors = [-(-n // SECTOR) for n in sizes]
    n_dir = -(-(len(names) + 1) // 4)
    total = n_dir + sum(stream_sectors)
    n_fat = 1
    while n_fat * (SECTOR // 4) < total + n_fat:
        n_fat += 1
    fat = [FREESECT] * (n_fat * SECTOR // 4)
    for i in range(n_fat):
        fat[i] = FATSECT
    first_dir = n_fat
    for i in range(n_dir):
        fat[first_dir + i] = first_dir + i + 1 if i < n_dir - 1 else ENDOFCHAIN
    starts, at = [], first_dir + n_dir
    for count in stream_sectors:
        starts.append(at)
        for i in range(count):
            fat[at + i] = at + i + 1 if i < count - 1 else ENDOFCHAIN
        at += count
    for sector, nxt in (chain or {}).items():
        fat[sector] = nxt

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", NOSTREAM, NOSTREAM, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<III", start, size, 0))

    # the streams hang off the root as a right-leaning chain of siblings
    dirs = [entry("Root Entry", 5, 1 if names else NOSTREAM, ENDOFCHAIN, 0)]
    for i, name in enumerate(names):
        e = bytearray(entry(name, 2, NOSTREAM, starts[i], sizes[i]))
        if i + 1 < len(names):
            struct.pack_into("<I", e, 72, i + 2)
        dirs.append(bytes(e))
    directory = b"".join(dirs).ljust(n_dir * SECTOR, b"\0")
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, 4096, ENDOFCHAIN, 0,
                                       ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    body += b"".join(d.ljust(c * SECTOR, b"\0") for d, c in zip(datas, stream_sectors, strict=True))
    return header + body


def xls_bytes(sheets: list[tuple[str, list[list[object]]]], **kw) -> bytes:
    return cfb({"Workbook": workbook_stream(sheets, **kw)})
