"""Weighting respondents to the population (raking), and weighted satisfaction (pure, numpy).

A sample over-represents whoever comes to the counter: national polls therefore weight
respondents so that the weighted shares of 性別, 年齡… equal the population's. Raking
(iterative proportional fitting) does it with margins alone — the office's own monthly
人口統計 gives them — by scaling the weights to each variable's margins in turn until all
hold at once. Weights are scaled to average 1, so the weighted base equals the sample size.

What is reported beside the unweighted figures:

* weighted 滿意度 = Σ w (非常滿意, 滿意) ÷ Σ w (base), weighted mean over the five labels;
* Kish's effective sample size n_eff = (Σ w)² ÷ Σ w², the design effect n ÷ n_eff, and the
  95 % margin of error 1.96·√(0.25 ÷ n_eff) (× the finite-population correction for n);
* the range of the weights (min–max), which shows how hard the sample had to be bent.

Categories in the data missing from the margins, margins no respondent falls in, margin
totals that disagree between variables and raking that does not converge are problems:
weighting never guesses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.problems import Problem
from toolkit.sheetkit.table import TableLike
from toolkit.survey.stats import Z95
from toolkit.text import clean_text, is_blank, parse_number, squash

if TYPE_CHECKING:
    import numpy as np

#: Raking stops when every weighted margin is within this relative distance of its target.
TOLERANCE = 1e-10
MAX_ITERATIONS = 1000
#: Count margins of two variables describe one population: their totals must agree this well.
TOTAL_AGREEMENT = 0.005
HEADER_SCAN = 30
MAX_LISTED = 200

VARIABLE_HEADERS = ("變項", "變數", "基本資料", "分類", "項目", "加權變項", "欄位")
CATEGORY_HEADERS = ("類別", "組別", "分組", "選項", "類別名稱", "組別名稱")
COUNT_HEADERS = ("人數", "人口數", "母體人數", "人口", "戶籍人口", "現住人口", "次數", "數量", "合計人數")
SHARE_HEADERS = ("比例", "百分比", "占比", "佔比", "比率", "%", "百分比(%)", "比例(%)")
TOTAL_WORDS = ("合計", "總計", "小計", "總和", "總數", "計")
_DASHES = re.compile(r"[－—–~～〜至到]")



def category_key(value: Any) -> str:
    """How categories are matched between the data and the margins: NFKC, no spaces, one
    kind of dash (20～29歲 = 20-29歲 = 20－29 歲)."""
    return _DASHES.sub("-", squash(value))


# ---------------------------------------------------------------------- margins


@dataclass(frozen=True)
class Target:
    category: str
    value: float
    cell: str | None = None


@dataclass
class Margin:
    """One variable's population: counts (or shares) by category."""

    variable: str
    targets: list[Target]
    shares: bool = False
    cell: str | None = None

    @property
    def total(self) -> float:
        return sum(t.value for t in self.targets)

    def share(self) -> dict[str, float]:
        """category key → share of the population."""
        total = self.total
        return {category_key(t.category): t.value / total for t in self.targets}

    def find(self, category: str) -> Target | None:
        key = category_key(category)
        return next((t for t in self.targets if category_key(t.category) == key), None)


@dataclass
class Margins:
    margins: list[Margin]
    file: str = ""
    sheet: str | None = None

    def get(self, variable: str) -> Margin | None:
        key = squash(variable)
        return next((m for m in self.margins if squash(m.variable) == key), None)

    @property
    def variables(self) -> list[str]:
        return [m.variable for m in self.margins]

    def problem(self, code: str, message: str, cell: str | None = None) -> Problem:
        return Problem(code, message, self.file, self.sheet, cell)


def _kind(value: Any) -> str | None:
    key = squash(value)
    for kind, words in (("variable", VARIABLE_HEADERS), ("category", CATEGORY_HEADERS),
                        ("count", COUNT_HEADERS), ("share", SHARE_HEADERS)):
        if key and key in {squash(w) for w in words}:
            return kind
    return None


def _is_total(value: Any) -> bool:
    return squash(value) in TOTAL_WORDS


