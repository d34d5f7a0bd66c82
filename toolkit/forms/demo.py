"""Demo step 填寫表單: the sample county form (samples/forms) filled from the results the
family steps computed — the 113 self-score, the 113 survey and its votes, the June status."""

from __future__ import annotations

import toolkit as svcq
from toolkit.demo import DemoContext

FORM = "民政局考核填報表.xlsx"
#: data name in the form → the demo result it comes from (keys of ctx.results)
DATA = {"score": "score", "survey": "survey", "votes": "survey_votes", "status": "schedule"}
NAMES = {"最佳禮儀人員": "votes.ranking.1.name"}


def run(ctx: DemoContext) -> None:
    form = ctx.samples / "forms" / FORM
    data = {name: ctx.results[key] for name, key in DATA.items() if key in ctx.results}
    if not form.is_file() or len(data) < len(DATA):
        ctx.say("    （略過：沒有範例表單或前面步驟的結果）")
        return
    out = ctx.out / "forms" / FORM.replace(".xlsx", "-已填寫.xlsx")
    result = svcq.fill_form(form, data, out, names=NAMES)
    ctx.wrote(f"民政局考核填報表（由各項結果填入 {len(result.spots)} 格）", out)
    for note in result.notes:
        ctx.say(f"    注意：{note}")
