"""The standard questionnaire svcq's blank template and samples use: the topics every plan in
the seeds asks about (洽公環境, 服務態度, 專業程度, 等候時間…)."""

from __future__ import annotations

from toolkit.survey.likert import LABELS, NO_OPINION
from toolkit.survey.questionnaire import Question, Questionnaire

QUESTIONS: tuple[Question, ...] = (
    Question("洽公環境", "洽公環境整潔明亮、舒適"),
    Question("標示引導", "標示清楚、動線引導明確"),
    Question("服務設施", "服務設施（座椅、書寫台、無障礙設施）完善"),
    Question("服務態度", "服務人員態度親切有禮"),
    Question("專業程度", "服務人員專業、說明清楚"),
    Question("等候時間", "等候時間合理"),
    Question("辦理效率", "案件辦理迅速"),
    Question("電話服務", "電話洽詢時接聽人員禮貌周到"),
    Question("整體滿意度", "整體而言，您對本所服務的滿意程度"),
)
#: Demographic columns and the choices offered in the template's drop-downs.
DEMOGRAPHICS: dict[str, tuple[str, ...]] = {
    "性別": ("男", "女", "其他"),
    "年齡": ("未滿20歲", "20-29歲", "30-39歲", "40-49歲", "50-59歲", "60歲以上"),
    "申辦項目": ("戶籍登記", "印鑑登記", "戶籍謄本", "國民身分證", "戶口名簿", "自然人憑證", "其他"),
}
COMMENTS: tuple[str, ...] = ("其他意見或建議",)
ANSWERS: tuple[str, ...] = (*LABELS, NO_OPINION)


def standard_questionnaire() -> Questionnaire:
    return Questionnaire(list(QUESTIONS), list(DEMOGRAPHICS), list(COMMENTS),
                         title="為民服務滿意度調查")