class _MarginReader:
    def __init__(self, table: TableLike) -> None:
        self.t = table
        self.problems: list[Problem] = []
        self.margins: dict[str, Margin] = {}

    def fail(self, r: int, c: int, code: str, message: str) -> None:
        self.problems.append(self.t.problem(r, c, code, message))

    def cell(self, r: int, c: int) -> Any:
        row = self.t.rows[r]
        return row[c] if c < len(row) else None

    def value(self, r: int, c: int) -> float | None:
        """A count, or a share written 52.3% (→ 0.523) or as a number."""
        raw = self.cell(r, c)
        if is_blank(raw):
            self.fail(r, c, "margins-bad-value", "人數（或比例）空白")
            return None
        text = squash(raw) if isinstance(raw, str) else ""
        number = parse_number(text[:-1]) if text.endswith("%") else parse_number(raw)
        if number is not None and text.endswith("%"):
            number /= 100
        if number is None or number < 0 or math.isnan(number):
            self.fail(r, c, "margins-bad-value", f"「{clean_text(raw)}」不是人數或比例")
            return None
        return number

    def add(self, variable: str, category: str, value: float, r: int, c: int, vcol: int,
            shares: bool, header: str | None) -> None:
        margin = self.margins.setdefault(squash(variable), Margin(variable, [], shares, header))
        if margin.find(category) is not None:
            self.fail(r, c, "margins-duplicate", f"「{variable}」的「{category}」重複")
            return
        margin.targets.append(Target(category, value, self.t.ref(r, vcol)))

    def check_total(self, variable: str, r: int, c: int, shares: bool) -> None:
        margin = self.margins.get(squash(variable))
        value = self.value(r, c)
        if margin is not None and value is not None and not math.isclose(value, margin.total, rel_tol=1e-9,
                                                                        abs_tol=1e-9):
            self.fail(r, c, "margins-bad-total", f"「{variable}」的合計 {value:,g} 與各類別加總 "
                      f"{margin.total:,g} 不符")

    # ---- the three layouts

    def long(self, header: int, vc: int, cc: int, nc: int, shares: bool) -> None:
        """變項 | 類別 | 人數: one row per category, the variable filled down or merged."""
        variable = ""
        for r in range(header + 1, len(self.t.rows)):
            name, category = clean_text(self.cell(r, vc)), clean_text(self.cell(r, cc))
            variable = name or variable
            if not category and is_blank(self.cell(r, nc)):
                continue
            if not variable:
                self.fail(r, vc, "margins-no-variable", f"第 {r + 1} 列沒有變項名稱（例如 性別）")
                continue
            if _is_total(category) or _is_total(name):
                self.check_total(variable, r, nc, shares)
                continue
            value = self.value(r, nc)
            if value is not None:
                self.add(variable, category, value, r, cc, nc, shares, self.t.ref(r, vc))

    def blocks(self, starts: list[tuple[int, bool]]) -> None:
        """性別 | 人數 followed by its categories, then 年齡 | 人數…"""
        ends = [s for s, _ in starts[1:]] + [len(self.t.rows)]
        for (start, shares), end in zip(starts, ends, strict=True):
            variable = clean_text(self.cell(start, 0))
            for r in range(start + 1, end):
                category = clean_text(self.cell(r, 0))
                if not category and is_blank(self.cell(r, 1)):
                    continue
                if _is_total(category):
                    self.check_total(variable, r, 1, shares)
                    continue
                value = self.value(r, 1)
                if value is not None:
                    self.add(variable, category, value, r, 0, 1, shares, self.t.ref(start, 0))

    def cross(self, header: int, row_var: str, col_var: str) -> None:
        """年齡＼性別 | 男 | 女 | 合計 with age groups down the side: both margins at once."""
        head = self.t.rows[header]
        cols = [(c, clean_text(v)) for c, v in enumerate(head) if c > 0 and not is_blank(v) and not _is_total(v)]
        total_col = next((c for c, v in enumerate(head) if c > 0 and _is_total(v)), None)
        col_sums = {c: 0.0 for c, _ in cols}
        for r in range(header + 1, len(self.t.rows)):
            category = clean_text(self.cell(r, 0))
            if not category:
                continue
            if _is_total(category):  # the 合計 row: each column's sum
                for c, name in cols:
                    value = self.value(r, c)
                    if value is not None and not math.isclose(value, col_sums[c], rel_tol=1e-9, abs_tol=1e-9):
                        self.fail(r, c, "margins-bad-total", f"「{name}」的合計 {value:,g} 與上方各列加總 "
                                  f"{col_sums[c]:,g} 不符")
                continue
            values = [(c, self.value(r, c)) for c, _ in cols]
            if any(v is None for _, v in values):
                continue
            row_total = sum(v for _, v in values if v is not None)
            if total_col is not None:
                given = self.value(r, total_col)
                if given is not None and not math.isclose(given, row_total, rel_tol=1e-9, abs_tol=1e-9):
                    self.fail(r, total_col, "margins-bad-total", f"「{category}」的合計 {given:,g} 與同列各欄加總 "
                              f"{row_total:,g} 不符")
            for c, v in values:
                col_sums[c] += v or 0.0
            self.add(row_var, category, row_total, r, 0, 0, False, self.t.ref(header, 0))
        for c, name in cols:
            self.margins.setdefault(squash(col_var), Margin(col_var, [], False, self.t.ref(header, 0)))
            self.margins[squash(col_var)].targets.append(Target(name, col_sums[c], self.t.ref(header, c)))


