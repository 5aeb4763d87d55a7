"""The Celery worker of the worker tests (tests/test_jobs_worker.py), with the roster import
slowed down — chunks of 100 rows and 0.1 s each — so that a test sees its progress advance
and can kill it mid-job. Otherwise `celery -A duban worker …`:

    python -m tests.slow_worker -A duban worker --pool=solo -Q QUEUE
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from celery.bin.celery import main  # noqa: E402

from requisition import roster  # noqa: E402
from requisition.roster import importing  # noqa: E402, F401

roster.importing.CHUNK = 100
_add = roster.Importer.add


def slow_add(self, rows):
    time.sleep(0.1)
    _add(self, rows)


roster.Importer.add = slow_add

if __name__ == "__main__":
    sys.exit(main())
