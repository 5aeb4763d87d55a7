"""PDFs of the 公文 duban writes: LibreOffice converts the .docx with the fonts it names
(方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) mapped to free CJK fonts from Debian through
the fontconfig file the project ships (ops/fonts/duban-fonts.conf); font_report() says which font
stands in for which, and which has no CJK font at all (the PDF would show empty boxes)."""

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from duban import libreoffice, punctuation
from duban.gongwen.writer import FONTS

FONTS_CONF = Path(settings.BASE_DIR) / "ops" / "fonts" / "duban-fonts.conf"
CONVERT_TIMEOUT = 180
# fonts with Chinese glyphs that the fontconfig file may pick (Debian packages in the Makefile)
CJK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UMing CN", "AR PL UKai CN", "WenQuanYi Micro Hei")


def environment():
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


def font_report():
    """[(font the document names, the installed font used for it or None)]. Read once per process
    where fontconfig is installed; without fc-match every font is reported missing, and that is
    not kept (fontconfig may be installed while the server runs)."""
    if shutil.which("fc-match") is None:
        return [(name, None) for name in FONTS]
    return _fc_report()


def forget_font_report():
    """Read the fonts again at the next document (after fonts were installed; the tests)."""
    _fc_report.cache_clear()


@lru_cache(maxsize=1)
def _fc_report():
    fc_match = shutil.which("fc-match")
    report = []
    for name in FONTS:
        used = None
        if fc_match:
            try:
                out = subprocess.run(
                    [fc_match, "-f", "%{family[0]}", name],
                    capture_output=True,
                    text=True,
                    env=environment(),
                    timeout=10,
                ).stdout.strip()
            except (OSError, subprocess.TimeoutExpired):
                out = ""
            used = out if out in CJK_FAMILIES else None
        report.append((name, used))
    return report


def font_note():
    """One sentence for the page: which fonts were substituted, and which are missing."""
    report = font_report()
    missing = [name for name, used in report if used is None]
    parts = [
        _("%(font)s is shown in %(used)s") % {"font": name, "used": used} for name, used in report if used is not None
    ]
    note = _("PDF fonts: %(list)s.") % {"list": punctuation.reasons(parts)} if parts else ""
    if missing:
        note += _(
            " No Chinese font is installed for %(fonts)s: the PDF would show empty boxes; "
            "install fonts-noto-cjk and fonts-arphic-ukai (make system-packages)."
        ) % {"fonts": punctuation.names(missing)}
    return note.strip()


def fonts_missing():
    return [name for name, used in font_report() if used is None]


def docx_to_pdf(docx_bytes):
    """(PDF bytes, None), or (None, "missing") without LibreOffice, (None, "fonts") when no Chinese
    font is installed (rather than a PDF of empty boxes), or (None, "failed")."""
    if shutil.which("soffice") is None:
        return None, "missing"
    if fonts_missing():
        return None, "fonts"
    return libreoffice.docx_to_pdf(docx_bytes, timeout=CONVERT_TIMEOUT, env=environment())
