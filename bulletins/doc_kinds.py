"""The templates of the weekly bulletin and of the roll-ups (doctemplates): their placeholders,
the context a document fills them with, and the default templates, written by the 公文 writer
with the placeholders where the masthead, title, 主送, parts and 版记 go.

Each part of the document is a placeholder of its own ({{p 总体进展 }} …), so an office may
move the parts about or leave one out; the parts' headings are numbered 一、二、… in the order
the template puts them."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from bulletins import layout, render
from doctemplates import kinds
from duban.gongwen.template import Fragment, Numbering
from duban.gongwen.writer import Writer, date_label

HEAD = [
    ("发文机关标志", _("The masthead in red: 督查通报, 月度汇总 …")),
    ("期号", _("The number in the series: 2026年第12期")),
    ("发文机关", _("The issuing office, left under the masthead")),
    ("发文日期", _("The date of issue: 2026年6月11日")),
    ("标题", _("The title, with the campaign's name quoted")),
    ("主送", _("The units the document is addressed to (without the colon)")),
    ("抄送", _("The units copied, in the 版记 (may be empty)")),
    ("印发机关", _("The office that prints the document, in the 版记")),
    ("印发日期", _("The date of printing, in the 版记")),
    ("正文", _("All the parts below in their usual order, headings numbered")),
]
WEEK_PARTS = [
    ("总体进展", _("Part: overall progress (the sentences written from the figures)")),
    ("经济指标", _("Part: the economic indicators the office chose, with their 比增 (empty when none)")),
    ("各单位进展", _("Part: each indicator's table by unit, with the charts")),
    ("考核排名", _("Part: the assessment league table and its chart")),
    ("预警情况", _("Part: the units behind and flagged, with the status chart")),
    ("待解决问题", _("Part: the problems still open")),
]
ROLLUP_PARTS = [
    ("总体进展", _("Part: overall progress in the period")),
    ("经济指标", _("Part: the economic indicators the office chose, with their 比增 (empty when none)")),
    ("各单位数据", _("Part: each indicator's figures by unit, with the chart")),
    ("月度排名", _("Part: the monthly ranking (empty when there is none)")),
    ("各单位报告", _("Part: what the units reported, week by week")),
]
PART_KEYS = {key for key, _meaning in WEEK_PARTS + ROLLUP_PARTS}


def _fragment(blocks, numbering):
    return Fragment(lambda writer: render.write_blocks(writer, blocks), numbering)


def parts(blocks):
    """{part key: its blocks, the section heading first}."""
    found, key = {}, None
    for block in blocks:
        if isinstance(block, layout.Section):
            key = block.key
        if key:
            found.setdefault(key, []).append(block)
    return found


def context(heading, blocks):
    numbering = Numbering()
    found = parts(blocks)
    values = {
        "发文机关标志": heading.masthead,
        "期号": heading.number_label,
        "发文机关": heading.issuer,
        "发文日期": date_label(heading.issued_on),
        "标题": heading.title,
        "主送": heading.addressees,
        "抄送": heading.copies,
        "印发机关": heading.printer or heading.issuer,
        "印发日期": date_label(heading.issued_on),
        "正文": _fragment(blocks, numbering),
    }
    for key in PART_KEYS:
        values[key] = _fragment(found.get(key, []), numbering)
    return values


def default_template(part_names):
    """The default template: the bulletin's layout with its placeholders."""
    writer = Writer()
    writer.red_header("{{ 发文机关标志 }}", "{{ 期号 }}", "{{ 发文机关 }}", "{{ 发文日期 }}")
    writer.title("{{ 标题 }}")
    writer.addressees("{{ 主送 }}")
    for key, _meaning in part_names:
        writer.paragraph(f"{{{{p {key} }}}}")
    writer.imprint("{{ 抄送 }}", "{{ 印发机关 }}", "{{ 印发日期 }}", copies_if="抄送")
    return writer.bytes()


def sample_context(part_names):
    heading = render.Heading(
        masthead="督查通报",
        number_label="2026年第1期",
        issuer="示例区攻坚行动领导小组办公室",
        issued_on=date(2026, 6, 11),
        title="关于“示例攻坚行动”推进情况的通报",
        addressees="甲指挥部、乙指挥部",
        copies="示例市攻坚办",
    )
    blocks = []
    for key, _meaning in part_names:
        blocks += [
            layout.Section(key, key),
            layout.Paragraphs(["截至6月10日，完成交地比率为76.47%。"]),
            layout.Table("交地（亩）", "交地", ["单位", "目标（亩）", "累计"], [["甲指挥部", "1,200.00", "960.50"]]),
        ]
    return context(heading, blocks)


def register():
    kinds.register(
        kinds.Kind(
            "bulletin",
            _("Weekly supervision bulletin"),
            HEAD + WEEK_PARTS,
            lambda: default_template(WEEK_PARTS),
            lambda: sample_context(WEEK_PARTS),
            order=1,
        )
    )
    kinds.register(
        kinds.Kind(
            "rollup",
            _("Roll-ups (monthly summary, quarterly statement, half-year and annual review)"),
            HEAD + ROLLUP_PARTS,
            lambda: default_template(ROLLUP_PARTS),
            lambda: sample_context(ROLLUP_PARTS),
            order=2,
        )
    )