def margins_from_table(table: TableLike) -> tuple[Margins | None, list[Problem]]:
    """Population margins from a 人口統計 table, in any of three layouts:

    * long: ``變項 | 類別 | 人數`` (or 比例), one row per category;
    * blocks: a row ``性別 | 人數`` then its categories, a row ``年齡 | 人數`` then its…;
    * cross: the monthly statistics' ``年齡＼性別 | 男 | 女 | 合計``, age groups down the side
      (both margins are summed from it).

    合計 rows (and columns) are checked against the sum, never taken as categories.
    """
    reader = _MarginReader(table)
    rows = table.rows
    if not any(_read_layout(reader, r, row) for r, row in enumerate(rows[:HEADER_SCAN])):
        return None, [table.problem(0, 0, "margins-no-header",
                                    "找不到人口統計表的標題列：請寫成「變項｜類別｜人數」三欄，或每個變項一段"
                                    "（「性別｜人數」下列出 男、女 的人數），或「年齡＼性別｜男｜女」的交叉表")]
    margins = Margins(list(reader.margins.values()), table.file, table.sheet)
    problems = reader.problems + _check_shares(margins)
    if not margins.margins and not problems:
        problems.append(table.problem(0, 0, "margins-no-header", "人口統計表沒有任何類別與人數"))
    return (None, problems) if problems else (margins, [])


def _read_layout(reader: _MarginReader, r: int, row: Sequence[Any]) -> bool:
    """Read the table if row ``r`` is the header of one of the three layouts."""
    kinds = [_kind(v) for v in row]
    first = clean_text(row[0]) if row else ""
    if "category" in kinds and "variable" in kinds and ("count" in kinds or "share" in kinds):
        value_col = kinds.index("share") if "share" in kinds else kinds.index("count")
        reader.long(r, kinds.index("variable"), kinds.index("category"), value_col, "share" in kinds)
        return True
    split = re.split(r"[\\＼/／]", first)
    if len(split) == 2 and all(part.strip() for part in split) and sum(not is_blank(v) for v in row) >= 3:
        reader.cross(r, split[0].strip(), split[1].strip())
        return True
    if first and len(row) > 1 and kinds[1] in ("count", "share"):
        rows = reader.t.rows
        reader.blocks([(i, _kind(rows[i][1]) == "share") for i in range(r, len(rows))
                       if len(rows[i]) > 1 and not is_blank(rows[i][0]) and _kind(rows[i][1]) in ("count", "share")])
        return True
    return False


def _check_shares(margins: Margins) -> list[Problem]:
    out = []
    for m in margins.margins:
        total = m.total
        if total <= 0:
            out.append(margins.problem("margins-bad-value", f"「{m.variable}」的人數合計為 0", m.cell))
        elif m.shares and not (math.isclose(total, 1, abs_tol=0.005) or math.isclose(total, 100, abs_tol=0.5)):
            out.append(margins.problem("margins-bad-total", f"「{m.variable}」的比例合計 {total:g}，"
                                       "應為 100%", m.cell))
    return out


