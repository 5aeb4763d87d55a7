"""The Celery application of the background jobs (jobs/): configured from the Django settings
(CELERY_*, set from DUBAN_BROKER_URL), tasks found in the apps' tasks.py.

    DUBAN_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/celery -A duban worker -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

app = Celery("duban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
