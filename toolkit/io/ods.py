"""ODS: finishing LibreOffice's xlsx → ods conversion, and reading what an .ods holds.

LibreOffice keeps values, formulas, shading, merged cells, number formats, validation,
conditional formats, page setup and print titles when it converts svcq's xlsx. Two things
depend on a screen and come out wrong, so ``finish_ods`` copies them from the xlsx:

* column widths – xlsx stores them in "characters of Calibri 11"; LibreOffice converts with
  the metrics of whatever font stands in for Calibri (DejaVu Sans on a bare Linux: 33 %
  wider), so the sheet no longer fits the A4 page it was laid out for. We write the width
  Excel shows (pixels at 96 dpi) as an absolute length.
* frozen panes and the active sheet – headless LibreOffice has no view and writes no view
  settings, so the frozen header rows of the control sheet would scroll away.

``read_ods`` parses content.xml into cells (type, value, formula, style), merges and column
widths; tests use it to prove what the .ods holds, and ``style_properties`` resolves a
cell's shading, number format and font.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import math
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from toolkit.io.guards import check_zip
from toolkit.sheetkit.cells import parse_ref

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
_X = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
#: Excel's maximum digit width of Calibri 11 in pixels, and its default column (8.43 chars).
_MDW = 7
_DEFAULT_COL_PX = 64


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


# ---------------------------------------------------------------- the xlsx side


@dataclass
class SheetLayout:
    """What of an xlsx sheet's layout LibreOffice loses: widths in pixels, frozen panes."""

    name: str
    widths: dict[int, int] = field(default_factory=dict)  # 0-based column → pixels
    default_px: int = _DEFAULT_COL_PX
    freeze: tuple[int, int] | None = None  # (rows, cols) frozen at the top / left

    def width_px(self, col: int) -> int:
        return self.widths.get(col, self.default_px)


def chars_to_px(width: float) -> int:
    """An xlsx ``<col width>`` (characters incl. padding) → pixels, as Excel computes it."""
    return math.trunc(((256 * width + math.trunc(128 / _MDW)) / 256) * _MDW)


def xlsx_layout(xlsx: str | Path) -> tuple[list[SheetLayout], str | None]:
    """The sheets' layouts and the active sheet's name, read from an xlsx."""
    with zipfile.ZipFile(xlsx) as zf:
        book = SafeET.fromstring(zf.read("xl/workbook.xml"))
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_X['rel']}}}Relationship")}
        layouts = []
        for sheet in book.iter(f"{{{_X['main']}}}sheet"):
            target = targets[sheet.get(f"{{{_X['r']}}}id")].lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            layouts.append(_sheet_layout(sheet.get("name", ""), SafeET.fromstring(zf.read(member))))
    view = book.find(f".//{{{_X['main']}}}workbookView")
    active = int(view.get("activeTab", "0")) if view is not None else 0
    return layouts, layouts[active].name if active < len(layouts) else None


def _sheet_layout(name: str, ws: ET.Element) -> SheetLayout:
    m = _X["main"]
    layout = SheetLayout(name)
    fmt = ws.find(f"{{{m}}}sheetFormatPr")
    if fmt is not None and fmt.get("defaultColWidth"):
        layout.default_px = chars_to_px(float(fmt.get("defaultColWidth", "8.43")))
    for col in ws.iter(f"{{{m}}}col"):
        if col.get("width") is None:
            continue
        px = chars_to_px(float(col.get("width", "0")))
        for c in range(int(col.get("min", "1")) - 1, int(col.get("max", "1"))):
            layout.widths[c] = px
    pane = ws.find(f".//{{{m}}}pane")
    if pane is not None and pane.get("state") in ("frozen", "frozenSplit"):
        layout.freeze = (int(float(pane.get("ySplit", "0"))), int(float(pane.get("xSplit", "0"))))
    return layout


# ---------------------------------------------------------------- finishing the ods


