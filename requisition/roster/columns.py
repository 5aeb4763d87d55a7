"""The roster's columns: their headers and aliases, the units in area headers, and what a stored
household is compared on."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from duban.spreadsheet import (
    ExcelError,
    split_header,
)
from requisition.models import Household
from requisition.roster.vocabulary import (
    COMPENSATION_NAMES,
    COMPENSATION_WORDS,
    SQM_TO_MU,
    SQM_UNITS,
    STAGE_NAMES,
    STAGE_WORDS,
    USE_NAMES,
    USE_WORDS,
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple = ()
    width: int = 12
    max_length: int | None = None
    unit: str = ""  # the unit our export writes in the header

    def header(self):
        return f"{self.label}({self.unit})" if self.unit else self.label


COLUMNS = {
    c.key: c
    for c in (
        Column("seq", "序号", width=6),
        Column("number", "户号", ("户编号", "户籍编号", "档案号"), width=14, max_length=30),
        Column("name", "户主姓名", ("户主", "户主名称", "被征收人", "姓名"), width=10, max_length=50),
        Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证"), width=21),
        Column("phone", "联系电话", ("电话", "手机", "手机号", "手机号码", "联系方式"), width=16, max_length=60),
        Column("village", "村/组", ("村组", "村", "所属村", "村名", "村别", "村(组)"), width=16),
        Column("use", "房屋用途", ("用途", "房屋性质"), width=9),
        Column("legal_area", "合法面积", ("合法建筑面积", "有证面积", "有证建筑面积"), width=11, unit="㎡"),
        Column("unlicensed_area", "无证面积", ("无证建筑面积",), width=11, unit="㎡"),
        Column("land_area", "土地面积", ("用地面积", "占地面积"), width=11, unit="亩"),
        Column("compensation", "补偿方式", ("安置方式",), width=10),
        Column("stage", "当前阶段", ("阶段", "工作进度", "进度"), width=10),
        # last, after the columns of older exports (which import back as they were)
        Column("group", "组", ("村民小组", "组别", "小组", "所在组", "组名"), width=8),
    )
}
BY_NAME = {name: c.key for c in COLUMNS.values() for name in (c.label, *c.aliases)}
LAYOUT = tuple(COLUMNS)
REQUIRED = ("name", "village")
AREAS = ("legal_area", "unlicensed_area", "land_area")
ADDRESS_MAX = Household._meta.get_field("address").max_length
NAME_MAX = COLUMNS["name"].max_length
NUMBER_MAX = COLUMNS["number"].max_length
WORD_COLUMNS = (("use", USE_WORDS), ("compensation", COMPENSATION_WORDS), ("stage", STAGE_WORDS))
SHOWN_WORDS = {"use": tuple(USE_NAMES.values()), "compensation": tuple(COMPENSATION_NAMES.values())}
SHOWN_WORDS["stage"] = (*STAGE_NAMES.values(), "未签约")
# what a stored household is compared on, in this order
STORED = (
    "pk",
    "village_id",
    "number",
    "head_name",
    "id_number",
    "phone",
    "address",
    "use",
    "legal_area",
    "unlicensed_area",
    "land_area",
    "compensation",
    "stage",
    "phone_typed",
    "group_id",
)
CHANGEABLE = STORED[2:]
FIELD_COLUMNS = {
    "number": "number",
    "head_name": "name",
    "id_number": "id_number",
    "phone": "phone",
    "address": "village",
    "use": "use",
    "legal_area": "legal_area",
    "unlicensed_area": "unlicensed_area",
    "land_area": "land_area",
    "compensation": "compensation",
    "stage": "stage",
    "phone_typed": "phone",
    "group_id": "group",
}


def parse_header(text):
    """'合法面积（㎡）' → ('legal_area', '㎡'); None when not one of ours."""
    split = split_header(text)
    if split is None:
        return None
    base, unit = split
    key = BY_NAME.get(base if unit is None else f"{base}({unit})")  # 村/组, 村(组)
    if key:
        return key, None
    if base not in BY_NAME:
        return None
    return BY_NAME[base], unit


def _area_factor(key, text, unit):
    """What a number in the column is multiplied by to give ㎡ (buildings) or 亩 (land)."""
    if unit in (None, "", *SQM_UNITS):
        return SQM_TO_MU if key == "land_area" and unit else Decimal(1)
    if key == "land_area" and unit == "亩":
        return Decimal(1)
    if key == "land_area" and unit == "公顷":
        return Decimal(15)
    raise ExcelError(
        _("The unit in the header %(column)s is not understood (write ㎡ or 亩).") % {"column": text.strip()}
    )
