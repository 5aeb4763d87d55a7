"""Chinese text in duban uses Chinese punctuation (GB/T 15834, as every 公文 does): ，；：？！（）
inside Chinese, never the ASCII , ; : ? ! ( ). ASCII stays where it belongs: numbers (76.47%,
3,000,000), times between figures (10:30), URLs, code, English words and formulas.

A placeholder is not a word: in "%(name)s,共%(n)s户" the comma sits in Chinese text, and in
"第%(n)s期(更正)" both brackets do; a bracket pair is judged as one (if one side is in Chinese
text, both are). A colon between two placeholders joins Chinese pieces ("%(where)s：%(message)s"):
a time goes into a msgstr as one placeholder, never as "%(h)s:%(m)s"."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# CJK ideographs, CJK marks (、。《》〔〕…), full-width forms (，：（）％…), dashes, ellipsis, quotes
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7]")
TOKEN = re.compile(
    r"(?P<ph>%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcu%]|\{[A-Za-z_0-9.]*\})"
    r"|(?P<ent>&#?\w+;)|(?P<esc>\\.)|(?P<ws>\s)|(?P<ch>.)",
    re.S,
)


def _tokens(text):
    out = []
    for match in TOKEN.finditer(text):
        kind = "ws" if match.group() in ("\\n", "\\t") else match.lastgroup
        out.append((kind, match.start(), match.group()))
    return out


def _near(tokens, i, step):
    """The neighbour of token i in direction step (spaces skipped), and the first neighbour that
    is not a placeholder."""
    j, first = i + step, None
    while 0 <= j < len(tokens):
        kind = tokens[j][0]
        if kind == "ws":
            j += step
            continue
        first = first or tokens[j]
        if kind != "ph":
            return first, tokens[j]
        j += step
    return first, None


def _cjk(token):
    return token is not None and token[0] in ("ch", "esc") and bool(CJK.match(token[2][-1]))


def _figure(token):
    return token is not None and token[0] == "ch" and token[2].isdigit()


def chinese_marks(text, separator=False):
    """Offsets in `text` of the ASCII marks , ; : ? ! ( ) that sit in Chinese text. With
    `separator`, a text of marks and placeholders alone (a msgstr such as ", " joined between
    Chinese clauses, or "%(where)s:%(message)s" that joins two Chinese texts) is Chinese text."""
    tokens = _tokens(text)
    if separator and all(kind in ("ph", "ws") or mark in FULL for kind, _, mark in tokens):
        return [at for kind, at, mark in tokens if kind == "ch" and mark in FULL]
    hits, open_at, pairs = set(), [], []
    for i, (kind, _, mark) in enumerate(tokens):
        if kind != "ch" or mark not in FULL:
            continue
        if mark == "(":
            open_at.append(i)
        elif mark == ")" and open_at:
            pairs.append((open_at.pop(), i))
        (left, left_word), (right, right_word) = _near(tokens, i, -1), _near(tokens, i, 1)
        if mark in ",:" and _figure(left) and _figure(right):
            continue  # 3,000,000 and 10:30
        if _cjk(left) or _cjk(right) or _cjk(left_word) or _cjk(right_word):
            hits.add(i)
    for a, b in pairs:
        if a in hits or b in hits:
            hits.update((a, b))
    return sorted(tokens[i][1] for i in hits)


def catalog_entries():
    """(file, line, msgid, msgstr) of every msgstr (plural forms each) of our zh_Hans catalogs."""
    files = subprocess.run(["git", "ls-files", "*.po"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in files.stdout.split():
        if "/zh_Hans/" not in f"/{name}":
            continue
        lines = (ROOT / name).read_text(encoding="utf-8").split("\n")
        msgid, i = "", 0
        while i < len(lines):
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', lines[i])
            if not match:
                i += 1
                continue
            start, text = i + 1, match.group(2)
            i += 1
            while i < len(lines) and lines[i].startswith('"'):
                text += lines[i][1:-1]
                i += 1
            if match.group(1) == "msgid":
                msgid = text
            elif match.group(1).startswith("msgstr") and msgid:
                yield name, start, msgid, text


def _spot(text, offset):
    return f"{text[max(0, offset - 12) : offset]}⟦{text[offset]}⟧{text[offset + 1 : offset + 13]}"


def test_every_chinese_msgstr_uses_chinese_punctuation():
    entries = list(catalog_entries())
    assert len(entries) > 1000, "the catalogs were not read"
    problems = [
        f"{name}:{line}: msgid {msgid[:60]!r}: {_spot(text, offset)} → {FULL[text[offset]]}"
        for name, line, msgid, text in entries
        for offset in chinese_marks(text, separator=True)
    ]
    assert not problems, f"{len(problems)} ASCII marks in Chinese text:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "text, marks",
    [
        ("截至6月10日,完成交地比率为76.47%,完成征迁户数比率为59.05%。", ",,"),
        ("单位:亿元", ":"),
        ("(一)", "()"),
        ("按目标任务完成率排名;完成率相同的,完成量大者居前。", ";,"),
        ("第%(n)s期(更正)", "()"),
        ("%(name)s,共%(n)s户", ","),
        ("完成率:%(pct)s", ":"),
        ("金额(%(unit)s)", "()"),
        ("确认发布%(key)s?", "?"),
        ("已保存!", "!"),
        ("周次格式为 YYYY-Www,例如 2026-W47。", ","),
        ("请上传 Excel 文件 (.xlsx)", "()"),
        ("在应用中输入以下密钥（基于时间）:", ":"),
        ("请稍候 ,再试", ","),
        ("%(a)s,%(b)s两个单位", ","),
        ("%(where)s:%(unit)s · %(indicator)s重复", ":"),
        ("服务器未安装 LibreOffice(soffice)，未生成 PDF。", "()"),
    ],
)
def test_a_mark_in_chinese_text_is_found(text, marks):
    assert "".join(text[offset] for offset in chinese_marks(text)) == marks


def test_a_separator_of_marks_alone_is_chinese_text():
    assert chinese_marks(", ", separator=True) == [0]
    assert chinese_marks("; ", separator=True) == [0]
    assert chinese_marks("，", separator=True) == []
    assert chinese_marks(", ") == []
    assert chinese_marks("%(where)s:%(message)s", separator=True) == [9]
    assert chinese_marks("%(where)s：%(message)s", separator=True) == []


@pytest.mark.parametrize(
    "text",
    [
        "合计金额（小写）：765,000.00",
        "完成率为76.47%，计划3,000,000元",
        "于10:30开会",
        "请求时以“Authorization: Token <密钥>”为请求头",
        "访问 https://example.org/a?b=1 查看",
        "宁政办〔2026〕3号",
        "(%(entitled)s m² − %(flat)s m²) × %(price)s 元/m²",
        "第%(row)s行：“%(text)s”",
        "&nbsp;第一",
        "Weekly report (summary), Friday: sent!",
    ],
)
def test_ascii_stays_where_it_belongs(text):
    assert chinese_marks(text) == []


def test_pieces_duban_joins_take_the_marks_of_the_language():
    from django.utils import translation

    from duban.punctuation import bracketed, clauses, labelled, names, reasons

    with translation.override("zh-hans"):
        assert bracketed("总投资", "万元") == "总投资（万元）"
        assert labelled("甲指挥部", "连续3周排名末位") == "甲指挥部：连续3周排名末位"
        assert names(["A1", "B2"]) == "A1、B2"
        assert clauses(["交地10亩", "征迁5户"]) == "交地10亩，征迁5户"
        assert reasons(["未报", "迟报"]) == "未报；迟报"
    with translation.override("en"):
        assert bracketed("Total", "10k yuan") == "Total (10k yuan)"
        assert labelled("Unit", "late") == "Unit: late"
        assert names(["A1", "B2"]) == "A1, B2"
        assert reasons(["a", "b"]) == "a; b"
