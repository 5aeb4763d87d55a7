"""The error pages: 400, 403, 404, 500 and a failed CSRF check in the site's look, in Chinese,
with a way back, and never Django's debug page or an exception's own text."""

import pytest
from django.test import Client, override_settings

ENGLISH = ("Traceback", "Django", "Page not found", "Forbidden", "CSRF", "Server Error", "RuntimeError", "English")


def _page(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert 'class="top"' in html and "督办" in html  # the site's header
    assert ">首页</a>" in html and ">返回</a>" in html  # a way back
    for word in ENGLISH:
        assert word not in html, word
    return html


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.error_urls"


def test_404_is_the_chinese_page(db, client):
    html = _page(client.get("/no-such-page/"), 404)
    assert "页面不存在" in html


def test_404_for_a_signed_in_user_too(world, login):
    html = _page(login(world.owner).get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert "页面不存在" in html


def test_403_is_the_chinese_page(world, login, failing_urls):
    html = _page(login(world.owner).get("/test-forbidden/"), 403)
    assert "无权" in html


def test_500_is_the_chinese_page(db, failing_urls):
    client = Client(raise_request_exception=False)
    html = _page(client.get("/test-boom/"), 500)
    assert "服务器出错" in html


@override_settings(DEBUG=True)
def test_500_page_needs_no_request_context(db, failing_urls):
    """Rendered as Django does it for a 500 (an empty Context), the page still comes out whole."""
    from django.test import RequestFactory
    from django.views.defaults import server_error

    with override_settings(DEBUG=False):
        response = server_error(RequestFactory().get("/"))
    _page(response, 500)


def test_400_is_the_chinese_page(db, client):
    html = _page(client.get("/", HTTP_HOST="evil.example"), 400)
    assert "请求有误" in html


def test_csrf_failure_is_the_chinese_page(world):
    client = Client(enforce_csrf_checks=True)
    html = _page(client.post("/login/", {"username": "owner", "password": "x"}), 403)
    assert "表单已过期" in html


def test_debug_is_off_unless_a_developer_asks(monkeypatch):
    import subprocess
    import sys

    code = "import duban.settings as s; print(s.DEBUG)"
    base = {"PATH": "/usr/bin:/bin", "DUBAN_ENV": "development"}
    run = lambda env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert run({}) == "False"
    assert run({"DUBAN_DEBUG": "1"}) == "True"
    assert run({"DEBUG": "true"}) == "True"


def test_static_files_are_served_with_debug_off(db, client):
    response = client.get("/static/duban/app.css")
    assert response.status_code == 200
    assert b"header.top" in b"".join(response.streaming_content if response.streaming else [response.content])