def finish_ods(xlsx: str | Path, ods: str | Path) -> None:
    """Rewrite ``ods`` (LibreOffice's conversion of ``xlsx``) with Excel's column widths,
    frozen panes and active sheet. Every other zip member is copied byte for byte."""
    layouts, active = xlsx_layout(xlsx)
    by_name = {s.name: s for s in layouts}
    ods = Path(ods)
    with zipfile.ZipFile(ods) as zf:
        infos = zf.infolist()
        data = {i.filename: zf.read(i.filename) for i in infos}
    data["content.xml"] = _fix_columns(data["content.xml"], by_name)
    if "settings.xml" in data:
        data["settings.xml"] = _add_view_settings(data["settings.xml"], layouts, active)
    tmp = ods.with_name(ods.name + ".part")
    with zipfile.ZipFile(tmp, "w") as out:
        for info in infos:  # same order: 'mimetype' first and stored, as ODF requires
            out.writestr(info, data[info.filename], compress_type=info.compress_type)
    tmp.replace(ods)


def _namespaces(xml: bytes) -> dict[str, str]:
    import io

    found: dict[str, str] = {}
    for _event, (prefix, uri) in ET.iterparse(io.BytesIO(xml), events=("start-ns",)):
        found.setdefault(prefix, uri)
    return found


def _serialize(root: ET.Element, original: bytes) -> bytes:
    """ElementTree drops namespace declarations it does not need for names, but ODF uses
    prefixes inside attribute values (``of:=SUM(...)``): put every original one back."""
    declared = _namespaces(original)
    for prefix, uri in declared.items():
        ET.register_namespace(prefix, uri)
    body = ET.tostring(root, encoding="unicode")
    head = body[: body.index(">")]
    missing = "".join(f' xmlns:{p}="{u}"' for p, u in declared.items()
                      if p and f"xmlns:{p}=" not in head)
    body = body.replace(head, head + missing, 1)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def _fix_columns(content: bytes, layouts: dict[str, SheetLayout]) -> bytes:
    root = SafeET.fromstring(content)
    auto = root.find(_q("office:automatic-styles"))
    assert auto is not None
    styles = {s.get(_q("style:name")): s for s in auto.findall(_q("style:style"))}
    made: dict[tuple[str, int], str] = {}

    def style_for(orig: str | None, px: int) -> str:
        key = (orig or "", px)
        if key not in made:
            new = copy.deepcopy(styles[orig]) if orig in styles else ET.Element(
                _q("style:style"), {_q("style:family"): "table-column"})
            name = f"svcqco{len(made) + 1}"
            new.set(_q("style:name"), name)
            props = new.find(_q("style:table-column-properties"))
            if props is None:
                props = ET.SubElement(new, _q("style:table-column-properties"))
            props.set(_q("style:column-width"), f"{px / 96:.4f}in")
            auto.append(new)
            made[key] = name
        return made[key]

    for table in root.iter(_q("table:table")):
        layout = layouts.get(table.get(_q("table:name"), ""))
        if layout is None:
            continue
        breaks = sorted({c for c in layout.widths} | {c + 1 for c in layout.widths})
        _split_columns(table, 0, breaks, layout, style_for)
    return _serialize(root, content)


_COLUMN_GROUPS = ("table:table-header-columns", "table:table-column-group", "table:table-columns")


def _split_columns(parent: ET.Element, col: int, breaks: list[int], layout: SheetLayout,
                   style_for: Any) -> int:
    """Give each column of ``parent`` (in document order) a style with Excel's width, splitting
    repeated columns where the width changes; return the next column index."""
    for el in list(parent):
        if el.tag in {_q(t) for t in _COLUMN_GROUPS}:
            col = _split_columns(el, col, breaks, layout, style_for)
            continue
        if el.tag != _q("table:table-column"):
            continue
        n = int(el.get(_q("table:number-columns-repeated"), "1"))
        cuts = [col, *(b for b in breaks if col < b < col + n), col + n]
        idx = list(parent).index(el)
        parent.remove(el)
        for k, (start, end) in enumerate(itertools.pairwise(cuts)):
            piece = copy.deepcopy(el)
            piece.set(_q("table:style-name"),
                      style_for(el.get(_q("table:style-name")), layout.width_px(start)))
            if end - start > 1:
                piece.set(_q("table:number-columns-repeated"), str(end - start))
            else:
                piece.attrib.pop(_q("table:number-columns-repeated"), None)
            parent.insert(idx + k, piece)
        col += n
    return col


