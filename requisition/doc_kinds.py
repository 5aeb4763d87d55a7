"""The compensation sheet's template (doctemplates): its placeholders, the values a household's
sheet fills them with (requisition/compensation_views.py), and the default template written by
the 公文 writer."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doctemplates import kinds
from duban.gongwen.template import Fragment
from duban.gongwen.writer import Writer

PLACEHOLDERS = [
    ("标题", _("The title: 征收补偿明细表")),
    ("户主", _("The head of household (no ID number, no phone)")),
    ("村", _("The household's village")),
    ("户号", _("The household's number in its village")),
    ("补偿方式", _("Money or property swap")),
    ("用途", _("Residential or not")),
    ("补偿方案", _("The compensation scheme applied")),
    ("状态说明", _("Whether the sheet is fixed at signing or an estimate")),
    ("明细表", _("The items as a table: formula, figures and amount, with the total")),
    ("合计", _("The total in figures: 765,000.00")),
    ("合计大写", _("The total in capitals: 柒拾陆万伍仟元整")),
]


def values(*, title, head, village, number, choice, use, scheme, status, table, total, total_upper):
    return {
        "标题": title,
        "户主": head,
        "村": village,
        "户号": number,
        "补偿方式": choice,
        "用途": use,
        "补偿方案": scheme,
        "状态说明": status,
        "明细表": Fragment(table),
        "合计": total,
        "合计大写": total_upper,
    }


def default_template():
    from requisition.compensation_views import signature_lines

    writer = Writer()
    writer.title("{{ 标题 }}")
    writer.paragraph(
        gettext("Head of household: %(name)s    Village: %(village)s    Household number: %(number)s")
        % {"name": "{{ 户主 }}", "village": "{{ 村 }}", "number": "{{ 户号 }}"}
    )
    writer.paragraph(
        gettext("Compensation: %(choice)s    Use: %(use)s    Scheme: %(scheme)s")
        % {"choice": "{{ 补偿方式 }}", "use": "{{ 用途 }}", "scheme": "{{ 补偿方案 }}"}
    )
    writer.paragraph("{{ 状态说明 }}")
    writer.paragraph("{{p 明细表 }}")
    writer.paragraph(
        gettext("Total: %(figures)s yuan (in capitals: %(upper)s)")
        % {"figures": "{{ 合计 }}", "upper": "{{ 合计大写 }}"},
        bold=True,
    )
    writer.paragraph()
    for line in signature_lines():
        writer.paragraph(line)
    return writer.bytes()


def sample_context():
    def table(writer):
        headers = ["序号", "项目", "计算公式", "计算数据", "金额（元）"]
        writer.table(headers, [["1", "装修补偿", "面积 × 单价", "1 × 1", "1.00"]])

    return values(
        title="征收补偿明细表",
        head="林阿福",
        village="江尾村",
        number="001",
        choice="货币补偿",
        use="住宅",
        scheme="示例征收补偿方案",
        status="测算",
        table=table,
        total="1.00",
        total_upper="壹元整",
    )


def register():
    kinds.register(
        kinds.Kind(
            "compensation",
            _("Compensation sheet (征收补偿明细表)"),
            PLACEHOLDERS,
            default_template,
            sample_context,
            order=4,
        )
    )
