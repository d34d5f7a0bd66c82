"""Regenerate the survey samples (fixed seed: the files are identical run to run).

    .venv/bin/python samples/survey/generate.py

Writes 滿意度調查-111.csv (a Google-Forms style CSV export), 滿意度調查-112.xlsx,
滿意度調查-113.xlsx (title row, codes, full-width digits and stray spaces as staff type them),
評分按鈕月統計-113.xlsx (counter rating-button counts per month) and
最佳禮儀服務人員票選-113.xlsx (one ballot per row, a 候選人 sheet, a tie, spoiled ballots).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from toolkit.io.xlsx import new_workbook
from toolkit.roc import format_date
from toolkit.survey.likert import LABELS
from toolkit.survey.standard import COMMENTS, DEMOGRAPHICS, QUESTIONS

HERE = Path(__file__).parent
SEED = 113
#: Probability of each answer, best first, then 無意見; per question and year. 等候時間
#: improves markedly (the 112 queue-ticket system), 電話服務 has many 無意見 (few called).
BASE = {
    "洽公環境": (0.42, 0.44, 0.11, 0.02, 0.01, 0.0),
    "標示引導": (0.38, 0.45, 0.13, 0.03, 0.01, 0.0),
    "服務設施": (0.35, 0.46, 0.15, 0.03, 0.01, 0.0),
    "服務態度": (0.55, 0.36, 0.07, 0.01, 0.01, 0.0),
    "專業程度": (0.50, 0.38, 0.09, 0.02, 0.01, 0.0),
    "等候時間": (0.25, 0.43, 0.22, 0.07, 0.03, 0.0),
    "辦理效率": (0.40, 0.42, 0.13, 0.04, 0.01, 0.0),
    "電話服務": (0.20, 0.22, 0.06, 0.01, 0.01, 0.50),
    "整體滿意度": (0.45, 0.43, 0.10, 0.01, 0.01, 0.0),
}
SHIFT = {111: -0.05, 112: 0.0, 113: 0.03}  # moves share from 普通/不滿意 to 滿意
WAIT_SHIFT = {111: -0.10, 112: 0.0, 113: 0.08}
SIZES = {111: 320, 112: 360, 113: 400}
COMMENT_POOL = [
    "希望增設停車位", "櫃台人員很親切，謝謝", "等候區冷氣太冷", "希望延長夜間服務時間",
    "叫號系統很方便", "表格範例可以再清楚一點", "服務很快，讚", "假日結婚登記很貼心",
    "=好評！", "+886-2-2345-6789 請回電說明印鑑證明", "-希望增加哺乳室指標", "@3號櫃台 小姐很專業",
    "無障礙坡道有點陡", "網站的申辦須知很實用",
]


def probs(question: str, year: int, age: str) -> list[float]:
    p = list(BASE[question])
    shift = WAIT_SHIFT[year] if question == "等候時間" else SHIFT[year]
    if question == "等候時間" and age == "60歲以上":
        shift -= 0.08  # older applicants mind waiting more: visible in the 交叉分析
    move = min(abs(shift), p[2] + p[3]) * (1 if shift > 0 else -1)
    p[1] += move
    p[2] -= move * 0.7
    p[3] -= move * 0.3
    return [max(x, 0.0) for x in p]


def answers(rng: random.Random, year: int) -> list[list[object]]:
    rows = []
    start = dt.date(year + 1911, 3, 1)
    for i in range(SIZES[year]):
        sex = rng.choices(DEMOGRAPHICS["性別"], (0.46, 0.52, 0.02))[0]
        age = rng.choices(DEMOGRAPHICS["年齡"], (0.05, 0.17, 0.22, 0.21, 0.18, 0.17))[0]
        item = rng.choices(DEMOGRAPHICS["申辦項目"], (0.3, 0.12, 0.25, 0.12, 0.08, 0.06, 0.07))[0]
        row: list[object] = [i + 1, start + dt.timedelta(days=rng.randrange(60)), sex, age, item]
        for q in QUESTIONS:
            if rng.random() < 0.02:
                row.append("")  # skipped
                continue
            k = rng.choices(range(6), probs(q.column, year, age))[0]
            row.append(LABELS[k] if k < 5 else "無意見")
        row.append(rng.choice(COMMENT_POOL) if rng.random() < 0.12 else "")
        rows.append(row)
    return rows


HEADER = ["編號", "填寫日期", *DEMOGRAPHICS, *(q.column for q in QUESTIONS), *COMMENTS]
NO_OP_SYNONYMS = ("不知道", "未回答", "拒答")


def as_typed(rng: random.Random, value: object, col: int) -> object:
    """How staff key answers in by hand: codes, full-width digits, stray spaces."""
    first_q = 5
    if not first_q <= col < first_q + len(QUESTIONS) or value == "":
        return value
    roll = rng.random()
    if value == "無意見":
        return rng.choice(NO_OP_SYNONYMS) if roll < 0.3 else value
    code = 5 - LABELS.index(str(value))
    if roll < 0.15:
        return code  # a number cell
    if roll < 0.20:
        return "０１２３４５"[code]  # full-width digit
    if roll < 0.25:
        return " ".join(str(value)) if len(str(value)) > 2 else f"{value}　"
    return value


def write_csv(year: int, rows: list[list[object]]) -> None:
    path = HERE / f"滿意度調查-{year}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for r in rows:
            w.writerow([format_date(v, "slashed") if isinstance(v, dt.date) else v for v in r])


def write_xlsx(year: int, rows: list[list[object]], rng: random.Random, *, typed: bool) -> None:
    path = HERE / f"滿意度調查-{year}.xlsx"
    with new_workbook(path, deterministic=True) as wb:
        ws = wb.add_worksheet("問卷回覆")
        top = 0
        if typed:
            ws.write_string(0, 0, f"{year}年度為民服務滿意度調查（紙本問卷人工登打）")
            top = 1
        for c, h in enumerate(HEADER):
            ws.write_string(top, c, h)
        for r, row in enumerate(rows, top + 1):
            for c, v in enumerate(row):
                v = as_typed(rng, v, c) if typed else v
                if isinstance(v, dt.date):
                    ws.write_string(r, c, format_date(v, "dotted"))
                elif isinstance(v, int):
                    ws.write_number(r, c, v)
                elif v != "":
                    ws.write_string(r, c, str(v))


def write_counts(rng: random.Random) -> None:
    path = HERE / "評分按鈕月統計-113.xlsx"
    heads = ["月份", *LABELS, "合計"]
    with new_workbook(path, deterministic=True) as wb:
        ws = wb.add_worksheet("按鈕統計")
        ws.write_string(0, 0, "113年 臨櫃服務滿意度評分按鈕 每月統計")
        for c, h in enumerate(heads):
            ws.write_string(1, c, h)
        totals = [0] * 5
        for m in range(1, 13):
            n = rng.randint(900, 1400)
            shares = (0.62, 0.28, 0.07, 0.02, 0.01) if m != 7 else (0.50, 0.30, 0.12, 0.05, 0.03)
            counts = [round(n * s) for s in shares]
            ws.write_string(m + 1, 0, f"{m}月")
            for j, v in enumerate(counts):
                ws.write_number(m + 1, 1 + j, v)
                totals[j] += v
            ws.write_formula(m + 1, 6, f"=SUM(B{m + 2}:F{m + 2})", None, sum(counts))
        ws.write_string(14, 0, "合計")
        for j, v in enumerate(totals):
            col = "BCDEF"[j]
            ws.write_formula(14, 1 + j, f"=SUM({col}3:{col}14)", None, v)
        ws.write_formula(14, 6, "=SUM(G3:G14)", None, sum(totals))


CANDIDATES = ["林美玲", "陳志明", "黃淑芬", "張家豪", "李雅婷", "王建國"]
VOTES = [52, 41, 41, 30, 22, 14]  # 陳志明 and 黃淑芬 tie for second


def write_ballots(rng: random.Random) -> None:
    path = HERE / "最佳禮儀服務人員票選-113.xlsx"
    ballots = [name for name, n in zip(CANDIDATES, VOTES, strict=True) for _ in range(n)]
    ballots += ["", "", "", "林美玲、陳志明", "王小明"]  # blank ×3, two names, not a candidate
    ballots[5] = "林 美玲"  # a stray space is still 林美玲
    rng.shuffle(ballots)
    with new_workbook(path, deterministic=True) as wb:
        ws = wb.add_worksheet("選票")
        for c, h in enumerate(["編號", "投票日期", "票選對象"]):
            ws.write_string(0, c, h)
        for i, name in enumerate(ballots, 1):
            ws.write_number(i, 0, i)
            ws.write_string(i, 1, f"113.12.{rng.randint(2, 13):02d}")
            if name:
                ws.write_string(i, 2, name)
        cand = wb.add_worksheet("候選人")
        cand.write_string(0, 0, "候選人")
        for i, name in enumerate(CANDIDATES, 1):
            cand.write_string(i, 0, name)


#: The paper survey keyed as codes, and the codes' meaning (its 代碼表 sheet).
PAPER_SIZE = 300
NO_OPINION_CODE, UNANSWERED, NOT_APPLICABLE = 6, 9, 8
SEXES = ("男", "女")
#: 113年12月 人口統計 of the district, 15 歲以上 (未滿20歲 = 15–19): men, women per age group.
POPULATION = {"未滿20歲": (2900, 2700), "20-29歲": (7600, 7100), "30-39歲": (8300, 8000),
              "40-49歲": (8900, 8800), "50-59歲": (8600, 8900), "60歲以上": (11200, 13100)}


def paper_answers(rng: random.Random) -> list[list[object]]:
    """Women and 40–59 are over-represented at the counter; men a little less satisfied, so
    weighting to the population moves the rates. 55 % never phoned: 電話服務 8 = 不適用."""
    rows: list[list[object]] = []
    ages = DEMOGRAPHICS["年齡"]
    for i in range(PAPER_SIZE):
        sex = rng.choices((1, 2), (0.38, 0.62))[0]
        age = rng.choices(range(1, 7), (0.03, 0.11, 0.18, 0.27, 0.24, 0.17))[0]
        row: list[object] = [i + 1, sex, age]
        for q in QUESTIONS:
            if rng.random() < 0.03:
                row.append(UNANSWERED)
                continue
            if q.column == "電話服務" and rng.random() < 0.55:
                row.append(NOT_APPLICABLE)
                continue
            p = probs(q.column, 113, ages[age - 1])
            if sex == 1:  # men: some 滿意 become 普通
                p[1], p[2] = p[1] - 0.08, p[2] + 0.08
            if q.column == "電話服務":
                p[5] = 0.12  # of those who phoned, few have no opinion
            k = rng.choices(range(6), [max(x, 0.0) for x in p])[0]
            row.append(5 - k if k < 5 else NO_OPINION_CODE)
        rows.append(row)
    return rows


def write_paper(rng: random.Random) -> None:
    path = HERE / "滿意度調查-113-紙本.xlsx"
    header = ["編號", "性別", "年齡", *(q.column for q in QUESTIONS)]
    codes: list[tuple[str, object, str]] = [
        ("各題", 5, LABELS[0]), ("", 4, LABELS[1]), ("", 3, LABELS[2]), ("", 2, LABELS[3]),
        ("", 1, LABELS[4]), ("", NO_OPINION_CODE, "無意見"), ("", UNANSWERED, "未答"),
        ("電話服務", NOT_APPLICABLE, "不適用"), ("電話服務", "", "僅計曾使用者"),
        *(("性別" if i == 0 else "", i + 1, v) for i, v in enumerate(SEXES)),
        *(("年齡" if i == 0 else "", i + 1, v) for i, v in enumerate(DEMOGRAPHICS["年齡"])),
    ]
    with new_workbook(path, deterministic=True) as wb:
        ws = wb.add_worksheet("問卷回覆")
        ws.write_string(0, 0, "113年度為民服務滿意度調查（紙本問卷，以代碼登打）")
        for c, h in enumerate(header):
            ws.write_string(1, c, h)
        for r, row in enumerate(paper_answers(rng), 2):
            for c, v in enumerate(row):
                ws.write_number(r, c, int(str(v)))
        cb = wb.add_worksheet("代碼表")
        for c, h in enumerate(("題目", "代碼", "說明")):
            cb.write_string(0, c, h)
        for r, (name, code, label) in enumerate(codes, 1):
            if name:
                cb.write_string(r, 0, name)
            if code != "":
                cb.write_number(r, 1, int(str(code)))
            cb.write_string(r, 2, label)


def write_population() -> None:
    """The office's monthly 人口統計 as it publishes it: 年齡 × 性別 with 合計 (formulas)."""
    path = HERE / "人口統計-113.xlsx"
    with new_workbook(path, deterministic=True) as wb:
        ws = wb.add_worksheet("人口統計")
        ws.write_string(0, 0, "113年12月 本區人口統計（15歲以上，依年齡、性別）")
        for c, h in enumerate(("年齡＼性別", "男", "女", "合計")):
            ws.write_string(1, c, h)
        for r, (age, (men, women)) in enumerate(POPULATION.items(), 2):
            ws.write_string(r, 0, age)
            ws.write_number(r, 1, men)
            ws.write_number(r, 2, women)
            ws.write_formula(r, 3, f"=B{r + 1}+C{r + 1}", None, men + women)
        last = 2 + len(POPULATION)
        ws.write_string(last, 0, "合計")
        for c, col in enumerate("BCD", 1):
            total = sum(m + w if c == 3 else (m if c == 1 else w) for m, w in POPULATION.values())
            ws.write_formula(last, c, f"=SUM({col}3:{col}{last})", None, total)


def main() -> None:
    rng = random.Random(SEED)
    write_csv(111, answers(rng, 111))
    write_xlsx(112, answers(rng, 112), rng, typed=False)
    write_xlsx(113, answers(rng, 113), rng, typed=True)
    write_counts(rng)
    write_ballots(rng)
    write_paper(random.Random(SEED + 1))  # a stream of its own: the files above stay as they were
    write_population()


if __name__ == "__main__":
    main()
