"""Finding a household as field workers ask for it: by the head's name, the household number or
the last digits of the ID number (the field page and the API share this)."""

from django.db.models import Q


def find(households, q):
    q = (q or "").strip()
    if not q:
        return households
    return households.filter(Q(head_name__contains=q) | Q(number__contains=q) | Q(id_number__endswith=q))
