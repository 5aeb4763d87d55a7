from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def path_prefixes(path):
    """ "000001.000004." → ["000001.", "000001.000004."]: the paths of a unit's ancestors and its own."""
    parts = path.split(".")[:-1]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def topmost_paths(paths):
    """The paths (of a set of units) not inside another of them, in the given order."""
    paths = dict.fromkeys(paths)
    return [path for path in paths if not any(p in paths for p in path_prefixes(path)[:-1])]


def zone_paths(units):
    """The paths of the zones (counties) the given units belong to: each unit's nearest
    ancestor-or-self of kind zone, else its root. What a zone's departments and people serve."""
    units = [u for u in units if u is not None]
    ancestors = {pk for u in units for pk in u.ancestor_ids()}
    zones = set(OrgUnit.objects.filter(pk__in=ancestors, kind=OrgUnit.Kind.ZONE).values_list("path", flat=True))
    found = set()
    for unit in units:
        prefixes = [p for p in path_prefixes(unit.path) if p in zones]
        found.add(prefixes[-1] if prefixes else path_prefixes(unit.path)[0])
    return sorted(found)


class OrgUnit(models.Model):
    """A node of the zone's tree: zone, command post, working group, task force, department …

    `path` is a materialised path of zero-padded ids ("000001.000004."), so a subtree is one
    indexed `path__startswith` filter.
    """

    class Kind(models.TextChoices):
        ZONE = "zone", _("Zone")
        COMMAND_POST = "command_post", _("Command post")
        WORKING_GROUP = "working_group", _("Working group")
        TASK_FORCE = "task_force", _("Task force")
        DEPARTMENT = "department", _("Department")
        AREA = "area", _("Requisition area")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")
        VILLAGE_GROUP = "village_group", _("Villagers' group")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    leader = models.CharField(_("responsible leader"), max_length=50, blank=True)
    leader_title = models.CharField(_("leader's post"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = (self.parent.path if self.parent_id else "") + f"{self.pk:06d}."
            if new_path != self.path:
                old_path = self.path
                self.path = new_path
                OrgUnit.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    for child in OrgUnit.objects.filter(OrgUnit.subtree_q([old_path])).exclude(pk=self.pk):
                        child.path = new_path + child.path[len(old_path) :]
                        OrgUnit.objects.filter(pk=child.pk).update(path=child.path)

    @property
    def label(self):
        return self.short_name or self.name

    @property
    def depth(self):
        return self.path.count(".") - 1

    @staticmethod
    def subtree_q(paths, field="path"):
        """The one subtree filter: rows whose `field` (a unit's path, e.g. "village__path") lies
        in the subtree of one of `paths`; it matches nothing when there are none."""
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(**{f"{field}__startswith": path})
        return q

    def within_q(self, field="path"):
        """Rows whose `field` lies in this unit's subtree, e.g. `unit.within_q("village__path")`."""
        return OrgUnit.subtree_q([self.path], field)

    def subtree(self):
        return OrgUnit.objects.filter(self.within_q())

    def ancestor_ids(self):
        return [int(part) for part in self.path.split(".") if part]


class Membership(models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        OFFICE = "office", _("Office")
        LEADER = "leader", _("Leader")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"
