"""Shared set-up for the problem, task-list and reminder tests: two departments with members."""

import pytest

from org.models import Membership, OrgUnit
from problems import flow
from problems.models import Problem
from tests.conftest import make_user


@pytest.fixture
def depts(world):
    """国土局 (world.land_dept, member world.clerk) and 财政局 (world.fin_dept, member world.fin_clerk)."""
    world.land_dept = OrgUnit.objects.create(name="自然资源局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.zone)
    world.fin_dept = OrgUnit.objects.create(name="财政局", kind=OrgUnit.Kind.DEPARTMENT, parent=world.zone)
    world.clerk = make_user("clerk", world.land_dept, Membership.Role.REPORTER)
    world.fin_clerk = make_user("finclerk", world.fin_dept, Membership.Role.REPORTER)
    return world


def raise_problem(world, title="地块交地受阻", unit=None, user=None, **fields):
    problem = Problem.objects.create(
        title=title,
        description="详细情况",
        category=fields.pop("category", Problem.Category.LAND),
        raised_by_unit=unit or world.a,
        raised_by=user or world.owner,
        campaign=fields.pop("campaign", world.campaign),
        **fields,
    )
    flow.record_raise(problem, user or world.owner)
    return problem
