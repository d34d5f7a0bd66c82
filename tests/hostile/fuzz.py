"""A bounded mutation fuzzer for the input gate and the cell writer (issue 16).

    python tests/hostile/fuzz.py --seed 1234 --seconds 20 --work DIR

Mutates samples (svcq's own samples/ and generated .xls, .ods, CSV, HTML, SpreadsheetML,
single-quoted xlsx) at three depths — raw bytes, the XML inside a zip (re-zipped so the CRC
is right and the parsers are reached), the BIFF records inside an .xls (re-wrapped in a
valid compound file) — and checks for each mutant:

* reading it ends in a table or in SvcqError, nothing else (no other exception, no abort);
* writing a cell into it ends in a file, SvcqError or ProblemsFound; and a file the readers
  accepted before the write, they accept after it.

Each attempt is announced before it runs (``{"try": i, …}``) and its mutant kept as
``DIR/current.*``, so a crash that kills the process is still named with the seed and the
attempt number; the same seed replays the same attempts. Prints one JSON line per failure
and a summary line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
import traceback
import zipfile
from pathlib import Path

from hostile.make_corpus import _ods, good_xlsx, raw_xlsx
from hostile.xls import XlsError, cfb, workbook_stream
from toolkit.io.patch import patch_cells
from toolkit.io.read import open_workbook
from toolkit.problems import ProblemsFound, SvcqError

REPO = Path(__file__).resolve().parents[2]
SURVEY = [["性別", "1.服務態度", "2.等候時間"], ["男", "非常滿意", "滿意"], ["女", "滿意", "普通"],
          ["女", "普通", "非常滿意"], ["男", "不滿意", 3]]
INTERESTING = [b"0", b"-1", b"99999999999", b"1048576", b"1048577", b"XFD", b"XFE", b"\xff\xff\xff\xff",
               b"'", b'"', b">", b"<", b"&", b"<!DOCTYPE x>", b"\x00", b"65535", b"2147483647"]


def samples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [good_xlsx(folder / "good.xlsx")]
    for rel in ("survey/滿意度調查-113.xlsx", "schedule/returned/人事室.xlsx", "score/自評表-113.xlsx",
                "survey/滿意度調查-111.csv"):
        src = REPO / "samples" / rel
        if src.exists():
            out.append(Path(shutil.copy2(src, folder / src.name)))
    rows = "".join(f"<row r='{r + 1}'>" + "".join(
        f"<c r='{chr(65 + c)}{r + 1}' t='inlineStr'><is><t>{v}</t></is></c>" for c, v in enumerate(row))
        + "</row>" for r, row in enumerate(SURVEY))
    out.append(raw_xlsx(folder / "quotes.xlsx", [("回覆", f"<sheetData>{rows}</sheetData>")]))
    xls_rows = [*SURVEY, ["女", XlsError("#N/A"), 2.5]]
    (folder / "old.xls").write_bytes(cfb({"Workbook": workbook_stream([("回覆", xls_rows), ("二", SURVEY)])}))
    out.append(folder / "old.xls")
    cells = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>" for row in SURVEY)
    out.append(_ods(folder / "sheet.ods", cells))
    (folder / "page.html").write_text("<html><body><table>" + "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in SURVEY) + "</table></body></html>",
        encoding="utf-8")
    out.append(folder / "page.html")
    (folder / "ss.xml").write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="回覆"><Table>'
        + "".join("<Row>" + "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in row) + "</Row>"
                  for row in SURVEY) + "</Table></Worksheet></Workbook>", encoding="utf-8")
    out.append(folder / "ss.xml")
    return out


# -- mutations ---------------------------------------------------------------------------

def mutate_bytes(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    b = bytearray(data)
    kind = rng.choice(["flip", "set", "insert", "delete", "truncate", "duplicate", "interesting"])
    if not b:
        return bytes(b), "empty"
    at = rng.randrange(len(b))
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif kind == "set":
        b[at] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.randrange(256)])
    elif kind == "insert":
        b[at:at] = rng.randbytes(rng.randint(1, 16))
    elif kind == "delete":
        del b[at: at + rng.randint(1, 64)]
    elif kind == "truncate":
        del b[max(1, at):]
    elif kind == "duplicate":
        size = rng.randint(1, 256)
        b[at:at] = b[at: at + size] * rng.randint(1, 4)
    else:
        b[at: at + rng.randint(0, 4)] = rng.choice(INTERESTING)
    return bytes(b), kind


def mutate_xml(rng: random.Random, xml: bytes) -> tuple[bytes, str]:
    kind = rng.choice(["bytes", "ref", "quote", "number", "attr", "tag"])
    if kind == "ref":
        refs = [m.span(1) for m in re.finditer(rb"""\br=["']([A-Z]*\d+)["']""", xml)]
        if refs:
            a, b = rng.choice(refs)
            new = rng.choice([b"XFD1048576", b"A1048576", b"XFD1", b"A0", b"AAAA1", b"B99999999", b"1048576"])
            return xml[:a] + new + xml[b:], kind
    if kind == "quote":
        return xml.replace(b'"', b"'"), kind
    if kind == "number":
        nums = [m.span() for m in re.finditer(rb"\d+", xml)]
        if nums:
            a, b = rng.choice(nums)
            return xml[:a] + rng.choice([*INTERESTING[:7], str(rng.randrange(10**12)).encode()]) + xml[b:], kind
    if kind == "attr":
        tags = [m.end() - 1 for m in re.finditer(rb"<(?:c|row|sst|dimension|mergeCell|numFmts)\b[^>]*>", xml)]
        if tags:
            at = rng.choice(tags)
            extra = rng.choice([b' r="A1"', b" r='XFD1048576'", b' t="e"', b' s="99999"', b' count="0"',
                                b' uniqueCount="4294967296"', b' spans="1:16384"'])
            return xml[:at] + extra + xml[at:], kind
    if kind == "tag":
        at = rng.randrange(len(xml) + 1)
        return xml[:at] + rng.choice([b"<row/>", b"<c/>", b"</row>", b"<row r='1048576'/>", b"<c t='e'><v>#N/A</v></c>",
                                      b"<!-- x -->", b"<![CDATA[<c r='XFD1'>]]>"]) + xml[at:], kind
    return mutate_bytes(rng, xml)[0], "xml-bytes"


def mutate_zip(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    import io

    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        infos = zin.infolist()
    except Exception:
        return mutate_bytes(rng, data)
    target = rng.choice([i for i in infos if i.filename.endswith((".xml", ".rels"))] or infos)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in infos:
            part = zin.read(info)
            kind = ""
            if info.filename == target.filename:
                part, kind = mutate_xml(rng, part)
            zout.writestr(info.filename, part)
    return buf.getvalue(), f"zip:{target.filename}:{kind}"


def mutate_xls(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """Mutate the BIFF records, then wrap them in a sound compound file (or not)."""
    stream = workbook_stream([("回覆", [*SURVEY, ["女", XlsError("#N/A"), 2.5]]), ("二", SURVEY)])
    b = bytearray(stream)
    kind = rng.choice(["record-bytes", "record-length", "cell-position"])
    if kind == "record-bytes":
        for _ in range(rng.randint(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == "record-length":
        at = rng.randrange(0, len(b) - 4)
        b[at + 2: at + 4] = rng.randbytes(2)
    else:
        hits = [m.start() for m in re.finditer(rb"[\x03\x04\x05\x7e\xbd\xfd]\x02|\x06\x00|\x00\x02", bytes(b))]
        if hits:
            at = rng.choice(hits) + 4
            b[at: at + 4] = rng.randbytes(4)
    return cfb({"Workbook": bytes(b)}), f"xls:{kind}"


def mutant(rng: random.Random, sample: Path) -> tuple[bytes, str]:
    data = sample.read_bytes()
    depth = rng.random()
    if sample.suffix in (".xlsx", ".ods") and depth < 0.6:
        return mutate_zip(rng, data)
    if sample.suffix == ".xls" and depth < 0.6:
        return mutate_xls(rng, data)
    if sample.suffix in (".html", ".xml", ".csv") and depth < 0.6:
        return mutate_xml(rng, data)
    return mutate_bytes(rng, data)


# -- the properties ------------------------------------------------------------------------

def check(path: Path, out: Path) -> str | None:
    """None if svcq behaved; else what went wrong."""
    try:
        read_before = [t.rows for t in open_workbook(path).tables()]
    except SvcqError:
        read_before = None
    except BaseException as exc:
        return f"read: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
    if path.suffix != ".xlsx":
        return None
    out.unlink(missing_ok=True)
    try:
        patch_cells(path, {"A1": "改"} if read_before is None or len(read_before) == 1 else {"回覆!A1": "改"}, out)
    except (SvcqError, ProblemsFound):
        return None
    except BaseException as exc:
        return f"write: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=4)}"
    if read_before is None:
        return None  # the writer edits what the readers refuse to load (a far cell): its business
    try:
        list(open_workbook(out).tables())
    except SvcqError as exc:
        return f"svcq refuses its own output of a file it read: {exc}"
    except BaseException as exc:
        return f"read after write: {type(exc).__name__}: {exc}"
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--only", type=int, default=None, help="replay this attempt only")
    args = parser.parse_args()
    pool = samples(args.work / "samples")
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.seconds
    tried = failures = 0
    i = 0
    while time.monotonic() < deadline or args.only is not None:
        sample = pool[rng.randrange(len(pool))]
        data, how = mutant(rng, sample)
        i += 1
        if args.only is not None and i < args.only:
            continue
        path = args.work / f"current{sample.suffix}"
        path.write_bytes(data)
        print(json.dumps({"try": i, "sample": sample.name, "mutation": how}, ensure_ascii=False), flush=True)
        problem = check(path, args.work / "written.xlsx")
        tried += 1
        if problem:
            failures += 1
            kept = args.work / f"failure-{i}{sample.suffix}"
            kept.write_bytes(data)
            print(json.dumps({"failure": i, "sample": sample.name, "mutation": how, "problem": problem[:1500],
                              "file": str(kept)}, ensure_ascii=False), flush=True)
        if args.only is not None:
            break
    print(json.dumps({"done": tried, "failures": failures, "seed": args.seed}), flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
