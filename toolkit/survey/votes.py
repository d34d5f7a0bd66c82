"""Counting ballots for 最佳禮儀服務人員 (courteous-staff elections).

Two layouts: one ballot per row (a column such as 票選對象 holds the name, several names
allowed up to ``max_choices`` separated by 、,，/ or spaces), or one vote per cell (every
filled cell of the sheet is a vote, as tellers often type them). With a candidate list, a
name not on it spoils the ballot (row layout) or the vote (cell layout); blank ballots in
the row layout and repeated names on one ballot are spoiled too. Ties share a rank.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from toolkit.frames import frame
from toolkit.problems import Problem, ProblemsFound
from toolkit.sheetkit.table import TableLike
from toolkit.survey.tally import find_header
from toolkit.text import clean_text, is_blank, squash

if TYPE_CHECKING:
    import pandas as pd

#: Header words that mark the ballot column, most telling first; 日期/編號 columns never are.
VOTE_WORDS = ("票選對象", "候選", "被推薦", "推薦", "票選", "姓名", "人員", "同仁", "投票")
NOT_VOTE_WORDS = ("日期", "時間", "編號", "序號", "單位")
_SPLIT = re.compile(r"[、,，/;；]+")


@dataclass(frozen=True)
class Spoiled:
    cell: str
    reason: str
    value: str


@dataclass(frozen=True)
class Standing:
    rank: int
    name: str
    votes: int
    share: float  # of valid votes
    tied: bool


@dataclass
class VoteResult:
    standings: list[Standing]
    valid_votes: int
    ballots: int  # ballots (row layout) or filled cells (cell layout), spoiled included
    spoiled: list[Spoiled] = field(default_factory=list)
    per: str = "row"

    @property
    def spoiled_by_reason(self) -> dict[str, int]:
        return dict(Counter(s.reason for s in self.spoiled))

    def to_dict(self) -> dict[str, Any]:
        return {"per": self.per, "ballots": self.ballots, "valid_votes": self.valid_votes,
                "spoiled": len(self.spoiled), "spoiled_by_reason": self.spoiled_by_reason,
                "ranking": [{"rank": s.rank, "name": s.name, "votes": s.votes, "share": s.share,
                             "tied": s.tied} for s in self.standings],
                "spoiled_ballots": [{"cell": s.cell, "reason": s.reason, "value": s.value}
                                    for s in self.spoiled]}

    def to_pandas(self) -> pd.DataFrame:
        """The ranking, one row per candidate."""
        return frame(self.to_dict()["ranking"], ["rank", "name", "votes", "share", "tied"])


def name_key(value: Any) -> str:
    """Names compare without spaces and full-width forms (「王 小明」 = 「王小明」)."""
    return squash(value)


def rank(tally: Counter[str], candidates: list[str] | None = None) -> list[Standing]:
    """Competition ranking (1, 2, 2, 4): equal votes share a rank; candidates with no votes
    are listed last when the candidate list is known."""
    names = dict.fromkeys(candidates or [])
    names.update(dict.fromkeys(tally))
    total = sum(tally.values())
    ordered = sorted(names, key=lambda n: (-tally.get(n, 0), list(names).index(n)))
    counts = Counter(tally.get(n, 0) for n in ordered)
    out: list[Standing] = []
    for i, name in enumerate(ordered):
        votes = tally.get(name, 0)
        r = i + 1 if i == 0 or votes != out[-1].votes else out[-1].rank
        out.append(Standing(r, name, votes, votes / total if total else 0.0, counts[votes] > 1))
    return out


def count_votes(source: TableLike, *, candidates: list[str] | None = None,
                per: Literal["row", "cell"] = "row", column: str | None = None,
                max_choices: int = 1) -> VoteResult:
    display = {name_key(c): clean_text(c) for c in candidates or [] if not is_blank(c)}
    known = set(display) if candidates else None
    if per == "cell":
        return _per_cell(source, display, known)
    return _per_row(source, display, known, column, max_choices)


def _where(source: TableLike, r: int, c: int) -> str:
    """Where a ballot is, as a Problem would name it (file sheet!A1)."""
    return Problem("bad-value", "", source.file, source.sheet, source.ref(r, c)).location


def _per_row(source: TableLike, display: dict[str, str], known: set[str] | None,
             column: str | None, max_choices: int) -> VoteResult:
    rows = source.rows
    header_row = find_header(rows, [column] if column else [])
    header = [clean_text(v) for v in rows[header_row]] if rows else []
    if column is not None:
        matches = [i for i, h in enumerate(header) if squash(h) == squash(column)]
    else:
        usable = [(i, h) for i, h in enumerate(header) if h and not any(w in h for w in NOT_VOTE_WORDS)]
        matches = next(([i for i, h in usable if w in h][:1] for w in VOTE_WORDS
                        if any(w in h for _, h in usable)), [])
        if not matches and sum(1 for h in header if h) == 1:
            matches = [next(i for i, h in enumerate(header) if h)]
    if len(matches) != 1:
        what = f"「{column}」" if column else "票選欄（標題含「票選」「候選」「姓名」等字）"
        raise ProblemsFound([Problem("missing-column", f"第 {header_row + 1} 列的標題中找不到{what}；"
                                     f"請用 --column 指定", source.file, source.sheet,
                                     source.ref(header_row, 0))])
    col = matches[0]
    tally: Counter[str] = Counter()
    spoiled: list[Spoiled] = []
    ballots = 0
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if all(is_blank(v) for v in row):
            continue
        ballots += 1
        value = row[col] if col < len(row) else ""
        where = _where(source, r, col)
        names = [n for n in _SPLIT.split(clean_text(value)) if n] if not is_blank(value) else []
        # A name typed with a space inside ("王 小明") is one name when it is a candidate.
        if known is not None and name_key(value) in known:
            names = [clean_text(value)]
        keys = [name_key(n) for n in names]
        if not keys:
            spoiled.append(Spoiled(where, "空白票", ""))
        elif len(set(keys)) < len(keys):
            spoiled.append(Spoiled(where, "同一人重複圈選", clean_text(value)))
        elif len(keys) > max_choices:
            spoiled.append(Spoiled(where, f"圈選超過 {max_choices} 人", clean_text(value)))
        elif known is not None and any(k not in known for k in keys):
            spoiled.append(Spoiled(where, "非候選人", clean_text(value)))
        else:
            for k, n in zip(keys, names, strict=True):
                display.setdefault(k, n)
                tally[k] += 1
    return _result(tally, display, ballots, spoiled, "row", known)


def _per_cell(source: TableLike, display: dict[str, str], known: set[str] | None) -> VoteResult:
    rows = source.rows
    start = 0
    # A first row holding no candidate is a title/header row, not votes.
    if known is not None and rows and not any(name_key(v) in known for v in rows[0] if not is_blank(v)):
        start = 1
    tally: Counter[str] = Counter()
    spoiled: list[Spoiled] = []
    cells = 0
    for r in range(start, len(rows)):
        for c, value in enumerate(rows[r]):
            if is_blank(value):
                continue
            cells += 1
            key = name_key(value)
            if known is not None and key not in known:
                spoiled.append(Spoiled(_where(source, r, c), "非候選人", clean_text(value)))
                continue
            display.setdefault(key, clean_text(value))
            tally[key] += 1
    return _result(tally, display, cells, spoiled, "cell", known)


def _result(tally: Counter[str], display: dict[str, str], ballots: int, spoiled: list[Spoiled],
            per: str, known: set[str] | None) -> VoteResult:
    named = Counter({display[k]: n for k, n in tally.items()})
    candidates = [display[k] for k in display] if known is not None else None
    return VoteResult(rank(named, candidates), sum(tally.values()), ballots, spoiled, per)
