"""Word templates (docxtpl) of the documents duban writes, checked and rendered in a sandbox.

A template is a .docx with Jinja placeholders: {{ 标题 }} for a text, {{p 正文 }} for a paragraph
replaced by blocks the 公文 writer makes (sections, tables fitted to their figures, charts), and
{%p if … %} / {%p for … %} around paragraphs. Rendering uses a SandboxedEnvironment with
StrictUndefined and autoescape: an uploaded template cannot reach Python internals
({{ ''.__class__ }} is refused), a misspelt name is an error rather than an empty space, and a
text with & or < stays text.

check() refuses a template with a Jinja syntax error (naming the paragraph, by number and text,
and the error), with a placeholder its kind does not have (naming it), or one that does not
render with a sample context; render() fills a checked template."""

import io
import re
import zipfile

from django.utils.translation import gettext as _
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

MAX_BYTES = 2 * 1024 * 1024
DOCX_MAGIC = b"PK\x03\x04"
TAGS = re.compile(r"<[^>]+>")


class Refused(ValueError):
    """The template cannot be used; str() is the message for the office."""


def environment():
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.globals = {"range": range}  # no lipsum, cycler, joiner, namespace, dict
    return env


class Numbering:
    """The parts' headings (一、二、…) numbered in the order the template renders them, shared
    by the Fragments of one document; every render starts again from 一."""

    def __init__(self):
        self.sections = 0


class Fragment:
    """Blocks written by the 公文 writer, put where the template says ({{p name }}). `write` is
    called with a fresh writer at render time; pictures are re-attached to the part being
    rendered, so a chart lands in the template's document with its own relationship."""

    def __init__(self, write, numbering=None):
        self.write = write
        self.numbering = numbering
        self.tpl = None

    def xml(self):
        from docx.oxml.ns import qn

        from duban.gongwen.writer import Writer

        writer = Writer()
        if self.numbering is not None:
            writer.sections = self.numbering.sections
        self.write(writer)
        if self.numbering is not None:
            self.numbering.sections = writer.sections
        body = writer.doc.element.body
        if self.tpl is not None and self.tpl.current_rendering_part is not None:
            part = self.tpl.current_rendering_part
            for blip in body.iter(qn("a:blip")):
                rid = blip.get(qn("r:embed"))
                blob = writer.doc.part.related_parts[rid].blob
                new_rid, _image = part.get_or_add_image(io.BytesIO(blob))
                blip.set(qn("r:embed"), new_rid)
        return writer.body_xml()

    def __html__(self):
        return self.xml()

    def __str__(self):
        return self.xml()


def _attach(value, tpl):
    if isinstance(value, Fragment):
        value.tpl = tpl
        if value.numbering is not None:
            value.numbering.sections = 0
    elif isinstance(value, dict):
        for item in value.values():
            _attach(item, tpl)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _attach(item, tpl)


