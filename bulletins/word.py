"""Word (.docx) layout of bulletins and roll-up documents, in the format offices send: a red
header (红头) with the issuing office, the number (第N期) and the date over a red rule; a title;
numbered sections (一、二、…) of sentences, tables and charts."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx.oxml.ns import nsdecls

from bulletins import narrative
from ranking.league import change_text

BODY_FONT = "SimSun"  # 宋体
HEAD_FONT = "SimHei"  # 黑体
RED = "C00000"
SHADES = {"green": "E8F5EE", "yellow": "FDF3E1", "red": "FBE5E6"}
SECTION_NUMBERS = "一二三四五六七八九十"
TEXT_WIDTH_CM = 15.6
TWIPS_PER_CM = 567
BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")


def _fonts(run, font=BODY_FONT, size=None, bold=False, colour=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if size:
        run.font.size = Pt(size)
    run.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


class Writer:
    """A python-docx Document with the few paragraph kinds a bulletin uses."""

    def __init__(self):
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.left_margin, section.right_margin = Cm(2.7), Cm(2.7)
        normal = self.doc.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(12)
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        self.sections = 0

    def paragraph(self, text="", size=None, bold=False, align=None, font=BODY_FONT, colour=None, indent=False):
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(24)
        paragraph.paragraph_format.space_after = Pt(4)
        if text:
            _fonts(paragraph.add_run(text), font, size, bold, colour)
        return paragraph

    def red_header(self, masthead, number_label, issuer, issued_on):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        center = WD_ALIGN_PARAGRAPH.CENTER
        self.paragraph(masthead, size=30, bold=True, align=center, font=HEAD_FONT, colour=RED)
        self.paragraph(number_label, size=14, align=center)
        line = self.paragraph()
        line.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
        _fonts(line.add_run(f"{issuer}\t{date_label(issued_on)}"), size=12)
        # The red rule under the header: a bottom border on the issuer's line.
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", RED)):
            bottom.set(qn(key), value)
        borders.append(bottom)
        line._p.get_or_add_pPr().append(borders)
        line.paragraph_format.space_after = Pt(12)

    def title(self, text):
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.paragraph(text, size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=HEAD_FONT)

    def section(self, text):
        number = SECTION_NUMBERS[self.sections] if self.sections < len(SECTION_NUMBERS) else str(self.sections + 1)
        self.sections += 1
        self.paragraph(
            _("%(number)s. %(title)s") % {"number": number, "title": text}, size=14, bold=True, font=HEAD_FONT
        )

    def subheading(self, text):
        self.paragraph(text, size=12, bold=True)

    def picture(self, png, caption="", width_cm=TEXT_WIDTH_CM):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if caption:
            self.paragraph(caption, size=10, align=WD_ALIGN_PARAGRAPH.CENTER)

    def table(self, headers, rows, widths=None, size=9, shades=None, numeric_from=1):
        """rows: lists of strings; shades: {(row, col): "green"|"yellow"|"red"}.

        The table's XML is written in one piece and parsed once: building it cell by cell through
        python-docx costs about a millisecond a cell, too slow for a hundred units."""
        from docx.oxml import parse_xml
        from docx.table import Table

        ncols = len(headers)
        widths = widths or [TEXT_WIDTH_CM / ncols] * ncols
        twips = [round(w * TWIPS_PER_CM) for w in widths]
        shades = shades or {}
        run_props = (
            f'<w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}"/>'
            f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>'
        )
        parts = [
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>',
            *[f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in BORDERS],
            "</w:tblBorders></w:tblPr><w:tblGrid>",
            *[f'<w:gridCol w:w="{w}"/>' for w in twips],
            "</w:tblGrid>",
        ]
        for r, values in enumerate([headers, *rows]):
            parts.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if r == 0 else "<w:tr>")
            for c, text in enumerate(values):
                fill = "D9D9D9" if r == 0 else SHADES.get(shades.get((r - 1, c)))
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
                align = "center" if r == 0 else "right" if c >= numeric_from else "left"
                bold = "<w:b/>" if r == 0 else ""
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/>{shade}</w:tcPr>'
                    f'<w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="{align}"/></w:pPr>'
                    f'<w:r><w:rPr>{run_props}{bold}</w:rPr><w:t xml:space="preserve">{escape(str(text))}</w:t></w:r>'
                    "</w:p></w:tc>"
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        tbl = parse_xml("".join(parts))
        self.doc.element.body._insert_tbl(tbl)
        self.paragraph()
        return Table(tbl, self.doc._body)

    def bytes(self):
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def date_label(day):
    return _("%(year)d-%(month)d-%(day)d") % {"year": day.year, "month": day.month, "day": day.day}


def pct(value):
    return "—" if value is None else narrative.fmt(value) + "%"


def num(value, places=2):
    return "—" if value is None else narrative.fmt(value, places)


def change_label(change):
    return change_text(change)


def status_label(value):
    from duban.schedule import Status

    return str(Status(value).label) if value in Status.values else "—"
