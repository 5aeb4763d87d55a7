from datetime import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from duban.env import env_bool, env_int, env_list, env_time


@pytest.mark.parametrize("raw, value", [("1", True), ("true", True), ("off", False), ("", False)])
def test_env_bool(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is value


@pytest.mark.parametrize(
    "name, raw, reader",
    [
        ("X_FLAG", "maybe", lambda: env_bool("X_FLAG")),
        ("X_INT", "five", lambda: env_int("X_INT", 1)),
        ("X_INT", "9", lambda: env_int("X_INT", 1, minimum=0, maximum=6)),
        ("X_TIME", "25:00", lambda: env_time("X_TIME", "17:00")),
        ("X_TIME", "5pm", lambda: env_time("X_TIME", "17:00")),
    ],
)
def test_bad_values_stop_the_start(monkeypatch, name, raw, reader):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader()


def test_defaults_and_good_values(monkeypatch):
    monkeypatch.delenv("X_INT", raising=False)
    assert env_int("X_INT", 4) == 4
    monkeypatch.setenv("X_TIME", "9:30")
    assert env_time("X_TIME", "17:00") == time(9, 30)
    monkeypatch.setenv("X_LIST", "a.gov.cn, b.gov.cn,")
    assert env_list("X_LIST") == ["a.gov.cn", "b.gov.cn"]
