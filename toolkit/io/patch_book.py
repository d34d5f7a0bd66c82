"""The workbook-level parts a cell patch may have to touch: workbook.xml (sheet list, date
system, recalculation flag), its relationships, [Content_Types].xml, calcChain.xml and
styles.xml (a date format for a date written into a General cell).

Parts are read with defusedxml and edited as text, by insertion, so everything svcq does not
change keeps its bytes, prefixes and attribute order.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET

from toolkit.io import xmlattr
from toolkit.problems import SvcqError
from toolkit.sheetkit.cells import quote_sheet

_REL_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           "http://purl.oclc.org/ooxml/officeDocument/relationships")
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CALCPR_FOLLOWERS = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                     "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def root_prefix(xml: bytes, local: bytes) -> bytes:
    """The namespace prefix (``b''`` or ``b'x:'``) the part's root element is written with."""
    m = re.search(rb"<([A-Za-z_][\w.-]*:)?" + local + rb"[\s>/]", xml)
    return (m.group(1) or b"") if m else b""


def parse_xml(xml: bytes, part: str, path: Path) -> Any:  # an ElementTree Element
    try:
        return DET.fromstring(xml)
    except Exception:
        raise SvcqError(f"活頁簿內的 {part} 已損毀，無法解析", file=path, code="corrupt-file") from None


@dataclass(eq=False)
class Sheet:
    name: str
    sheet_id: int
    rid: str
    part: str  # zip member name
    kind: str  # worksheet, chartsheet, dialogsheet, macrosheet
    new: bool = False