#: LibreOffice's ScSplitPos of the pane holding the cursor: 1 top-right, 2 bottom-left, 3 bottom-right.
_ACTIVE_PANE = {(True, True): 3, (True, False): 2, (False, True): 1, (False, False): 2}
_VIEW_ITEM = '<config:config-item config:name="{}" config:type="{}">{}</config:config-item>'


def _add_view_settings(settings: bytes, layouts: list[SheetLayout], active: str | None) -> bytes:
    text = settings.decode("utf-8")
    if 'config:name="Views"' in text:
        return settings
    entries = []
    for s in layouts:
        rows, cols = s.freeze or (0, 0)
        items = [("CursorPositionX", "int", cols), ("CursorPositionY", "int", rows),
                 ("HorizontalSplitMode", "short", 2 if cols else 0),
                 ("VerticalSplitMode", "short", 2 if rows else 0),
                 ("HorizontalSplitPosition", "int", cols), ("VerticalSplitPosition", "int", rows),
                 ("ActiveSplitRange", "short", _ACTIVE_PANE[bool(rows), bool(cols)]),
                 ("PositionLeft", "int", 0), ("PositionRight", "int", cols),
                 ("PositionTop", "int", 0), ("PositionBottom", "int", rows)]
        body = "".join(_VIEW_ITEM.format(k, t, v) for k, t, v in items)
        entries.append(f'<config:config-item-map-entry config:name="{_xml_attr(s.name)}">'
                       f"{body}</config:config-item-map-entry>")
    view = ('<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
            + _VIEW_ITEM.format("ViewId", "string", "view1")
            + '<config:config-item-map-named config:name="Tables">' + "".join(entries)
            + "</config:config-item-map-named>"
            + (_VIEW_ITEM.format("ActiveTable", "string", _xml_text(active)) if active else "")
            + "</config:config-item-map-entry></config:config-item-map-indexed>")
    match = re.search(r'(<config:config-item-set config:name="ooo:view-settings">.*?)'
                      r"(</config:config-item-set>)", text, re.S)
    if match is None:
        return settings
    text = text[: match.end(1)] + view + text[match.end(1):]
    return text.encode("utf-8")


def _xml_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(s: str) -> str:
    return _xml_text(s).replace('"', "&quot;")


# ---------------------------------------------------------------- reading an ods


@dataclass
class OdsCell:
    value_type: str | None  # float, percentage, currency, date, time, boolean, string
    value: Any
    formula: str | None = None
    style: str | None = None


@dataclass
class OdsSheet:
    name: str
    cells: dict[tuple[int, int], OdsCell] = field(default_factory=dict)
    styled: dict[tuple[int, int], str] = field(default_factory=dict)  # every styled cell
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    column_widths: list[float] = field(default_factory=list)  # inches, first columns
    column_styles: list[str | None] = field(default_factory=list)
    hidden_columns: set[int] = field(default_factory=set)
    visible: bool = True
    #: the sheet's page layout (``fo:page-width``, ``style:print-orientation``,
    #: ``style:scale-to-X`` …) from its master page in styles.xml
    page: dict[str, str] = field(default_factory=dict)

    def cell(self, a1: str) -> OdsCell | None:
        return self.cells.get(parse_ref(a1))

    def style_of(self, a1: str) -> str | None:
        return self.styled.get(parse_ref(a1))