# ---------------------------------------------------------------------- raking


@dataclass(frozen=True)
class RakeResult:
    weights: np.ndarray  # one per respondent, mean 1
    iterations: int
    converged: bool
    max_error: float  # largest relative distance of a weighted margin from its target


def rake(sample: Mapping[str, Sequence[str]], targets: Mapping[str, Mapping[str, float]], *,
         tol: float = TOLERANCE, max_iter: int = MAX_ITERATIONS) -> RakeResult:
    """Raking ratio estimation: start from weight 1 and scale the weights to each variable's
    targets in turn (``targets[var][category]``, counts or shares: each variable is rescaled
    to the sample size) until, after a full pass, every weighted margin is within ``tol``
    (relative) of its target. Every category of the sample must have a positive target."""
    import numpy as np  # on first use: the survey commands start without it

    variables = list(targets)
    n = len(next(iter(sample.values()))) if sample else 0
    weights = np.ones(n)
    codes: list[np.ndarray] = []
    goals: list[np.ndarray] = []
    for var in variables:
        cats = list(targets[var])
        index = {c: i for i, c in enumerate(cats)}
        codes.append(np.fromiter((index[c] for c in sample[var]), dtype=np.intp, count=n))
        goal = np.array([targets[var][c] for c in cats], dtype=float)
        goals.append(goal / goal.sum() * n)
    error = math.inf
    for iteration in range(1, max_iter + 1):
        for code, goal in zip(codes, goals, strict=True):
            sums = np.bincount(code, weights=weights, minlength=len(goal))
            weights = weights * (goal / sums)[code]
        error = max(float(np.max(np.abs(np.bincount(code, weights=weights, minlength=len(goal)) - goal) / goal))
                    for code, goal in zip(codes, goals, strict=True))
        if error <= tol:
            return RakeResult(weights, iteration, True, error)
    return RakeResult(weights, max_iter, False, error)


def kish_n(weights: np.ndarray) -> float:
    """Kish's effective sample size (Σw)² ÷ Σw²."""
    import numpy as np  # on first use: the survey commands start without it

    total = float(weights.sum())
    squares = float(np.dot(weights, weights))
    return total * total / squares if squares else 0.0


@dataclass
class Weighting:
    """Respondents' weights (aligned with the respondents the tally counts) and their summary."""

    variables: list[str]
    weights: np.ndarray
    iterations: int
    population: int | None = None
    margins: Margins | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return len(self.weights)

    @property
    def n_effective(self) -> float:
        return kish_n(self.weights)

    @property
    def design_effect(self) -> float:
        return self.n / self.n_effective if self.n_effective else math.nan

    @property
    def margin_of_error_95(self) -> float | None:
        """1.96·√(0.25 ÷ n_eff), with the finite-population correction of the real n."""
        n_eff = self.n_effective
        if n_eff <= 0:
            return None
        moe = Z95 * math.sqrt(0.25 / n_eff)
        if self.population:
            moe *= math.sqrt(max(self.population - self.n, 0) / (self.population - 1)) if self.population > 1 else 0
        return moe

    @property
    def weight_range(self) -> tuple[float, float]:
        return float(self.weights.min()), float(self.weights.max())

    def to_dict(self) -> dict[str, Any]:
        low, high = self.weight_range
        return {"variables": self.variables, "n": self.n, "n_effective": self.n_effective,
                "design_effect": self.design_effect, "margin_of_error_95": self.margin_of_error_95,
                "weight_min": low, "weight_max": high, "iterations": self.iterations}


Locate = Callable[[str, int], tuple[str | None, str | None, str | None]]


