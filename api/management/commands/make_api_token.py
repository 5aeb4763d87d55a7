from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api.models import ApiToken
from audit.models import Entry
from audit.trail import record


class Command(BaseCommand):
    help = "Make an API token for a user and print its key (shown only now)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API", help="what the token is for")
        parser.add_argument(
            "--days", type=int, help="lifetime in days (default DUBAN_API_TOKEN_DAYS, at most DUBAN_API_TOKEN_MAX_DAYS)"
        )

    def handle(self, username, name="API", days=None, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("There is no active user %(name)s.") % {"name": username})
        if days is not None and not 1 <= days <= settings.DUBAN_API_TOKEN_MAX_DAYS:
            raise CommandError(_("A token lives 1 to %(n)s days.") % {"n": settings.DUBAN_API_TOKEN_MAX_DAYS})
        token, key = ApiToken.issue(user, name, days, created_by=None)
        record(Entry.Action.SECURITY, token, note="API token created (manage.py make_api_token)", username="")
        self.stdout.write(key)
        self.stderr.write(
            _("Token “%(name)s” for %(user)s, valid until %(until)s.")
            % {"name": token.name, "user": username, "until": f"{token.expires_at:%Y-%m-%d %H:%M}"}
        )
