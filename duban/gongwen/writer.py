"""Word (.docx) layout of the documents duban writes, in the 公文 format of GB/T 9704-2012: A4 with
the standard's margins (type area 156×225 mm); the 发文机关标志 in red over a red separator line;
the title in 2号 方正小标宋简体; the 主送 line; body in 3号 仿宋_GB2312; headings 一、 in 黑体,
（一） in 楷体_GB2312, 1. and （1） in 仿宋_GB2312; page numbers "— 1 —" in 4号 宋体, odd pages right
and even pages left; the 版记 (抄送, 印发机关 and 印发日期) between lines at the end.

Every run names its East Asian font (w:eastAsia) as well as its Latin one, so digits and Chinese
share the face. Table columns are as wide as their longest figure or unit name (duban/gongwen/fit.py),
or the table's font steps down, so a number never breaks inside a cell."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx.oxml.ns import nsdecls
from lxml import etree

from duban.gongwen import fit

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
FONTS = (TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT, SONG_FONT)
TITLE_SIZE = 22  # 2号
BODY_SIZE = 16  # 3号
PAGE_NUMBER_SIZE = 14  # 4号
MASTHEAD_SIZE = 36
LINE_PITCH = 28.9  # pt: 22 lines in the 225 mm type area
RED = "C00000"
SHADES = {"green": "E8F5EE", "yellow": "FDF3E1", "red": "FBE5E6"}
SECTION_NUMBERS = "一二三四五六七八九十"
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_CM = fit.TEXT_WIDTH_CM
TWIPS_PER_CM = 567
BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")


def chinese_number(n):
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (enough for the headings of a document)."""
    digits = "零一二三四五六七八九"
    if n <= 10:
        return SECTION_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _fonts(run, font=BODY_FONT, size=None, bold=False, colour=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = font
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), font)
    run.font.size = Pt(size or BODY_SIZE)
    run.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _border(paragraph, side, size=8, colour="000000", space=1):
    """A rule above or below a paragraph (size in eighths of a point: 8 ≈ 0.35 mm, 6 ≈ 0.25 mm)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", str(space)), ("w:color", colour)):
        line.set(qn(key), value)
    borders.append(line)


def _page_field(paragraph, size=PAGE_NUMBER_SIZE):
    """ "— N —" with N the PAGE field."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    _fonts(paragraph.add_run("— "), SONG_FONT, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _fonts(paragraph.add_run(), SONG_FONT, size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run._r.append(OxmlElement("w:t"))
            run._r[-1].text = text
    _fonts(paragraph.add_run(" —"), SONG_FONT, size)


