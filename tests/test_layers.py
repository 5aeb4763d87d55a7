"""The floors of the code: every app imports only from its own floor or below, except through the
seams named here with their reason; no import cycle between modules; no private name imported
across apps. A new upward import fails this test until it is removed or named as a seam."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. `duban` is the floor (periods, schedule maths, versions and hooks, the figure
# cache, masking, numbers, spreadsheets, parameters); its ROOF modules wire the project together
# and stand above everything.
LAYERS = [
    {"duban"},
    {"org"},
    {"accounts", "audit"},
    {"campaigns", "doctemplates"},
    {"reports"},
    {"projects", "requisition", "economy", "land"},
    {"jobs"},
    {"ranking"},
    {"problems"},
    {"assessment"},
    {"cadres"},
    {"bulletins"},
    {"dashboard"},
    {"api", "ops", "demo", "setup"},
]
ROOF = {"duban.urls", "duban.settings", "duban.settings_production", "duban.wsgi", "duban.celery", "duban.home"}
ROOF_PREFIXES = ("duban.home",)

# (importing module, imported module's app): why this upward import is there.
SEAMS = {
    ("campaigns.progress", "reports"): "campaign figures are the weekly reports rolled up to a campaign's targets",
    ("campaigns.views", "reports"): "the campaign pages show those figures (campaigns.progress)",
    ("reports.figures", "projects"): "ledger-sourced indicators read the project ledger (local import)",
    ("reports.figures", "requisition"): "ledger-sourced indicators read the requisition ledger (local import)",
    ("reports.rollups", "projects"): "the campaign roll-ups keep the project ledger's weekly sums (local import)",
    ("reports.rollups", "requisition"): "the campaign roll-ups keep the requisition ledger's sums (local import)",
    ("reports.rollups", "land"): "the campaign roll-ups keep the land ledger's sums (local import)",
    ("reports.figures", "land"): "ledger-sourced indicators read the land ledger (local import)",
    ("projects.excel_views", "jobs"): "the import page hands a big upload to the job queue",
    ("requisition.roster_views", "jobs"): "the roster page hands a big upload to the job queue",
}
PRIVATE_ALLOWED = set()

RANK = {app: n for n, apps in enumerate(LAYERS) for app in apps}


def modules():
    """{dotted name: path} of the apps' modules (migrations aside)."""
    found = {}
    for app in RANK:
        for path in (ROOT / app).rglob("*.py") if (ROOT / app).is_dir() else []:
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path, top_level_only=False):
    """(imported module, [names], line) of a module's imports of the project's apps."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in RANK:
                yield node.module, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in RANK:
                    yield alias.name, [], node.lineno


def is_roof(name):
    return name in ROOF or name.startswith(ROOF_PREFIXES)


def test_it_finds_the_apps():
    names = modules()
    assert "duban.periods" in names and "org.scoping" in names and "dashboard.screen_data" in names


def test_no_app_imports_from_a_floor_above_it_except_through_a_named_seam():
    upward = []
    for name, path in modules().items():
        if is_roof(name):
            continue
        app = name.split(".")[0]
        for module, _names, line in imports(path):
            target = module.split(".")[0]
            if RANK[target] > RANK[app] and (name, target) not in SEAMS:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert upward == []


def test_every_seam_is_still_used():
    used = {(name, module.split(".")[0]) for name, path in modules().items() for module, _n, _l in imports(path)}
    assert set(SEAMS) - used == set()


def test_no_private_name_is_imported_across_apps():
    private = []
    for name, path in modules().items():
        app = name.split(".")[0]
        for module, names, _line in imports(path):
            if module.split(".")[0] != app:
                private += [f"{path.relative_to(ROOT)} {module}.{n}" for n in names if n.startswith("_")]
    assert set(private) - PRIVATE_ALLOWED == set()


def test_there_is_no_import_cycle_between_modules():
    names = modules()
    graph = defaultdict(set)
    for name, path in names.items():
        for module, imported, _line in imports(path, top_level_only=True):
            for item in imported or [""]:
                target = f"{module}.{item}" if f"{module}.{item}" in names else module
                if target in names and target != name:
                    graph[name].add(target)
    seen, on_path, cycles = set(), [], []

    def visit(node):
        if node in on_path:
            cycles.append(on_path[on_path.index(node) :] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        on_path.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        on_path.pop()

    for node in sorted(names):
        visit(node)
    assert cycles == []
