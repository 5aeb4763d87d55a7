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
# the other words rosters use: 住房安置 / 实物安置 / 安置房 is a flat in exchange (产权调换); a 房票
# (housing voucher, spent on a flat on the market) is paid instead of money: 货币补偿
MONEY_WORDS = ("货币", "货币安置", "货币补偿安置", "现金补偿", "房票", "房票安置")
SWAP_WORDS = ("产权置换", "住房安置", "实物安置", "房屋安置", "安置房", "产权调换安置", "回迁安置", "调换")
COMPENSATION_WORDS.update(dict.fromkeys(MONEY_WORDS, Household.Compensation.MONEY.value))
COMPENSATION_WORDS.update(dict.fromkeys(SWAP_WORDS, Household.Compensation.SWAP.value))
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
# the words of the field teams' sheets: 签协议 is 签约, 交房 and 腾房 are 腾空 (the house handed over
# empty), 拆 is 拆除
SYNONYMS = {
    Stage.NONE: ("未摸底", "未开始", "未启动"),
    Stage.VISITED: ("已摸底", "入户调查", "已调查"),
    Stage.MEASURED: ("测量", "已测量", "测绘", "已测绘", "丈量完成"),
    Stage.ASSESSED: ("已评估", "评估完成"),
    Stage.SIGNED: ("已签协议", "签协议", "签订协议", "已签订协议", "签约完成"),
    Stage.VACATED: ("已交房", "交房", "已腾房", "腾房", "已搬迁", "搬迁"),
    Stage.DEMOLISHED: ("已拆", "拆", "拆除完成"),
    Stage.DELIVERED: ("已交地", "交付", "已交付"),
}
STAGE_WORDS.update({word: stage.value for stage, words in SYNONYMS.items() for word in words})
# 未签约 says only that the household has not signed: a new household starts at 未入户, a stored
# one keeps its stage if that is before 签约 (a signed one is refused: it would go back)
STAGE_BELOW = {"未签约": Stage.SIGNED, "未签": Stage.SIGNED, "未拆除": Stage.DEMOLISHED, "未拆": Stage.DEMOLISHED}
STAGE_WORDS.update(dict.fromkeys(STAGE_BELOW, Stage.NONE.value))
STAGE_ORDER = {stage: index for index, stage in enumerate([Stage.NONE, *STAGES])}
