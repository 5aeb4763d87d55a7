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