@dataclass
class Book:
    """What a patch needs to know about the package, plus its pending edits to small parts."""

    path: Path
    names: list[str]
    workbook_part: str
    workbook_xml: bytes
    rels_part: str
    rels_xml: bytes
    content_types: bytes
    sheets: list[Sheet]
    rel_targets: dict[str, tuple[str, str]]  # rId → (type, part)
    date1904: bool
    macro_enabled: bool
    changed: dict[str, bytes] = field(default_factory=dict)
    added: list[tuple[str, bytes]] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)

    def part_of_type(self, suffix: str) -> str | None:
        for typ, part in self.rel_targets.values():
            if typ.endswith("/" + suffix) and part in self.names:
                return part
        return None

    def find_sheet(self, name: str) -> Sheet | None:
        """Exact name first, then Excel's case-insensitive match."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        folded = name.casefold()
        return next((s for s in self.sheets if s.name.casefold() == folded), None)

    # -- adding a worksheet -------------------------------------------------------------

    def add_sheet(self, name: str) -> Sheet:
        taken = set(self.names) | {p for p, _ in self.added}
        n = len(self.sheets) + 1
        while f"xl/worksheets/sheet{n}.xml" in taken:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        ids = set(self.rel_targets)
        k = len(ids) + 1
        while f"rId{k}" in ids:
            k += 1
        rid = f"rId{k}"
        sheet_id = max((s.sheet_id for s in self.sheets), default=0) + 1
        sheet = Sheet(name, sheet_id, rid, part, "worksheet", new=True)
        rel_type = next((t for t, _ in self.rel_targets.values() if t.endswith("/worksheet")),
                        _REL_NS[0] + "/worksheet")
        self.rel_targets[rid] = (rel_type, part)
        self.sheets.append(sheet)

        wb = self._workbook()
        p = root_prefix(wb, b"workbook").decode()
        r = _rel_prefix(wb)
        attr = f'{r}:id="{rid}"' if r else f'xmlns:r="{_REL_NS[0]}" r:id="{rid}"'
        tag = f'<{p}sheet name="{escape(name)}" sheetId="{sheet_id}" {attr}/>'.encode()
        self._set_workbook(_insert_before_close(wb, f"</{p}sheets>".encode(), tag, "workbook.xml"))

        rels = self.changed.get(self.rels_part, self.rels_xml)
        target = posixpath.relpath(part, posixpath.dirname(self.workbook_part))
        rel = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'.encode()
        self.changed[self.rels_part] = _insert_before_close(rels, b"</Relationships>", rel, "rels")

        ct = self.changed.get("[Content_Types].xml", self.content_types)
        override = f'<Override PartName="/{part}" ContentType="{WORKSHEET_CT}"/>'.encode()
        self.changed["[Content_Types].xml"] = _insert_before_close(ct, b"</Types>", override,
                                                                   "[Content_Types].xml")
        return sheet

    def print_titles(self, sheet: Sheet, rows: int) -> None:
        """Rows 1…``rows`` of ``sheet`` print on top of every page: Excel's _xlnm.Print_Titles
        name, local to the sheet (localSheetId is its position in the sheet list)."""
        wb = self._workbook()
        p = root_prefix(wb, b"workbook").decode()
        local = self.sheets.index(sheet)
        ref = f"{quote_sheet(sheet.name)}!$1:${rows}"
        tag = f'<{p}definedName name="_xlnm.Print_Titles" localSheetId="{local}">{escape(ref)}</{p}definedName>'
        close = f"</{p}definedNames>".encode()
        if close in wb or re.search(rb"<" + re.escape(p.encode()) + rb"definedNames\s*/>", wb):
            self._set_workbook(_insert_before_close(wb, close, tag.encode(), "workbook.xml"))
            return
        # no definedNames yet: it follows sheets (and functionGroups, externalReferences)
        after = max(wb.rfind(f"</{p}{name}>".encode()) + len(f"</{p}{name}>")
                    for name in ("sheets", "functionGroups", "externalReferences"))
        if after < len(f"</{p}sheets>"):
            raise ValueError("workbook.xml: </sheets> not found")
        block = f"<{p}definedNames>{tag}</{p}definedNames>".encode()
        self._set_workbook(wb[:after] + block + wb[after:])

    # -- recalculation ------------------------------------------------------------------

    def flag_recalc(self) -> None:
        """Tell Excel/LibreOffice to recalculate every formula when the file is opened."""
        wb = self._workbook()
        p = root_prefix(wb, b"workbook")
        m = re.search(rb"<" + re.escape(p) + rb"calcPr\b([^>]*?)(/?)>", wb)
        if m:
            attrs = m.group(1)
            if xmlattr.get(attrs, b"fullCalcOnLoad") in (b"1", b"true"):
                return
            attrs = xmlattr.set_(attrs, b"fullCalcOnLoad", b"1")
            new = wb[: m.start()] + b"<" + p + b"calcPr" + attrs + m.group(2) + b">" + wb[m.end():]
        else:
            tag = b"<" + p + b'calcPr fullCalcOnLoad="1"/>'
            at = None
            for follower in _CALCPR_FOLLOWERS:
                f = re.search(rb"<" + re.escape(p) + follower.encode() + rb"[\s>/]", wb)
                if f:
                    at = f.start()
                    break
            if at is None:
                at = wb.rfind(b"</" + p + b"workbook>")
                if at < 0:
                    raise SvcqError("活頁簿的 workbook.xml 不完整", file=self.path, code="corrupt-file")
            new = wb[:at] + tag + wb[at:]
        self._set_workbook(new)

    # -- calcChain ----------------------------------------------------------------------

    def drop_calc_entries(self, removed: set[tuple[int, str]], xml: bytes) -> None:
        """Remove calcChain entries (sheetId, A1) of cells that are no longer formulas; drop
        the part (and its relationship and content type) if nothing is left."""
        part = self.part_of_type("calcChain")
        assert part is not None
        p = root_prefix(xml, b"calcChain")
        pieces: list[bytes] = []
        kept = dropped = 0
        last = 0
        current = None  # i is inherited from the previous entry when omitted
        emitted = None  # the i a reader would infer for the next kept entry
        for m in re.finditer(rb"<" + re.escape(p) + rb"c\b([^>]*?)/>", xml):
            attrs = m.group(1)
            i = xmlattr.get(attrs, b"i")
            if i is not None and i.isdigit():
                current = int(i)
            ref = xmlattr.get(attrs, b"r")
            pieces.append(xml[last: m.start()])
            last = m.end()
            if ref and (current, ref.decode("ascii", "replace")) in removed:
                dropped += 1
                continue
            kept += 1
            if not i and current is not None and emitted != current:
                pieces.append(b"<" + p + b"c" + attrs + b' i="%d"/>' % current)
            else:
                pieces.append(m.group(0))
            emitted = current
        pieces.append(xml[last:])
        if not dropped:
            return
        if kept:
            self.changed[part] = b"".join(pieces)
            return
        self.dropped.add(part)
        rid = next(k for k, (t, target) in self.rel_targets.items() if target == part)
        rels = self.changed.get(self.rels_part, self.rels_xml)
        self.changed[self.rels_part] = _drop_element(rels, b"Relationship", b"Id", rid.encode())
        ct = self.changed.get("[Content_Types].xml", self.content_types)
        self.changed["[Content_Types].xml"] = _drop_element(ct, b"Override", b"PartName",
                                                            b"/" + part.encode())

    # -- helpers --------------------------------------------------------------------------

    def _workbook(self) -> bytes:
        return self.changed.get(self.workbook_part, self.workbook_xml)

    def _set_workbook(self, xml: bytes) -> None:
        self.changed[self.workbook_part] = xml


def _rel_prefix(xml: bytes) -> str | None:
    for ns in _REL_NS:
        m = re.search(rb"""xmlns:([\w.-]+)\s*=\s*["']""" + re.escape(ns.encode()) + rb"""["']""", xml)
        if m:
            return m.group(1).decode()
    return None


