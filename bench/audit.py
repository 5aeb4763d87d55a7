"""Benchmark (not a test): what the audit trail costs a save, and how long a backup takes.

    .venv/bin/python bench/audit.py                 # 2,000 saves of each kind
    .venv/bin/python bench/audit.py --rows 10000
    DATABASE_URL=postgres://… .venv/bin/python bench/audit.py

Without DATABASE_URL it runs on a fresh SQLite file under /tmp; on a given database it works on
its own zone (BENCH-审计) and deletes what it made (its audit entries stay: they cannot be
deleted through the application). It prints milliseconds per create, change and delete of an org
unit with the audit signals connected and disconnected, then times `backup` of the database.
"""

import argparse
import tempfile
import time
from pathlib import Path

from django_setup import setup

ROOT = Path(__file__).resolve().parent.parent
ZONE = "BENCH-审计"


def setup_django():
    setup("duban-bench-audit.sqlite3")


def run(rows):
    from django.db import transaction
    from django.db.models import signals

    from audit import trail
    from org.models import OrgUnit

    def timed(label):
        zone = OrgUnit.objects.create(name=ZONE, kind=OrgUnit.Kind.ZONE)
        figures = {}
        with transaction.atomic():
            start = time.perf_counter()
            units = [
                OrgUnit.objects.create(name=f"单位{k}", kind=OrgUnit.Kind.COMMAND_POST, parent=zone)
                for k in range(rows)
            ]
            figures["create"] = time.perf_counter() - start
            start = time.perf_counter()
            for unit in units:
                unit.leader = "张三"
                unit.save()
            figures["change"] = time.perf_counter() - start
            start = time.perf_counter()
            for unit in units:
                unit.delete()
            figures["delete"] = time.perf_counter() - start
        zone.delete()
        print(label + "  " + "  ".join(f"{k} {v / rows * 1000:.3f} ms" for k, v in figures.items()))
        return figures

    with_audit = timed("with audit   ")
    uid = f"audit:{OrgUnit._meta.label_lower}"
    signals.pre_save.disconnect(sender=OrgUnit, dispatch_uid=uid)
    signals.post_save.disconnect(sender=OrgUnit, dispatch_uid=uid)
    signals.post_delete.disconnect(sender=OrgUnit, dispatch_uid=uid)
    without = timed("without audit")
    for key in with_audit:
        print(f"audit adds {(with_audit[key] - without[key]) / rows * 1000:.3f} ms a {key}")
    trail.connect()


def time_backup():
    from django.core.management import call_command

    out = Path(tempfile.gettempdir()) / "duban-bench-audit.backup"
    start = time.perf_counter()
    call_command("backup", out=str(out), verbosity=0)
    took = time.perf_counter() - start
    print(f"backup: {out.stat().st_size / 1e6:.1f} MB in {took:.2f} s")
    out.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    setup_django()
    run(args.rows)
    time_backup()


if __name__ == "__main__":
    main()