class Writer:
    """A python-docx Document with the paragraph kinds of a 公文."""

    def __init__(self):
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(21)  # the page number sits 7 mm below the type area
        normal = self.doc.styles["Normal"]
        normal.font.name = BODY_FONT
        normal.font.size = Pt(BODY_SIZE)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(key), BODY_FONT)
        normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        normal.paragraph_format.line_spacing = Pt(LINE_PITCH)
        normal.paragraph_format.space_after = Pt(0)
        # page numbers: odd pages right, even pages left, one character in from the edge
        self.doc.settings.odd_and_even_pages_header_footer = True
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
            else:
                paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
            _page_field(paragraph)
        self.sections = 0
        self.subsections = 0

    def paragraph(
        self, text="", size=None, bold=False, align=None, font=BODY_FONT, colour=None, indent=False, exact=True
    ):
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(2 * (size or BODY_SIZE))
        if not exact:  # large type (masthead, title) may not fit the body's line pitch
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if text:
            _fonts(paragraph.add_run(text), font, size, bold, colour)
        return paragraph

    def red_header(self, masthead, number_label, issuer, issued_on):
        """发文机关标志 in red, the 期号 (or 发文字号) under it, the issuer and the date over the red
        separator line."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
        from docx.shared import Cm, Pt

        center = WD_ALIGN_PARAGRAPH.CENTER
        head = self.paragraph(masthead, size=MASTHEAD_SIZE, align=center, font=TITLE_FONT, colour=RED, exact=False)
        head.paragraph_format.space_after = Pt(12)
        self.paragraph(number_label, align=center)
        line = self.paragraph()
        line.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
        _fonts(line.add_run(f"{issuer}\t{date_label(issued_on)}"))
        _border(line, "bottom", size=18, colour=RED, space=4)  # the red separator line
        line.paragraph_format.space_after = Pt(BODY_SIZE * 2)

    def title(self, text):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        title = self.paragraph(text, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, exact=False)
        title.paragraph_format.space_after = Pt(BODY_SIZE)

    def addressees(self, text):
        """主送机关: flush left, ending with a full-width colon."""
        if text:
            self.paragraph(text if text.endswith(":") else text + ":")

    def section(self, text):
        """一、 in 黑体."""
        self.sections += 1
        self.subsections = 0
        self.paragraph(
            _("%(number)s. %(title)s") % {"number": chinese_number(self.sections), "title": text},
            font=HEI_FONT,
            indent=True,
        )

    def subheading(self, text):
        """（一） in 楷体_GB2312 (full-width brackets, as GB/T 9704 writes them)."""
        self.subsections += 1
        self.paragraph(f"（{chinese_number(self.subsections)}）{text}", font=KAI_FONT, indent=True)

    def third(self, number, text):
        """1. in 仿宋_GB2312."""
        self.paragraph(f"{number}. {text}", indent=True)

    def fourth(self, number, text):
        """（1） in 仿宋_GB2312."""
        self.paragraph(f"（{number}）{text}", indent=True)

    def picture(self, png, caption="", width_cm=TEXT_WIDTH_CM):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        last = self.doc.paragraphs[-1]
        last.alignment = WD_ALIGN_PARAGRAPH.CENTER
        last.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if caption:
            self.paragraph(caption, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)

    def table(self, headers, rows, widths=None, size=None, shades=None, numeric_from=1):
        """rows: lists of strings; shades: {(row, col): "green"|"yellow"|"red"}. Without widths the
        columns are fitted to their content (the font steps down when the page is too narrow).

        The table's XML is written in one piece and parsed once: building it cell by cell through
        python-docx costs about a millisecond a cell, too slow for a hundred units."""
        from docx.oxml import parse_xml
        from docx.table import Table

        if widths is None:
            widths, size = fit.column_widths(headers, rows, size)
        size = size or fit.SIZES[0]
        twips = [round(w * TWIPS_PER_CM) for w in widths]
        shades = shades or {}
        half_points = round(size * 2)
        run_props = (
            f'<w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/>'
            f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        )
        margin = round(fit.CELL_PADDING_CM / 2 * TWIPS_PER_CM)
        parts = [
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
            "<w:tblBorders>",
            *[f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for side in BORDERS],
            f'</w:tblBorders><w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
            f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>',
            *[f'<w:gridCol w:w="{w}"/>' for w in twips],
            "</w:tblGrid>",
        ]
        for r, values in enumerate([headers, *rows]):
            parts.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if r == 0 else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for c, text in enumerate(values):
                fill = "D9D9D9" if r == 0 else SHADES.get(shades.get((r - 1, c)))
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
                align = "center" if r == 0 else "right" if c >= numeric_from else "left"
                bold = "<w:b/>" if r == 0 else ""
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
                    f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
                    f'<w:jc w:val="{align}"/></w:pPr>'
                    f'<w:r><w:rPr>{run_props}{bold}</w:rPr><w:t xml:space="preserve">{escape(str(text))}</w:t></w:r>'
                    "</w:p></w:tc>"
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        tbl = parse_xml("".join(parts))
        self.doc.element.body._insert_tbl(tbl)
        self.paragraph()
        return Table(tbl, self.doc._body)

    def imprint(self, copies, printer, printed_on, copies_if=None):
        """版记 at the end: 抄送 and the 印发机关 with the 印发日期, between rules (the first and
        last thicker). `copies_if` (a template's placeholder): the 抄送 line is kept only when
        that placeholder is not empty, and the 印发 line carries its own top rule."""
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Cm, Emu, Pt

        size = 14  # 4号
        self.paragraph()
        if copies_if:
            self.paragraph(f"{{%p if {copies_if} %}}")
        if copies:
            line = self.paragraph()
            line.paragraph_format.left_indent = Pt(size)
            line.paragraph_format.right_indent = Pt(size)
            _fonts(line.add_run(_("Copies to: %(units)s.") % {"units": copies}), BODY_FONT, size)
            _border(line, "top", size=8)
            _border(line, "bottom", size=6)
        if copies_if:
            self.paragraph("{%p endif %}")
        printed = self.paragraph()
        printed.paragraph_format.left_indent = Pt(size)
        printed.paragraph_format.tab_stops.add_tab_stop(Emu(Cm(TEXT_WIDTH_CM) - Pt(size)), WD_TAB_ALIGNMENT.RIGHT)
        label = _("Printed on %(date)s") % {"date": date_label(printed_on)}
        _fonts(printed.add_run(f"{printer}\t{label}"), BODY_FONT, size)
        if not copies or copies_if:
            _border(printed, "top", size=8 if not copies else 6)
        _border(printed, "bottom", size=8)

    def body_xml(self):
        """The body's paragraphs and tables as XML (the section properties left out): what a
        template's placeholder is replaced with (duban/gongwen/template.py)."""
        from docx.oxml.ns import qn

        return "".join(
            etree.tostring(child, encoding="unicode") for child in self.doc.element.body if child.tag != qn("w:sectPr")
        )

    def bytes(self):
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def document_number(prefix, year, number):
    """发文字号: 涵攻坚办〔2026〕12号."""
    return f"{prefix}〔{year}〕{number}号"


def date_label(day):
    """2026年6月11日; a string (a template's placeholder) is kept as it is."""
    if isinstance(day, str):
        return day
    return _("%(year)d-%(month)d-%(day)d") % {"year": day.year, "month": day.month, "day": day.day}


def campaign_office(owner_name):
    """The office that issues a campaign's documents: 涵江区攻坚行动领导小组办公室."""
    return _("%(owner)s campaign leading group office") % {"owner": owner_name}
