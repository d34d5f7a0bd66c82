"""Issue 16, item 3: a comment longer than a cell holds (32,767 characters, e.g. from a file
written by a program) is kept whole in 意見彙整 — continued in the rows below, marked —
never cut silently."""

from __future__ import annotations

from pathlib import Path

import python_calamine as calamine
from hostile.make_corpus import raw_xlsx

import toolkit
from toolkit.sheetkit.cells import CELL_TEXT_MAX, CONTINUATION, CONTINUED, cell_pieces
from toolkit.sheetkit.width import MAX_ROW_HEIGHT, cell_lines, line_height


def test_pieces_fit_and_join_back():
    text = "".join(chr(0x4E00 + i % 500) for i in range(80_000))
    pieces = cell_pieces(text)
    assert len(pieces) == 3 and all(len(p) <= CELL_TEXT_MAX for p in pieces)
    assert pieces[0].endswith(CONTINUED) and pieces[1].startswith(CONTINUATION) and pieces[1].endswith(CONTINUED)
    assert pieces[2].startswith(CONTINUATION) and not pieces[2].endswith(CONTINUED)
    joined = "".join(p.removeprefix(CONTINUATION).removesuffix(CONTINUED) for p in pieces)
    assert joined == text
    assert cell_pieces("短") == ["短"] and cell_pieces("x" * CELL_TEXT_MAX) == ["x" * CELL_TEXT_MAX]


def test_a_long_comment_is_kept_whole(tmp_path: Path):
    long = "".join(f"民眾意見第{i}句。" for i in range(5000))  # 50,000+ characters
    assert len(long) > CELL_TEXT_MAX
    rows = [["1.服務態度", "其他意見"], ["非常滿意", long], ["滿意", "很好"]]
    body = "".join(f'<row r="{r}">' + "".join(
        f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, 1))
    src = raw_xlsx(tmp_path / "回覆.xlsx", [("回覆", f"<sheetData>{body}</sheetData>")])
    out = tmp_path / "統計.xlsx"
    result = toolkit.tally(src, output=out)
    assert [c.text for c in result.comments] == [long, "很好"]
    sheet = calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("意見彙整").to_python()
    written = [r for r in sheet[3:] if r[3]]
    pieces = [r[3] for r in written if r[2] == "回覆!B2"]
    # each piece also prints whole: no taller than Excel's tallest row (issue 17)
    assert len(pieces) > 2 and all(len(p) <= CELL_TEXT_MAX for p in pieces)
    assert all(cell_lines(p, 60) * line_height() + 4 <= MAX_ROW_HEIGHT for p in pieces)
    assert "".join(p.removeprefix(CONTINUATION).removesuffix(CONTINUED) for p in pieces) == long
    assert [r[0] for r in written] == [1, *[""] * (len(pieces) - 1), 2]  # one 序號 per comment
