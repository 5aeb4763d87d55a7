"""DJANGO_SETTINGS_MODULE=duban.settings_production: the settings with DUBAN_ENV=production
(a secret key and allowed hosts required, HTTPS cookies, HSTS)."""

import os

os.environ["DUBAN_ENV"] = "production"

from duban.settings import *  # noqa: E402, F403
