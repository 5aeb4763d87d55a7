"""A household's compensation, item by item (补偿明细): pure computation plus freezing at signing.

Rules (each written on the sheet as a formula with the numbers put into it):

- every rate is per m² of the **legal building area** (合法面积); unlicensed area earns nothing here;
- 货币补偿 (money): house value = legal area × assessed unit price;
- 产权调换 (property swap): the house is exchanged for flat area instead of money, so there is no
  house-value item; the family is entitled to legal area × swap ratio (rounded to 0.01 m²) and
  the price difference is (entitled area − chosen flat area) × flat price: positive, the family
  is paid; negative, the family pays the excess area. (That is the scheme's "(flat − entitled) ×
  price" with the sign of money to the family, like every other item.) Until a flat is chosen the
  difference is 0 and the sheet says it is settled after the choice. Temporary resettlement
  (legal area × monthly rate × months) is paid only for a swap;
- decoration = legal area × rate; moving fee = legal area × rate, but at least the minimum;
- non-residential use only: stoppage loss = legal area × rate;
- early-signing reward: days are counted from the day signing opens, that day being day 1
  (signed on sign_start + 29 days = day 30). A window [30, 30000] pays when the day is ≤ 30; the
  smallest window that holds the day wins. Signing before the window opens counts as day 1.
  A household not yet signed is shown the reward as if it signed today (a forecast);
- each amount is rounded half-up to 0.01 yuan; the total is the sum of the rounded amounts;
- a component whose scheme rate is zero is left off the sheet (the scheme does not have it).

Which scheme: the most specific one (deepest unit) whose unit holds the household's village and
which is in effect on the signing date (today for a household not yet signed); ties go to the
latest effective_from.

A signed household's sheet is frozen (CompensationSheet) by stages.advance() at signing; later
changes to the scheme or to the household do not rewrite it. The frozen data are the numbers
(each item's code, inputs and amount); names and formula texts are written out when shown, in the
reader's language.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.rmb import rmb_upper
from requisition.models import (
    STAGES,
    CompensationScheme,
    CompensationSheet,
    Household,
    ResettlementChoice,
    Stage,
    StageEvent,
)

CENT = Decimal("0.01")
FORMAT_VERSION = 1


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value):
    """1234.5 → "1,234.50"."""
    return f"{Decimal(value):,.2f}"


def parse_windows(windows):
    """[[days, yuan], …] → sorted [(days, Decimal)]; ValueError with a readable message."""
    if windows in (None, ""):
        return []
    if not isinstance(windows, list):
        raise ValueError(_("Write the rewards as a list of [days, yuan] pairs, e.g. [[30, 30000], [45, 20000]]."))
    parsed = []
    for pair in windows:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(_("Write the rewards as a list of [days, yuan] pairs, e.g. [[30, 30000], [45, 20000]]."))
        days, amount = pair
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            raise ValueError(_("The days of a reward window must be a whole number above zero."))
        if isinstance(amount, bool) or not isinstance(amount, int | str | Decimal):
            raise ValueError(_("Write a reward amount as a whole number or a quoted decimal."))
        try:
            amount = Decimal(str(amount))
        except ArithmeticError:
            raise ValueError(_("Write a reward amount as a whole number or a quoted decimal.")) from None
        if not amount.is_finite() or amount < 0:
            raise ValueError(_("A reward amount cannot be negative."))
        parsed.append((days, money(amount)))
    parsed.sort()
    if len({days for days, _amount in parsed}) != len(parsed):
        raise ValueError(_("Two reward windows have the same number of days."))
    return parsed


def signing_day(sign_start, signed_on):
    """Day number of the signing, day 1 being the day signing opens (earlier dates count as day 1)."""
    return max((signed_on - sign_start).days + 1, 1)


def reward_for(windows, day):
    for days, amount in parse_windows(windows):
        if day <= days:
            return amount
    return Decimal("0.00")


# Items -----------------------------------------------------------------------------------------

NAMES = {
    "house_value": gettext_lazy("House value"),
    "decoration": gettext_lazy("Decoration"),
    "moving": gettext_lazy("Moving fee"),
    "temporary": gettext_lazy("Temporary resettlement fee"),
    "stoppage": gettext_lazy("Loss from stoppage of business"),
    "swap_difference": gettext_lazy("Resettlement flat price difference"),
    "reward": gettext_lazy("Early-signing reward"),
}

FORMULAS = {
    "house_value": gettext_lazy("legal area × assessed unit price"),
    "decoration": gettext_lazy("legal area × decoration rate"),
    "moving": gettext_lazy("legal area × moving fee rate, at least the minimum"),
    "temporary": gettext_lazy("legal area × monthly rate × months"),
    "stoppage": gettext_lazy("legal area × stoppage loss rate"),
    "swap_difference": gettext_lazy(
        "(entitled area − flat area) × flat price; entitled area = legal area × swap ratio"
    ),
    "reward": gettext_lazy("by the day of signing, the day signing opens being day 1"),
}


def _inputs_text(code, v):
    """The numbers put into the formula, written out."""
    if code in ("house_value", "decoration", "stoppage"):
        return _("%(area)s m² × %(rate)s yuan/m²") % {"area": fmt(v["area"]), "rate": fmt(v["rate"])}
    if code == "moving":
        text = _("%(area)s m² × %(rate)s yuan/m² = %(product)s yuan") % {
            "area": fmt(v["area"]),
            "rate": fmt(v["rate"]),
            "product": fmt(v["product"]),
        }
        if v["minimum_applied"]:
            text += _(", below the minimum: %(minimum)s yuan") % {"minimum": fmt(v["minimum"])}
        return text
    if code == "temporary":
        return _("%(area)s m² × %(rate)s yuan/m² per month × %(months)s months") % {
            "area": fmt(v["area"]),
            "rate": fmt(v["rate"]),
            "months": v["months"],
        }
    if code == "swap_difference":
        numbers = {
            "area": fmt(v["area"]),
            "ratio": f"{Decimal(v['ratio']).normalize():f}",
            "entitled": fmt(v["entitled"]),
        }
        if v["flat_area"] is None:
            return (
                _(
                    "entitled area %(area)s m² × %(ratio)s = %(entitled)s m²; "
                    "no flat chosen yet, the difference is settled once one is"
                )
                % numbers
            )
        return _(
            "(%(entitled)s m² − %(flat)s m²) × %(price)s yuan/m²; "
            "entitled area %(area)s m² × %(ratio)s = %(entitled)s m²"
        ) % {**numbers, "flat": fmt(v["flat_area"]), "price": fmt(v["price"])}
    if code == "reward":
        windows = " / ".join(
            _("within %(days)s days: %(amount)s yuan") % {"days": days, "amount": fmt(amount)}
            for days, amount in parse_windows(v["windows"])
        )
        text = _("signing opened %(start)s, signed %(signed)s: day %(day)s; %(windows)s") % {
            "start": v["sign_start"],
            "signed": v["signed_on"],
            "day": v["day"],
            "windows": windows,
        }
        if v.get("forecast"):
            text += _(" (not signed yet: as if signed on that day)")
        return text
    return ""


@dataclass
class Item:
    code: str
    amount: Decimal
    values: dict = field(default_factory=dict)

    @property
    def name(self):
        return str(NAMES[self.code])

    @property
    def formula(self):
        return str(FORMULAS[self.code])

    @property
    def inputs(self):
        return _inputs_text(self.code, self.values)


@dataclass
class Statement:
    scheme_id: int
    scheme_name: str
    items: list
    signed_on: date | None = None  # the signing date the sheet was computed for
    forecast: bool = False  # the household has not signed: reward as if signed on `signed_on`
    frozen_at: object = None  # when frozen (a datetime), None for a live computation

    @property
    def total(self):
        return sum((item.amount for item in self.items), Decimal("0.00"))

    @property
    def total_upper(self):
        return rmb_upper(self.total)

    @property
    def frozen(self):
        return self.frozen_at is not None

    def to_json(self):
        return {
            "version": FORMAT_VERSION,
            "scheme": {"id": self.scheme_id, "name": self.scheme_name},
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "items": [{"code": i.code, "amount": str(i.amount), "values": i.values} for i in self.items],
            "total": str(self.total),
        }

    @classmethod
    def from_json(cls, data, frozen_at=None):
        return cls(
            scheme_id=data["scheme"]["id"],
            scheme_name=data["scheme"]["name"],
            items=[Item(i["code"], Decimal(i["amount"]), i["values"]) for i in data["items"]],
            signed_on=date.fromisoformat(data["signed_on"]) if data["signed_on"] else None,
            frozen_at=frozen_at,
        )


def _s(value):
    """JSON-safe exact number."""
    return None if value is None else str(value)


def compute(household, scheme, on=None, flat_area=...):
    """The sheet of `household` under `scheme`. The signing date is household.signed_on, else
    `on` (default today) as a forecast. `flat_area` (m²) defaults to the household's chosen flat."""
    area = Decimal(household.legal_area)
    is_swap = household.compensation == Household.Compensation.SWAP
    items = []

    if not is_swap:
        price = Decimal(household.assessed_price or 0)
        items.append(Item("house_value", money(area * price), {"area": _s(area), "rate": _s(price)}))
    if scheme.decoration_rate:
        items.append(
            Item(
                "decoration",
                money(area * scheme.decoration_rate),
                {"area": _s(area), "rate": _s(scheme.decoration_rate)},
            )
        )
    if scheme.moving_rate or scheme.moving_minimum:
        product = money(area * scheme.moving_rate)
        applied = product < scheme.moving_minimum
        items.append(
            Item(
                "moving",
                money(max(product, scheme.moving_minimum)),
                {
                    "area": _s(area),
                    "rate": _s(scheme.moving_rate),
                    "product": _s(product),
                    "minimum": _s(scheme.moving_minimum),
                    "minimum_applied": applied,
                },
            )
        )
    if is_swap and scheme.temporary_rate and scheme.temporary_months:
        items.append(
            Item(
                "temporary",
                money(area * scheme.temporary_rate * scheme.temporary_months),
                {"area": _s(area), "rate": _s(scheme.temporary_rate), "months": scheme.temporary_months},
            )
        )
    if household.use == Household.Use.NON_RESIDENTIAL and scheme.stoppage_rate:
        items.append(
            Item(
                "stoppage",
                money(area * scheme.stoppage_rate),
                {"area": _s(area), "rate": _s(scheme.stoppage_rate)},
            )
        )
    if is_swap:
        if flat_area is ...:
            choice = ResettlementChoice.objects.filter(household_id=household.pk).first() if household.pk else None
            flat_area = choice.area if choice else None
        entitled = money(area * scheme.swap_ratio)
        amount = Decimal("0.00") if flat_area is None else money((entitled - Decimal(flat_area)) * scheme.flat_price)
        items.append(
            Item(
                "swap_difference",
                amount,
                {
                    "area": _s(area),
                    "ratio": _s(scheme.swap_ratio),
                    "entitled": _s(entitled),
                    "flat_area": _s(flat_area),
                    "price": _s(scheme.flat_price),
                },
            )
        )
    signed_on = household.signed_on or on or timezone.localdate()
    windows = parse_windows(scheme.reward_windows)
    if windows:
        day = signing_day(scheme.sign_start, signed_on)
        items.append(
            Item(
                "reward",
                reward_for(scheme.reward_windows, day),
                {
                    "sign_start": scheme.sign_start.isoformat(),
                    "signed_on": signed_on.isoformat(),
                    "day": day,
                    "windows": [[days, str(amount)] for days, amount in windows],
                    "forecast": household.signed_on is None,
                },
            )
        )
    return Statement(
        scheme_id=scheme.pk,
        scheme_name=scheme.name,
        items=items,
        signed_on=signed_on,
        forecast=household.signed_on is None,
    )


