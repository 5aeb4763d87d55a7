"""The kinds of document an office may keep a template of. The app that writes a document
registers its kind when it is loaded (its AppConfig.ready): the placeholders with what they
mean, the default template (made by the 公文 writer, so it is a 公文-format document), and a
sample context the upload check renders with."""

from dataclasses import dataclass


@dataclass
class Kind:
    code: str
    label: object  # lazy text
    placeholders: list  # [(name, meaning)]
    default: object  # () -> bytes of the default template
    sample: object  # () -> a context that renders every placeholder
    order: int = 0

    @property
    def names(self):
        return {name for name, _meaning in self.placeholders}


_kinds = {}


def register(kind):
    _kinds[kind.code] = kind


def get(code):
    return _kinds.get(code)


def all_kinds():
    return sorted(_kinds.values(), key=lambda k: (k.order, k.code))
