from django.conf import settings
from django.urls import reverse


def test_chinese_whatever_the_browser_asks_for(world, login):
    html = login(world.owner).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "首页" in html and "Home" not in html


def test_english_when_the_user_chooses_it(world, login):
    client = login(world.owner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("home")).content.decode()
    assert "Home" in html


def test_an_unknown_language_cookie_falls_back_to_chinese(world, login):
    client = login(world.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "首页" in client.get(reverse("home")).content.decode()


def test_every_catalog_is_fully_translated():
    """Each app's zh_Hans catalog and the project's: no empty and no fuzzy entries (an English
    word on a Chinese page is a bug)."""
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    catalogs = [p for p in root.glob("*/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts]
    catalogs.append(root / "locale/zh_Hans/LC_MESSAGES/django.po")
    assert len(catalogs) >= 8
    assert shutil.which("msgattrib"), "gettext is missing: run `make system-packages`"
    for catalog in catalogs:
        for flag in ("--untranslated", "--only-fuzzy"):
            out = subprocess.run(["msgattrib", flag, "--no-obsolete", str(catalog)], capture_output=True, text=True)
            assert out.returncode == 0, out.stderr
            entries = [line for line in out.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
            assert not entries, f"{catalog.relative_to(root)} {flag}: {entries[:5]}"