@dataclass
class OdsDocument:
    sheets: list[OdsSheet]
    styles: dict[str, ET.Element]  # cell/column styles: automatic + named
    data_styles: dict[str, ET.Element]
    settings: str = ""

    def sheet(self, name: str) -> OdsSheet:
        return next(s for s in self.sheets if s.name == name)

    def style_properties(self, name: str | None) -> dict[str, str]:
        """Resolved properties of a cell style (``fo:background-color``, ``fo:font-weight``,
        ``style:column-width`` …) and ``data-style``: the number format as a short text."""
        chain: list[ET.Element] = []
        while name and name in self.styles and len(chain) < 10:
            chain.append(self.styles[name])
            name = self.styles[name].get(_q("style:parent-style-name"))
        props: dict[str, str] = {}
        for el in reversed(chain):
            for child in el:
                for key, value in child.attrib.items():
                    props[_prefixed(key)] = value
            data = el.get(_q("style:data-style-name"))
            if data:
                props["data-style"] = describe_data_style(self.data_styles.get(data))
        return props


def _prefixed(key: str) -> str:
    if key.startswith("{"):
        uri, local = key[1:].split("}")
        for p, u in NS.items():
            if u == uri:
                return f"{p}:{local}"
    return key


def describe_data_style(el: ET.Element | None) -> str:
    """A number format as a short comparable text: ``percentage 0.0``, ``date Y/M/D``…"""
    if el is None:
        return ""
    kind = el.tag.split("}")[1].replace("-style", "")
    parts: list[str] = []
    for child in el:
        local = child.tag.split("}")[1]
        if local in ("number", "scientific-number", "fraction"):
            places = int(child.get(_q("number:decimal-places"), "0"))
            parts.append("0" + ("." + "0" * places if places else ""))
        elif local == "text":
            parts.append(child.text or "")
        elif local in ("year", "month", "day", "hours", "minutes", "seconds", "era", "day-of-week"):
            parts.append(local[0].upper())
    return f"{kind} {''.join(parts)}".strip()


def _cell_text(cell: ET.Element) -> str:
    paras = []
    for p in cell.findall(_q("text:p")):
        paras.append(_inline_text(p))
    return "\n".join(paras)