def weigh(sample: Mapping[str, Sequence[str | None]], margins: Margins, *, locate: Locate | None = None,
          population: int | None = None, tol: float = TOLERANCE,
          max_iter: int = MAX_ITERATIONS) -> tuple[Weighting | None, list[Problem]]:
    """Rake the respondents (``sample[variable][i]``: respondent i's category, None when
    blank) to ``margins``. ``locate(variable, i)`` names respondent i's cell for problems.
    Returns (weighting, []) or (None, every problem)."""
    where = locate or (lambda _v, _i: (None, None, None))
    problems: list[Problem] = []
    targets: dict[str, dict[str, float]] = {}
    keyed: dict[str, list[str]] = {}
    for var, values in sample.items():
        margin = margins.get(var)
        if margin is None:
            problems.append(margins.problem("weights-no-margin", f"人口統計表沒有「{var}」；表中有："
                                            f"{'、'.join(margins.variables) or '（無）'}"))
            continue
        shares = margin.share()
        listed = 0
        for i, value in enumerate(values):
            if listed >= MAX_LISTED:
                break
            if value is None:
                problems.append(Problem("weights-blank", f"加權需要每位受訪者的「{var}」，此格空白", *where(var, i)))
                listed += 1
            elif shares.get(category_key(value), 0) <= 0:
                zero = category_key(value) in shares
                problems.append(Problem("weights-unknown-category",
                                        f"「{var}」的「{value}」在人口統計表中人數為 0" if zero else
                                        f"「{var}」的「{value}」不在人口統計表中（表中有："
                                        f"{'、'.join(t.category for t in margin.targets)}）", *where(var, i)))
                listed += 1
        present = {category_key(v) for v in values if v is not None}
        for t in margin.targets:
            if t.value > 0 and category_key(t.category) not in present:
                problems.append(margins.problem("weights-empty-category",
                                                f"人口統計表的「{var}」「{t.category}」有 {t.value:,g}，但沒有受訪者"
                                                "屬於此類，無法加權；請與相鄰的類別合併", t.cell))
        targets[var] = {category_key(t.category): t.value for t in margin.targets if t.value > 0}
        keyed[var] = [category_key(v) if v is not None else "" for v in values]
    counted = [margins.get(v) for v in sample]
    totals = [(m.variable, m.total, m.cell) for m in counted if m is not None and not m.shares]
    if len(totals) > 1:
        first = totals[0]
        for var, total, cell in totals[1:]:
            if abs(total - first[1]) > TOTAL_AGREEMENT * max(total, first[1]):
                problems.append(margins.problem("weights-total-mismatch",
                                                f"「{var}」的人數合計 {total:,g} 與「{first[0]}」的 "
                                                f"{first[1]:,g} 不同："
                                                "加權的各變項應來自同一母體（例如都是 20 歲以上人口）", cell))
    if problems:
        return None, problems
    result = rake(keyed, targets, tol=tol, max_iter=max_iter)
    if not result.converged:
        return None, [margins.problem("weights-no-converge",
                                      f"加權（反覆比例調整）{max_iter} 次後仍未收斂"
                                      f"（最大誤差 {result.max_error:.2%}）："
                                      f"受訪者中「{'」與「'.join(sample)}」的組合無法同時符合人口統計；"
                                      "請合併人數很少的類別，或減少加權變項")]
    return Weighting(list(sample), result.weights, result.iterations, population, margins), []


# ---------------------------------------------------------------------- weighted figures


@dataclass(frozen=True)
class WeightedRate:
    """One question's weighted figures (the unweighted ones stay in QuestionTally)."""

    satisfaction_rate: float | None
    dissatisfaction_rate: float | None
    mean: float | None
    base: float  # Σ w over the base
    n_effective: float

    def to_dict(self) -> dict[str, Any]:
        return {"satisfaction_rate": self.satisfaction_rate, "dissatisfaction_rate": self.dissatisfaction_rate,
                "mean": self.mean, "base": self.base, "n_effective": self.n_effective}


def weighted_rate(scores: np.ndarray, weights: np.ndarray, *, exclude_no_opinion: bool) -> WeightedRate:
    """``scores``: each respondent's answer, 5…1, 0 for 無意見, negative when outside every base
    (blank, 未答, 不適用). The same definitions as the unweighted tally, with sums of weights."""
    by = {k: float(weights[scores == k].sum()) for k in range(6)}
    in_base = (scores >= (1 if exclude_no_opinion else 0)) & (scores <= 5)
    base = float(weights[in_base].sum())
    rated = sum(by[k] for k in range(1, 6))
    return WeightedRate(
        (by[5] + by[4]) / base if base else None,
        (by[2] + by[1]) / base if base else None,
        sum(k * by[k] for k in range(1, 6)) / rated if rated else None,
        base,
        kish_n(weights[in_base]) if base else 0.0,
    )
