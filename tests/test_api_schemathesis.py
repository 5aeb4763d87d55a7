"""schemathesis generates requests from the API's own OpenAPI schema and sends them to the
application in-process (WSGI); none may end in a server error or an answer its schema does not
describe."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from api.models import ApiToken
from org.models import OrgUnit
from projects.models import MonthlyInvestment, Project
from requisition.models import Household
from tests.conftest import submit

RAW = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(RAW)
APP = get_wsgi_application()


@pytest.fixture
def wsgi(world):
    """The WSGI application on the test's database connection: as Django's test client does, the
    request signals must not close the connection the test's transaction lives on."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        village = OrgUnit.objects.create(name="江尾村", kind=OrgUnit.Kind.VILLAGE, parent=world.a)
        Household.objects.create(village=village, number="001", head_name="张三", id_number="110101199003071234")
        project = Project.objects.create(name="项目", unit=world.a, total_investment=100)
        MonthlyInvestment.objects.create(project=project, month=world.week.end.replace(day=1), amount=10)
        submit(world.a, world.week, {world.land: 3, world.households: 1})
        yield APP
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_ends_in_a_server_error(case, world, wsgi):
    _token, key = ApiToken.issue(world.office, "schemathesis")
    case.call_and_validate(app=wsgi, headers={"Authorization": f"Token {key}"}, checks=[not_a_server_error])