def _inline_text(el: ET.Element) -> str:
    out = [el.text or ""]
    for child in el:
        local = child.tag.split("}")[1]
        if local == "s":
            out.append(" " * int(child.get(_q("text:c"), "1")))
        elif local == "tab":
            out.append("\t")
        elif local == "line-break":
            out.append("\n")
        elif child.tag.startswith(f"{{{NS['text']}}}"):
            out.append(_inline_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _value(cell: ET.Element) -> tuple[str | None, Any]:
    vt = cell.get(_q("office:value-type"))
    if vt in ("float", "percentage", "currency"):
        return vt, float(cell.get(_q("office:value"), "nan"))
    if vt == "date":
        raw = cell.get(_q("office:date-value"), "")
        return vt, dt.datetime.fromisoformat(raw) if "T" in raw else dt.date.fromisoformat(raw)
    if vt == "time":
        return vt, cell.get(_q("office:time-value"))
    if vt == "boolean":
        return vt, cell.get(_q("office:boolean-value")) == "true"
    if vt == "string":
        sv = cell.get(_q("office:string-value"))
        return vt, sv if sv is not None else _cell_text(cell)
    return None, None


#: Repeated runs longer than this are the sheet's empty remainder, not content.
_MAX_REPEAT = 1024
#: Columns of a sheet whose widths ``read_ods`` reports.
WIDTH_COLUMNS = 64


def read_ods(path: str | Path) -> OdsDocument:
    check_zip(Path(path))
    with zipfile.ZipFile(path) as zf:
        content = SafeET.fromstring(zf.read("content.xml"))
        styles_xml = SafeET.fromstring(zf.read("styles.xml"))
        settings = zf.read("settings.xml").decode("utf-8") if "settings.xml" in zf.namelist() else ""
    styles: dict[str, ET.Element] = {}
    data_styles: dict[str, ET.Element] = {}
    for root in (styles_xml, content):
        for el in root.iter():
            name = el.get(_q("style:name"))
            if name is None:
                continue
            if el.tag == _q("style:style"):
                styles[name] = el
            elif el.tag.startswith(f"{{{NS['number']}}}"):
                data_styles[name] = el
    sheets = [_read_table(t, styles) for t in content.iter(_q("table:table"))]
    layouts = {el.get(_q("style:name")): el for el in styles_xml.iter(_q("style:page-layout"))}
    masters = {el.get(_q("style:name")): el.get(_q("style:page-layout-name"))
               for el in styles_xml.iter(_q("style:master-page"))}
    for table, sheet in zip(content.iter(_q("table:table")), sheets, strict=True):
        tstyle = styles.get(table.get(_q("table:style-name"), ""))
        master = tstyle.get(_q("style:master-page-name")) if tstyle is not None else None
        layout = layouts.get(masters.get(master or "Default") or "")
        props = layout.find(_q("style:page-layout-properties")) if layout is not None else None
        if props is not None:
            sheet.page = {_prefixed(k): v for k, v in props.attrib.items()}
    return OdsDocument(sheets, styles, data_styles, settings)


def _read_table(table: ET.Element, styles: dict[str, ET.Element]) -> OdsSheet:
    sheet = OdsSheet(table.get(_q("table:name"), ""))
    tstyle = styles.get(table.get(_q("table:style-name"), ""))
    if tstyle is not None:
        props = tstyle.find(_q("style:table-properties"))
        sheet.visible = props is None or props.get(_q("table:display")) != "false"
    col = 0
    for el in table.iter(_q("table:table-column")):
        n = int(el.get(_q("table:number-columns-repeated"), "1"))
        style = el.get(_q("table:style-name"))
        width = _column_width(styles.get(style or ""))
        for c in range(col, min(col + n, WIDTH_COLUMNS)):
            sheet.column_widths.append(width)
            sheet.column_styles.append(style)
            if el.get(_q("table:visibility")) == "collapse":
                sheet.hidden_columns.add(c)
        col += n
    row = 0
    for tr in table.iter(_q("table:table-row")):
        rows = int(tr.get(_q("table:number-rows-repeated"), "1"))
        col = 0
        for tc in tr:
            if tc.tag not in (_q("table:table-cell"), _q("table:covered-table-cell")):
                continue
            n = int(tc.get(_q("table:number-columns-repeated"), "1"))
            vt, value = _value(tc)
            formula = tc.get(_q("table:formula"))
            style = tc.get(_q("table:style-name"))
            if style and n <= _MAX_REPEAT and rows <= _MAX_REPEAT:
                for r in range(row, row + rows):
                    for c in range(col, col + n):
                        sheet.styled[(r, c)] = style
            if tc.tag == _q("table:table-cell") and (vt or formula):
                for r in range(row, row + min(rows, 10_000)):
                    for c in range(col, col + min(n, 10_000)):
                        sheet.cells[(r, c)] = OdsCell(vt, value, formula, tc.get(_q("table:style-name")))
            span_c = int(tc.get(_q("table:number-columns-spanned"), "1"))
            span_r = int(tc.get(_q("table:number-rows-spanned"), "1"))
            if span_c > 1 or span_r > 1:
                sheet.merges.append((row, col, row + span_r - 1, col + span_c - 1))
            col += n
        row += rows
    return sheet


def _column_width(style: ET.Element | None) -> float:
    if style is None:
        return float("nan")
    props = style.find(_q("style:table-column-properties"))
    raw = props.get(_q("style:column-width"), "") if props is not None else ""
    return length_in(raw)


def length_in(raw: str) -> float:
    """An ODF length (``2.5in``, ``1.2cm``, ``30pt``) in inches."""
    m = re.fullmatch(r"([\d.]+)(in|cm|mm|pt|pc|px)", raw.strip())
    if not m:
        return float("nan")
    factor = {"in": 1, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72, "pc": 1 / 6, "px": 1 / 96}
    return float(m.group(1)) * factor[m.group(2)]


