"""Award self-scoring (自評評分): rubric trees, scoring, gap analysis, comparison, merging.

Pure domain code: plain data in, plain data out. Files are read and written by
``toolkit.score.sheets`` (sheets) and ``toolkit.score.rubric_files`` (YAML rubrics).
"""

from toolkit.score.compare import Comparison, compare
from toolkit.score.layout import Cell, Layout, SheetScores, find_layout, read_sheet
from toolkit.score.merge import MergeResult, merge
from toolkit.score.rubric import Band, Leaf, Node, Rubric, rubric_from_dict
from toolkit.score.scoring import CallsResult, DimensionScore, LeafScore, ScoreResult, score

__all__ = [
    "Band",
    "CallsResult",
    "Cell",
    "Comparison",
    "DimensionScore",
    "Layout",
    "Leaf",
    "LeafScore",
    "MergeResult",
    "Node",
    "Rubric",
    "ScoreResult",
    "SheetScores",
    "compare",
    "find_layout",
    "merge",
    "read_sheet",
    "rubric_from_dict",
    "score",
]
