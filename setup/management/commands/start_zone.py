"""The first step of a new county on duban, before anybody can log in: its zone (the top of its
unit tree) and its office's account, whose first password is printed once and must be changed at
the first log-in. Everything else — units, people, campaigns — the office then sets up itself at
/setup/. Run by whoever installed the platform:

    python manage.py start_zone 涵江区 --office hj-office --name "涵江区攻坚办"
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from org.models import Membership, OrgUnit
from setup import people


class Command(BaseCommand):
    help = "Create a zone (county) and its office account with a first password shown once."

    def add_arguments(self, parser):
        parser.add_argument("zone", help="the zone's name, e.g. 涵江区")
        parser.add_argument("--office", required=True, help="user name of the office's account")
        parser.add_argument("--name", default="", help="the account's display name, e.g. 涵江区攻坚办")
        parser.add_argument("--short-name", default="", help="the zone's short name")

    def handle(self, *args, zone, office, name, short_name, **options):
        zone_name, username = zone.strip(), office.strip()
        if not zone_name or len(zone_name) > OrgUnit._meta.get_field("name").max_length:
            raise CommandError(_("Give the zone's name (at most 100 characters)."))
        if not username or len(username) > 150:
            raise CommandError(_("Give the office account's user name (at most 150 characters)."))
        if OrgUnit.objects.filter(parent=None, name=zone_name).exists():
            raise CommandError(_("A zone named “%(name)s” exists already.") % {"name": zone_name})
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise CommandError(_("The user name “%(name)s” is taken.") % {"name": username})
        with transaction.atomic():
            unit = OrgUnit.objects.create(name=zone_name, short_name=short_name.strip(), kind=OrgUnit.Kind.ZONE)
            user, password = people.create_person(
                None, username, name.strip() or _("%(zone)s office") % {"zone": zone_name}, unit, Membership.Role.OFFICE
            )
        self.stdout.write(
            _("Zone “%(zone)s” made; the office logs in as %(user)s with the first password %(password)s")
            % {"zone": unit.name, "user": user.username, "password": password}
        )
        self.stdout.write(_("This password is shown only once; it must be changed at the first log-in."))
