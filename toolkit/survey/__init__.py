"""滿意度調查 domain: Likert normalisation, tallies, Wilson, FPC, cross-tabs, trends, votes.

Plain data in, plain data out; files are read and written by toolkit.survey.sheets.
"""

from toolkit.survey.counts import tally_counts
from toolkit.survey.likert import COUNT_KEYS, LABELS, NO_OPINION, NO_OPINION_WORDS, STANDARD, Scale
from toolkit.survey.questionnaire import (
    Question,
    Questionnaire,
    detect_questionnaire,
    questionnaire_from_dict,
)
from toolkit.survey.stats import chi_square, margin_of_error, two_proportion_z, wilson
from toolkit.survey.tally import Comment, CrossTab, Options, QuestionTally, Tally, tally_table
from toolkit.survey.trend import Trend, trend
from toolkit.survey.votes import VoteResult, count_votes, rank

__all__ = [
    "COUNT_KEYS", "LABELS", "NO_OPINION", "NO_OPINION_WORDS", "STANDARD", "Comment", "CrossTab",
    "Options", "Question", "QuestionTally", "Questionnaire", "Scale", "Tally", "Trend", "VoteResult",
    "chi_square", "count_votes", "detect_questionnaire", "margin_of_error", "questionnaire_from_dict",
    "rank", "tally_counts", "tally_table", "trend", "two_proportion_z", "wilson",
]