def _drop_element(xml: bytes, local: bytes, key: bytes, value: bytes) -> bytes:
    """``xml`` without the first empty element ``<local …/>`` whose attribute ``key`` is
    ``value`` (whatever the quoting)."""
    for m in re.finditer(rb"<(?:[\w.-]+:)?" + local + rb"\b([^>]*?)/>", xml):
        if xmlattr.get(m.group(1), key) == value:
            return xml[: m.start()] + xml[m.end():]
    return xml


def _insert_before_close(xml: bytes, close: bytes, text: bytes, part: str) -> bytes:
    at = xml.rfind(close)
    if at < 0:
        # A self-closing container (<sheets/> never is in practice; <Types/> could be).
        open_tag = close.replace(b"</", b"<")[:-1]
        m = re.search(re.escape(open_tag) + rb"\b([^>]*)/>", xml)
        if not m:
            raise ValueError(f"{part}: {close!r} not found")
        return xml[: m.start()] + open_tag + m.group(1) + b">" + text + close + xml[m.end():]
    return xml[:at] + text + xml[at:]


def resolve_target(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def load_book(zf: zipfile.ZipFile, path: Path) -> Book:
    try:
        return _load_book(zf, path)
    except (ValueError, KeyError, LookupError, UnicodeDecodeError):  # a number that is none, a missing part
        raise SvcqError("活頁簿的結構資料（workbook.xml 或其關聯）有誤，無法安全寫入；請用 Excel 另存新檔後再試",
                        file=path, code="corrupt-file") from None


def _load_book(zf: zipfile.ZipFile, path: Path) -> Book:
    names = zf.namelist()
    root_rels = parse_xml(zf.read("_rels/.rels"), "_rels/.rels", path) if "_rels/.rels" in names else None
    workbook_part = "xl/workbook.xml"
    if root_rels is not None:
        for rel in root_rels.iter(_PKG_REL):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook_part = resolve_target("", rel.get("Target", ""))
    if workbook_part not in names:
        raise SvcqError("找不到活頁簿主體（workbook.xml），檔案可能已損毀", file=path, code="corrupt-file")
    rels_part = rels_of(workbook_part)
    if rels_part not in names:
        raise SvcqError("活頁簿缺少關聯檔（workbook.xml.rels），檔案可能已損毀", file=path,
                        code="corrupt-file")
    if "[Content_Types].xml" not in names:
        raise SvcqError("活頁簿缺少 [Content_Types].xml（套件結構不完整），寫回後 Excel 會拒絕開啟；"
                        "請先用 Excel 或 LibreOffice 開啟、另存新檔再試", file=path, code="corrupt-file")
    wb_xml = zf.read(workbook_part)
    rels_xml = zf.read(rels_part)
    ct = zf.read("[Content_Types].xml")
    targets: dict[str, tuple[str, str]] = {}
    for rel in parse_xml(rels_xml, rels_part, path).iter(_PKG_REL):
        if rel.get("TargetMode") == "External":
            continue
        targets[rel.get("Id", "")] = (rel.get("Type", ""), resolve_target(workbook_part, rel.get("Target", "")))
    wb = parse_xml(wb_xml, workbook_part, path)
    sheets = []
    for el in wb.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id" and k.startswith("{")), "")
        typ, part = targets.get(rid, ("", ""))
        sheets.append(Sheet(el.get("name", ""), int(el.get("sheetId", "0") or 0), rid, part,
                            typ.rsplit("/", 1)[-1]))
    date1904 = any(_local(el.tag) == "workbookPr" and el.get("date1904") in ("1", "true")
                   for el in wb)
    ct_root = parse_xml(ct, "[Content_Types].xml", path)
    macro = any("macroEnabled" in (el.get("ContentType") or "") for el in ct_root
                if (el.get("PartName") or "").lstrip("/") == workbook_part)
    return Book(path, names, workbook_part, wb_xml, rels_part, rels_xml, ct, sheets, targets,
                date1904, macro)


# -- styles: a date format for dates written into cells without one ----------------------

_BUILTIN_DATE_IDS = {*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59), *range(71, 82)}
DATE_CODE = "yyyy/m/d"
DATETIME_CODE = "yyyy/m/d hh:mm"


def is_date_code(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", code)
    code = re.sub(r"(?i)general|[0#?.,]E[+-]", "", code)
    return bool(re.search(r"[ymdhseg]", code, re.I))


class Styles:
    """cellXfs of styles.xml: which xf shows a date, and new xfs cloned with a date format."""

    def __init__(self, part: str | None, xml: bytes | None) -> None:
        self.part = part
        self.xml = xml
        self._cache: dict[tuple[int, bool], int] = {}
        self._columns: dict[str | None, int] = {}
        self._header: int | None = None
        self.xf_fmt: list[int] = []
        self.codes: dict[int, str] = {}
        self.max_fmt = 163
        self._xfs: list[bytes] = []
        self.p = b""
        if xml is None:
            return
        self.p = root_prefix(xml, b"styleSheet")
        p = re.escape(self.p)
        self.max_fmt = max([163, *(int(i) for i in re.findall(rb"""numFmtId\s*=\s*["'](\d+)["']""", xml))])
        fmts = re.search(rb"<" + p + rb"numFmts\b[^>]*?(?:/>|>.*?</" + p + rb"numFmts>)", xml, re.S)
        for m in re.finditer(rb"<" + p + rb"numFmt\b([^>]*)/?>", fmts.group(0) if fmts else b""):
            fid = xmlattr.get(m.group(1), b"numFmtId")
            code = xmlattr.get(m.group(1), b"formatCode")
            if fid is not None and fid.isdigit() and code is not None:
                self.codes[int(fid)] = _unescape(code.decode())
        block = self._block()
        if block:
            for m in re.finditer(rb"<" + p + rb"xf\b[^>]*?(?:/>|>.*?</" + p + rb"xf>)",
                                 xml[block[0]: block[1]], re.S):
                self._xfs.append(m.group(0))
                fid = xmlattr.get(m.group(0).split(b">", 1)[0][len(p) + 3:], b"numFmtId")
                self.xf_fmt.append(int(fid) if fid is not None and fid.isdigit() else 0)

    def _block(self) -> tuple[int, int] | None:
        assert self.xml is not None
        p = re.escape(self.p)
        m = re.search(rb"<" + p + rb"cellXfs\b[^>]*>", self.xml)
        if not m or m.group(0).endswith(b"/>"):
            return None
        end = self.xml.find(b"</" + self.p + b"cellXfs>", m.end())
        return (m.end(), end) if end > 0 else None

    def shows_date(self, s: int) -> bool:
        if not 0 <= s < len(self.xf_fmt):
            return False
        fid = self.xf_fmt[s]
        return fid in _BUILTIN_DATE_IDS or (fid in self.codes and is_date_code(self.codes[fid]))

    def date_style(self, s: int, with_time: bool) -> int:
        """``s`` if it already shows a date, else the index of a copy of ``s`` that does."""
        if self.xml is None or not self._xfs or self.shows_date(s):
            return s
        key = (s, with_time)
        if key in self._cache:
            return self._cache[key]
        code = DATETIME_CODE if with_time else DATE_CODE
        fid = self._num_fmt(code)
        base = self._xfs[s] if 0 <= s < len(self._xfs) else self._xfs[0]
        head, sep, rest = base.partition(b">") if not base.endswith(b"/>") else (base[:-2], b"/>", b"")
        head = xmlattr.set_(xmlattr.set_(head, b"numFmtId", b"%d" % fid), b"applyNumberFormat", b"1")
        index = self._add_xf(head + sep + rest, fid)
        self._cache[key] = index
        return index

    def _add_xf(self, xf: bytes, fid: int) -> int:
        """The index of ``xf`` in cellXfs, appended (and counted) when it is not there yet."""
        if xf in self._xfs:
            return self._xfs.index(xf)
        assert self.xml is not None
        block = self._block()
        assert block is not None
        self.xml = self.xml[: block[1]] + xf + self.xml[block[1]:]
        self._xfs.append(xf)
        self.xf_fmt.append(fid)
        self.xml = _set_count(self.xml, self.p + b"cellXfs", len(self._xfs))
        return len(self._xfs) - 1

    def column_style(self, number_format: str | None = None) -> int:
        """The index of an xf like the workbook's default (xf 0) that wraps text, top-aligned,
        with ``number_format`` if given: the style of a column svcq lays out in a sheet it
        adds. Reused when the workbook already has it; 0 when there is no styles part."""
        if self.xml is None or not self._xfs:
            return 0
        if number_format in self._columns:
            return self._columns[number_format]
        base = self._xfs[0]
        head, _, rest = base.partition(b">") if not base.endswith(b"/>") else (base[:-2], b"", b"")
        fid = self.xf_fmt[0]
        if number_format is not None:
            fid = self._num_fmt(number_format)
            head = xmlattr.set_(head, b"numFmtId", b"%d" % fid)
            head = xmlattr.set_(head, b"applyNumberFormat", b"1")
        head = xmlattr.set_(head, b"applyAlignment", b"1")
        p = self.p
        inner = rest[: rest.rfind(b"</" + p + b"xf>")] if rest else b""
        inner = re.sub(rb"<" + re.escape(p) + rb"alignment\b[^>]*?(?:/>|>.*?</" + re.escape(p)
                       + rb"alignment>)", b"", inner, flags=re.S)
        index = self._add_xf(head + b"><" + p + b'alignment vertical="top" wrapText="1"/>' + inner
                             + b"</" + p + b"xf>", fid)
        self._columns[number_format] = index
        return index

    def header_style(self, fill_rgb: str) -> int:
        """The index of an xf like the workbook's default, bold on a ``fill_rgb`` fill, centred
        and wrapping: the header row of a sheet svcq adds, looking like svcq's own. Its font
        and fill are appended to the workbook's lists; without them, the column style."""
        if self.xml is None or not self._xfs:
            return 0
        if self._header is not None:
            return self._header
        p = self.p
        block = re.search(rb"<" + re.escape(p) + rb"fonts\b[^>]*>(.*?)</" + re.escape(p) + rb"fonts>", self.xml, re.S)
        first = re.search(rb"<" + re.escape(p) + rb"font\b[^>]*?(?:/>|>.*?</" + re.escape(p) + rb"font>)",
                          block.group(1), re.S) if block else None
        if first is None:
            self._header = self.column_style()
            return self._header
        font = first.group(0)
        if font.endswith(b"/>"):
            font = font[:-2] + b"></" + p + b"font>"
        if not re.search(rb"<" + re.escape(p) + rb"b\s*/>", font):
            at = font.index(b">") + 1
            font = font[:at] + b"<" + p + b"b/>" + font[at:]
        fill = (b"<" + p + b'fill><' + p + b'patternFill patternType="solid"><' + p + b'fgColor rgb="FF'
                + fill_rgb.lstrip("#").upper().encode() + b'"/><' + p + b'bgColor indexed="64"/></' + p
                + b"patternFill></" + p + b"fill>")
        font_id, fill_id = self._append(b"fonts", b"font", font), self._append(b"fills", b"fill", fill)
        if font_id is None or fill_id is None:
            self._header = self.column_style()
            return self._header
        base = self._xfs[0]
        head = base[:-2] if base.endswith(b"/>") else base.partition(b">")[0]
        for name, value in ((b"fontId", font_id), (b"fillId", fill_id)):
            head = xmlattr.set_(head, name, b"%d" % value)
        for name in (b"applyFont", b"applyFill", b"applyAlignment"):
            head = xmlattr.set_(head, name, b"1")
        self._header = self._add_xf(head + b"><" + p + b'alignment horizontal="center" vertical="center" '
                                    b'wrapText="1"/></' + p + b"xf>", self.xf_fmt[0])
        return self._header

    def _append(self, collection: bytes, item: bytes, element: bytes) -> int | None:
        """Append ``element`` to the ``collection`` list of styles.xml (fonts, fills): its
        index, or None when the list is not there to append to."""
        assert self.xml is not None
        p = re.escape(self.p)
        m = re.search(rb"<" + p + collection + rb"\b[^>]*>(.*?)</" + p + collection + rb">", self.xml, re.S)
        if m is None:
            return None
        index = len(re.findall(rb"<" + p + item + rb"[\s>/]", m.group(1)))
        self.xml = self.xml[: m.end(1)] + element + self.xml[m.end(1):]
        self.xml = _set_count(self.xml, self.p + collection, index + 1)
        return index

    def _num_fmt(self, code: str) -> int:
        for fid, existing in self.codes.items():
            if existing == code:
                return fid
        assert self.xml is not None
        self.max_fmt += 1
        fid = self.max_fmt
        self.codes[fid] = code
        tag = b'<' + self.p + b'numFmt numFmtId="%d" formatCode="%s"/>' % (fid, escape(code).encode())
        close = b"</" + self.p + b"numFmts>"
        at = self.xml.find(close)
        empty = re.search(rb"<" + re.escape(self.p) + rb"numFmts\b([^>]*?)/>", self.xml)
        if at >= 0:
            self.xml = _set_count(self.xml[:at] + tag + self.xml[at:], self.p + b"numFmts",
                                  len(self.codes))
        elif empty:  # <numFmts count="0"/> (openpyxl writes it): open it up, never add a second
            opened = b"<" + self.p + b"numFmts" + empty.group(1).rstrip() + b">" + tag + close
            self.xml = _set_count(self.xml[: empty.start()] + opened + self.xml[empty.end():],
                                  self.p + b"numFmts", len(self.codes))
        else:
            root = re.search(rb"<" + re.escape(self.p) + rb"styleSheet\b[^>]*>", self.xml)
            assert root is not None
            block = b"<" + self.p + b'numFmts count="1">' + tag + close
            self.xml = self.xml[: root.end()] + block + self.xml[root.end():]
        return fid


def _set_count(xml: bytes, tag: bytes, count: int) -> bytes:
    m = re.search(rb"<" + re.escape(tag) + rb"\b([^>]*?)(/?)>", xml)
    if not m:
        return xml
    attrs = xmlattr.set_(m.group(1), b"count", b"%d" % count)
    return xml[: m.start()] + b"<" + tag + attrs + m.group(2) + b">" + xml[m.end():]


def _unescape(text: str) -> str:
    return (text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<")
            .replace("&gt;", ">").replace("&amp;", "&"))
