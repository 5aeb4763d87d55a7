"""A Layout: the columns an importer reads, each with the wordings offices head it with.

A header's base (wording.words) is looked up among a column's label and aliases; a header that
names one month (5月完成投资) is looked up first among `month_aliases`, one that names months from
January (1-5月累计完成) first among `span_aliases`, so that 完成投资 can be the month's figure in
one table and the year's in another, as published tables use it.
"""

from dataclasses import dataclass, field

from duban.spreadsheet.wording import clean, words


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple = ()
    money: bool = False
    width: int = 12
    max_length: int | None = None
    suffix: str = ""  # the unit our export writes in the header of a column that is not money
    month_aliases: tuple = ()
    span_aliases: tuple = ()

    def header(self, money_unit="万元"):
        """The header our export writes, with its unit."""
        if self.money:
            return f"{self.label}（{money_unit}）"
        return f"{self.label}（{self.suffix}）" if self.suffix else self.label


@dataclass
class Layout:
    name: str
    columns: tuple
    required: tuple = ()  # the columns a sheet cannot be read without (for messages)
    by_key: dict = field(init=False)
    _names: dict = field(init=False)
    _month: dict = field(init=False)
    _span: dict = field(init=False)

    def __post_init__(self):
        self.by_key = {c.key: c for c in self.columns}
        # names as wording.clean writes a header (（）→(), ：→:), so either form of an alias matches
        self._names = {clean(name): c.key for c in self.columns for name in (c.label, *c.aliases)}
        self._month = {clean(name): c.key for c in self.columns for name in c.month_aliases}
        self._span = {clean(name): c.key for c in self.columns for name in c.span_aliases}

    def __getitem__(self, key):
        return self.by_key[key]

    def required_labels(self):
        return self.labels(self.required)

    def labels(self, keys):
        return "、".join(self.by_key[k].label for k in keys)

    def key_of(self, w):
        """The column key of a Words, or None."""
        if w is None:
            return None
        if w.month is not None:
            first = self._span if w.span else self._month
            if key := first.get(w.base):
                return key
        return self._names.get(w.base) or self._names.get(w.text)

    def match(self, text):
        """(key, Words) of a header text, or None."""
        w = words(text)
        key = self.key_of(w)
        return (key, w) if key else None
