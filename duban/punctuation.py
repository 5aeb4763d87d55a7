"""Punctuation around the pieces duban joins itself, as the interface language writes it: a text
with its bracket (总投资（万元）, 第3行（汇总）), a label with its text (甲指挥部：…) and the
separators between clauses and between names. Chinese takes the full-width marks of GB/T 15834;
English keeps its own. Every place that builds a text from pieces goes through here rather than an
f-string with ASCII ( ) : ; , in it (tests/test_chinese_punctuation.py checks the catalogs)."""

from django.utils.translation import pgettext


def bracketed(text, inner):
    """'总投资', '万元' → '总投资（万元）'."""
    return pgettext("text and its bracket", "%(text)s (%(inner)s)") % {"text": text, "inner": inner}


def labelled(label, text):
    """'甲指挥部', '连续3周排名末位' → '甲指挥部：连续3周排名末位'."""
    return pgettext("label and its text", "%(label)s: %(text)s") % {"label": label, "text": text}


def clauses(parts):
    """Clauses of one sentence: 'a，b' (the msgid ', ' is shared with bulletins.narrative)."""
    return pgettext("list separator in a sentence", ", ").join(str(p) for p in parts)


def reasons(parts):
    """Reasons or problems of one thing: 'a；b'."""
    return pgettext("between reasons", "; ").join(str(p) for p in parts)


def names(parts):
    """Names in a list: 'A1、B2' (the enumeration comma between items, as Chinese writes names)."""
    return pgettext("between names", ", ").join(str(p) for p in parts)
