"""Our catalogs never override a word of Django's own (the admin's 修改 read 名次变化, the league's
word for a rank change): our words that need another sense carry a context (pgettext), and a
msgid shared with Django is translated as Django does, or is one of a few plain synonyms."""

import re
from pathlib import Path

import django
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
DJANGO = Path(django.__file__).parent
# Shared with Django's admin, translated a little differently but with the same sense.
SYNONYMS = {"Page not found", "Server error", "Administration", "Log out", "Your password was changed."}


def _entries(path):
    """{(context, msgid): msgstr} of a .po file (obsolete entries left out)."""
    out = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgstr|msgstr\[0\]) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
            else:
                current = None
        if fields.get("msgid"):
            out[(fields.get("msgctxt"), fields["msgid"])] = fields.get("msgstr", fields.get("msgstr[0]", ""))
    return out


def _ours():
    catalogs = [ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]
    catalogs += [p for p in ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts]
    return catalogs


def test_no_catalog_of_ours_overrides_a_django_word_with_another_sense():
    djangos = {}
    for path in sorted(DJANGO.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        for key, text in _entries(path).items():
            djangos.setdefault(key, text)
    assert djangos[(None, "Change")] == "修改"
    clashes = []
    for catalog in _ours():
        for key, text in _entries(catalog).items():
            theirs = djangos.get(key)
            if theirs and text and theirs != text and key[1] not in SYNONYMS:
                clashes.append(f"{catalog.relative_to(ROOT)}: {key[1]!r} is {text!r}, Django's {theirs!r}")
    assert not clashes, "\n".join(clashes)


def test_the_admins_change_links_read_xiugai(world, client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "名次变化" not in html and "升降" not in html
    assert ">修改<" in html
    word, word_in = translation.gettext, translation.pgettext  # (not picked up by makemessages)
    with translation.override("zh-hans"):
        assert word("Change") == "修改" and word_in("league", "Change") == "名次变化"
        assert word("Add") == "增加" and word_in("problem", "Add") == "添加"


def test_the_league_and_the_problem_page_keep_their_own_words(world, login):
    client = login(world.office)
    html = client.get(reverse("league", args=[world.campaign.pk])).content.decode()
    assert "名次变化" in html
