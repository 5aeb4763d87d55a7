"""The field teams' words (not interface text): uses, compensation choices, stages, and the
figures areas are read with."""

from decimal import Decimal

from duban.spreadsheet import (
    TOTAL_WORDS,
)
from requisition.models import STAGES, Household, Stage

ZERO = Decimal(0)
CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")
MAX_AREA = Decimal(10_000_000)  # ㎡ (or 亩): more than any one household has
SQM_TO_MU = Decimal("0.0015")  # 1 亩 = 10000/15 ㎡ exactly
SQM_UNITS = {"㎡", "m²", "m2", "M2", "平方米", "平米", "平方"}
TOTAL_FIRST = {word[0] for word in TOTAL_WORDS}
# Words of the layout (the field teams' Chinese, not interface text) ---------------------------

USE_WORDS = {"住宅": Household.Use.RESIDENTIAL.value, "非住宅": Household.Use.NON_RESIDENTIAL.value}
USE_NAMES = {value: word for word, value in USE_WORDS.items()}
COMPENSATION_WORDS = {"货币补偿": Household.Compensation.MONEY.value, "产权调换": Household.Compensation.SWAP.value}
COMPENSATION_NAMES = {value: word for word, value in COMPENSATION_WORDS.items()}
COMPENSATION_WORDS.update({"货币": Household.Compensation.MONEY.value, "产权置换": Household.Compensation.SWAP.value})
STAGE_NAMES = {
    Stage.NONE: "未入户",
    Stage.VISITED: "入户摸底",
    Stage.MEASURED: "丈量",
    Stage.ASSESSED: "评估",
    Stage.SIGNED: "签约",
    Stage.VACATED: "腾空",
    Stage.DEMOLISHED: "拆除",
    Stage.DELIVERED: "交地",
}
STAGE_WORDS = {word: stage.value for stage, word in STAGE_NAMES.items()}
STAGE_WORDS.update({f"已{word}": stage.value for stage, word in STAGE_NAMES.items() if stage != Stage.NONE})
STAGE_WORDS.update({"入户": Stage.VISITED.value, "摸底": Stage.VISITED.value, "已入户": Stage.VISITED.value})
STAGE_ORDER = {stage: index for index, stage in enumerate([Stage.NONE, *STAGES])}
