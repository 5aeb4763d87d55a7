"""The bulletin's own cell texts (percentages, figures, rank changes, schedule status); the 公文
writer itself is on the floor (duban/gongwen/writer.py), shared with the minutes and the
compensation sheets."""

from bulletins import narrative
from ranking.league import change_text


def pct(value):
    return "—" if value is None else narrative.fmt(value) + "%"


def num(value, places=2):
    return "—" if value is None else narrative.fmt(value, places)


def change_label(change):
    return change_text(change)


def status_label(value):
    from duban.schedule import Status

    return str(Status(value).label) if value in Status.values else "—"
