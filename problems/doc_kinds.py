"""The 会议纪要's template (doctemplates): its placeholders, the values the minutes fill them
with (problems/minutes.py), and the default template written by the 公文 writer. The parts'
headings are numbered 一、二、… in the order the template puts them."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from doctemplates import kinds
from duban.gongwen.template import Fragment, Numbering
from duban.gongwen.writer import Writer

PLACEHOLDERS = [
    ("发文机关标志", _("The masthead in red: 会议纪要")),
    ("纪要编号", _("The minutes' number of the year: 〔2026〕3号")),
    ("发文机关", _("The office that held the meeting")),
    ("会议日期", _("The day the meeting was held: 2026年6月11日")),
    ("标题", _("The title: the meeting's name")),
    ("开头", _("The opening sentence: when, who chaired, where, how many problems")),
    ("参会人员", _("Part: the attendees")),
    ("议题和决定", _("Part: each problem discussed, with the meeting's decision")),
    ("后续任务", _("Part: the follow-up tasks as a table (unit, deadline)")),
    ("其他事项", _("Part: other matters (empty when there are none)")),
    ("印发机关", _("The office that prints the minutes, in the 版记")),
    ("印发日期", _("The date of printing, in the 版记")),
]
PARTS = ("参会人员", "议题和决定", "后续任务", "其他事项")


def values(*, masthead, number, issuer, held_on, title, opening, attendees, items, tasks, notes, printed_on):
    """The context: texts, and for each part a function writing it with the 公文 writer."""
    numbering = Numbering()

    def part(write):
        return Fragment(write, numbering)

    return {
        "发文机关标志": masthead,
        "纪要编号": number,
        "发文机关": issuer,
        "会议日期": held_on,
        "标题": title,
        "开头": opening,
        "参会人员": part(attendees),
        "议题和决定": part(items),
        "后续任务": part(tasks),
        "其他事项": part(notes),
        "印发机关": issuer,
        "印发日期": printed_on,
    }


def default_template():
    writer = Writer()
    writer.red_header("{{ 发文机关标志 }}", "{{ 纪要编号 }}", "{{ 发文机关 }}", "{{ 会议日期 }}")
    writer.title("{{ 标题 }}")
    writer.paragraph("{{ 开头 }}", indent=True)
    for key in PARTS:
        writer.paragraph(f"{{{{p {key} }}}}")
    writer.imprint("", "{{ 印发机关 }}", "{{ 印发日期 }}")
    return writer.bytes()


def sample_context():
    def section(title, text):
        def write(writer):
            writer.section(title)
            writer.paragraph(text, indent=True)

        return write

    def table(writer):
        writer.section("后续任务")
        writer.table(["序号", "任务", "责任单位", "完成时限"], [["1", "完成清表", "甲指挥部", "2026-06-30"]])

    return values(
        masthead="会议纪要",
        number="〔2026〕3号",
        issuer="示例区攻坚行动领导小组办公室",
        held_on="2026年6月11日",
        title="第三次调度会会议纪要",
        opening="2026年6月11日，示例同志主持召开第三次调度会。",
        attendees=section("参会人员", "甲指挥部、乙指挥部"),
        items=section("议题和决定", "决定：限期完成。"),
        tasks=table,
        notes=section("其他事项", "无。"),
        printed_on=date(2026, 6, 11).isoformat(),
    )


def register():
    kinds.register(
        kinds.Kind("minutes", _("Meeting minutes (会议纪要)"), PLACEHOLDERS, default_template, sample_context, order=3)
    )
