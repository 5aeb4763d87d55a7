"""The status colours, defined once. Python takes them from here (duban.schedule.Status, the
charts in Word documents); the pages' CSS and charts read them as CSS custom properties
(--green, --yellow, --red, --grey, --blue) that `{% palette %}` writes into each page's head.
The big screen's dark theme has its own, brighter set of the same names."""

PAPER = {"green": "#2e9d5b", "yellow": "#e6a23c", "red": "#d9363e", "grey": "#909399", "blue": "#3b7ddd"}
SCREEN = {"green": "#2ecc71", "yellow": "#f5b642", "red": "#ff4d4f", "grey": "#6b7a99", "blue": "#3fb7ff"}
THEMES = {"paper": PAPER, "screen": SCREEN}
STATUS_KEYS = {"green": "green", "yellow": "yellow", "red": "red", "none": "grey"}


def status_colour(status, theme="paper"):
    """The colour of a status value ("green", "yellow", "red", "none")."""
    return THEMES[theme][STATUS_KEYS[status]]


def css(theme="paper"):
    """`:root { --green: …; … }` for a page's head."""
    return ":root { " + " ".join(f"--{name}: {value};" for name, value in THEMES[theme].items()) + " }"
