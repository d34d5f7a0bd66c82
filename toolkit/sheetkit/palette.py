"""The one set of colours svcq draws with, in workbooks (native Excel charts, fills) and in the
HTML reports (matplotlib): declared once so a chart reads the same on paper and on screen.

Every pair a chart puts side by side stays apart for the common colour-vision deficiencies
(protanopia, deuteranopia): the Likert scale is ColorBrewer's BrBG (brown ↔ teal, never red ↔
green), the other series are blues against a neutral grey, and the one warning colour (late,
below standard) is always paired with a word or a line style, never colour alone.
"""

from __future__ import annotations

#: The five scale labels, best first (非常滿意 … 非常不滿意): ColorBrewer BrBG with a grey
#: neutral, colour-blind safe and distinct in greyscale print.
LIKERT_BEST_FIRST = ("#018571", "#80cdc1", "#d4d4d4", "#dfc27d", "#a6611a")
#: The same, worst first (the HTML report draws dissatisfied on the left).
LIKERT_WORST_FIRST = tuple(reversed(LIKERT_BEST_FIRST))
#: 無意見 beside the scale in a workbook chart: white in a grey outline, set apart from 普通.
NO_OPINION = "#ffffff"
#: Segment outlines of stacked bars.
OUTLINE = "#666666"

#: One measured quantity (得分, 得票數, a score): a strong blue.
SERIES = "#2166ac"
#: Its reference (配分, the maximum): a light grey the blue stands out against.
REFERENCE = "#d9d9d9"
#: Last year beside this year: a lighter blue of the same hue.
PAST = "#4393c3"

#: 預定 and 實際 in the schedule's Gantt and control sheet: light and dark blue.
PLANNED = "#9ecae1"
ACTUAL = "#08519c"
#: 落後 / 最低標準: the one warning colour, always with a word or a dashed line.
LATE = "#b2182b"