def _open(data):
    """A DocxTemplate of `data` (bytes), or Refused when it is no Word document."""
    from docxtpl import DocxTemplate

    if len(data) > MAX_BYTES:
        raise Refused(_("The template is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if not data.startswith(DOCX_MAGIC):
        raise Refused(_("This is not a Word document (.docx). Save the template in Word or WPS as .docx."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        raise Refused(_("This is not a Word document (.docx). Save the template in Word or WPS as .docx.")) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names) or "macroEnabled" in types:
        raise Refused(_("The template contains macros; save it as a plain Word document (.docx), not .docm."))
    if "word/document.xml" not in names:
        raise Refused(_("This is not a Word document (.docx). Save the template in Word or WPS as .docx."))
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.init_docx()
    except Exception:  # python-docx raises many kinds on a damaged file
        raise Refused(_("The Word document could not be read; open it in Word or WPS and save it again.")) from None
    return tpl


def _parts(tpl):
    """[(where, patched xml split one paragraph a line)] of the body, headers and footers, as
    docxtpl renders them."""
    parts = [(_("the body"), tpl.patch_xml(tpl.get_xml()))]
    for uri, where in ((tpl.HEADER_URI, _("a page header")), (tpl.FOOTER_URI, _("a page footer"))):
        for _key, part in tpl.get_headers_footers(uri):
            parts.append((where, tpl.patch_xml(tpl.get_part_xml(part))))
    return [(where, re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)) for where, xml in parts]


def _paragraph_at(tpl, where_body, xml, lineno):
    """(number, text) of the paragraph holding line `lineno` of the patched xml: the text with
    the tags stripped, numbered as the document's paragraphs are (tables' cells included)."""
    lines = xml.splitlines()
    line = lines[min(max(lineno, 1), len(lines)) - 1] if lines else ""
    text = TAGS.sub("", line).strip()
    number = None
    if where_body:
        from docx.oxml.ns import qn

        paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tpl.docx.element.body.iter(qn("w:p"))]
        # the line may hold several paragraphs (an unclosed {{ runs on): the longest start of it
        # that one paragraph holds
        whole = _normal(text)
        for length in (20, 12, 8, 4):
            fragment = whole[:length]
            number = next((n for n, p in enumerate(paragraphs, start=1) if fragment and fragment in _normal(p)), None)
            if number:
                text = paragraphs[number - 1].strip()
                break
    return number, text


def _normal(text):
    return text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'").replace(" ", "")


def _where(tpl, where, body, xml, lineno):
    number, text = _paragraph_at(tpl, body, xml, lineno)
    shown = text if len(text) <= 40 else text[:40] + "…"
    if number:
        return _("paragraph %(n)d of %(where)s (“%(text)s”)") % {"n": number, "where": where, "text": shown}
    return _("%(where)s, at “%(text)s”") % {"where": where, "text": shown}


def placeholders(tpl):
    """The names a template uses, as Jinja reads them (syntax errors raise Refused)."""
    env = environment()
    names = set()
    for n, (where, xml) in enumerate(_parts(tpl)):
        try:
            names |= meta.find_undeclared_variables(env.parse(xml))
        except TemplateSyntaxError as error:
            lineno, message = _locate(xml, error)
            raise Refused(
                _("Syntax error in %(where)s: %(error)s")
                % {"where": _where(tpl, where, n == 0, xml, lineno), "error": message}
            ) from None
    return names


def _locate(xml, error):
    """(line, message): an unclosed {% if %} is named where it opens, not at the end of the
    document where Jinja notices it; an unclosed {{ where it is."""
    message = str(error.message or error)
    lines = xml.splitlines()
    if "unexpected end of template" in message.lower():
        opened = []
        for n, line in enumerate(lines, start=1):
            for match in re.finditer(r"{%-?\s*(if|for|endif|endfor)\b", line):
                if match.group(1) in ("if", "for"):
                    opened.append(n)
                elif opened:
                    opened.pop()
        return (opened[-1] if opened else error.lineno), _(
            "a {% if %} or {% for %} is not closed by {% endif %} or {% endfor %}"
        )
    line = TAGS.sub("", lines[error.lineno - 1]) if 0 < (error.lineno or 0) <= len(lines) else ""
    if line.count("{{") > line.count("}}"):
        return error.lineno, _("“{{” is not closed by “}}”")
    if line.count("{%") > line.count("%}"):
        return error.lineno, _("“{% ” is not closed by “ %}”")
    return error.lineno, _("Jinja cannot read it (%(jinja)s)") % {"jinja": message}


def check(data, allowed, sample_context):
    """Refused (with the office's message) unless `data` is a template that uses only the names
    in `allowed` and renders with `sample_context`; returns the names it uses."""
    tpl = _open(data)
    names = placeholders(tpl)
    unknown = sorted(names - set(allowed))
    if unknown:
        raise Refused(
            _("Unknown placeholder: %(names)s. The names this document has are listed on the page.")
            % {"names": "、".join(unknown)}
        )
    try:
        render(data, sample_context)
    except SecurityError:
        raise Refused(_("The template tries to reach what a template may not (names beginning with _).")) from None
    except UndefinedError as error:
        raise Refused(_("The template uses a name this document does not have: %(error)s") % {"error": error}) from None
    except TemplateError as error:
        raise Refused(_("The template does not render: %(error)s") % {"error": error}) from None
    except Refused:
        raise
    except Exception as error:  # a broken table or field made by hand: refuse rather than issue it
        raise Refused(_("The template does not render: %(error)s") % {"error": error}) from None
    return names


def render(data, context):
    """The .docx (bytes) of template `data` filled with `context` (values: texts, lists, dicts,
    Fragments)."""
    tpl = _open(data)
    _attach(context, tpl)
    tpl.render(context, jinja_env=environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