def scheme_for(household, on=None):
    """The scheme in effect for the household's village on `on` (default: signing date, else today)."""
    on = on or household.signed_on or timezone.localdate()
    candidates = CompensationScheme.objects.filter(
        unit_id__in=household.village.ancestor_ids(), effective_from__lte=on
    ).select_related("unit")
    return max(candidates, key=lambda s: (len(s.unit.path), s.effective_from, s.pk), default=None)


def _stepped_back_since(household, since):
    """Was the household moved back below 'signed' at or after `since`? (Its signing was undone.)"""
    order = [Stage.NONE, *STAGES]
    signed_and_after = [s.value for s in order[order.index(Stage.SIGNED) :]]
    before = [s.value for s in order[: order.index(Stage.SIGNED)]]
    return StageEvent.objects.filter(
        household=household, from_stage__in=signed_and_after, to_stage__in=before, recorded_at__gte=since
    ).exists()


def is_signed(household):
    order = [Stage.NONE, *STAGES]
    return order.index(Stage(household.stage)) >= order.index(Stage.SIGNED)


@transaction.atomic
def freeze(household):
    """Keep the household's sheet as it is at signing. Calling it again changes nothing; after the
    signing was undone (a step back below 'signed') and made again, the new signing replaces it.
    Returns the CompensationSheet, or None when the household has not signed or no scheme applies."""
    household = Household.objects.select_related("village").get(pk=household.pk)
    if not is_signed(household) or household.signed_on is None:
        return None
    existing = CompensationSheet.objects.select_for_update().filter(household=household).first()
    if existing and not _stepped_back_since(household, existing.created_at):
        return existing
    if existing:
        existing.delete()  # frozen for a signing that was undone
    scheme = scheme_for(household)
    if scheme is None:
        return None
    sheet = compute(household, scheme)
    return CompensationSheet.objects.create(household=household, scheme=scheme, data=sheet.to_json(), total=sheet.total)


def sheet_for(household, on=None):
    """The frozen sheet of a signed household; otherwise a live computation (None: no scheme applies)."""
    if is_signed(household):
        frozen = CompensationSheet.objects.filter(household=household).first()
        if frozen:
            return Statement.from_json(frozen.data, frozen_at=frozen.created_at)
    scheme = scheme_for(household, on)
    if scheme is None:
        return None
    return compute(household, scheme, on=on)
