"""Village rosters in Excel: import into the household ledger, export of the ledger and of tallies.

The roster is the field teams' usual sheet: title rows, a header row, one row per household and
perhaps a totals row (合计); blank rows are skipped. Columns are found by their header, wherever
they are:

    序号, 户号 (optional), 户主姓名, 身份证号, 联系电话, 村/组, 房屋用途, 合法面积(㎡), 无证面积(㎡),
    土地面积(亩), 补偿方式, 当前阶段, 组 (optional)

- 村/组 holds the village (an org unit of kind VILLAGE, by name or short name), with its
  villagers' group as rosters write it (陈桥村2组, 陈桥村第二村民小组, 涵江区某镇陈桥村3组), or
  village/address ("江尾村/3组": the address 3组, and the group 3 where it may be); a 组 column
  holds the group. Groups are units of kind VILLAGE_GROUP under the village, made by the
  office's import when the roster names one the village lacks (see places.py and groups.py).
- 联系电话 is stored in one form (requisition/phones.py: +86 138 0591 2345 is 13805912345,
  (0594)2345678 is 05942345678, two numbers joined by a comma); the form typed is kept for
  display (Household.phone_typed).
- Areas: a header without a unit is ㎡ for buildings and 亩 for land; 土地面积(㎡) is converted
  exactly (1 亩 = 10000/15 ㎡, so ㎡ × 0.0015 = 亩).
- 房屋用途 住宅 / 非住宅; 补偿方式 货币补偿 / 产权调换; 当前阶段 未入户 (or empty), 入户摸底, 丈量, 评估,
  签约, 腾空, 拆除, 交地 — and the other words field teams use (已签协议, 已交房, 已拆, 货币安置,
  住房安置, 房票 …, see vocabulary.py; 未签约 keeps a stored stage before 签约).
- **Stage dates are not imported.** An imported stage sets the household's stage and leaves the
  dates of its steps empty (tallies by date count a step only once its date is recorded on the
  household's page). A stage earlier than the stored one is refused: steps go back only with a
  reason, on the household's page. Extra columns (the export's stage dates) are ignored.
- Household number: the 户号 column when there is one, else made from the village and the ID
  number (or the name, address and 序号 when there is no ID number) with a keyed hash, so the
  number is stable from one import to the next and does not reveal the ID number.
- Re-import matches a household by (village, ID number) when the row has an ID number, else by
  (village, head of household, address, group: namesakes in two groups are two households). A
  masked ID number (as in our exports) is accepted only with a 户号 naming a household whose
  stored ID number masks to it, and a masked phone number leaves the stored one as it is: an
  exported ledger imports back.

A file is taken whole or not at all: every row is checked first, any error refuses the file
with row-by-row messages in Chinese (invalid ID numbers, a household twice in the file, an ID
number registered in another village, unknown villages, negative areas, text in number cells,
unknown words), and the writes are bulk statements in one transaction. An empty cell leaves the
stored value as it is; what would not change is not written, so importing the same file twice
changes nothing. Headers are the field teams' Chinese layout: they stay Chinese in every
language, since the importer reads them back.

The generic Excel plumbing (size limits, the zip-bomb check, reading with calamine, blank and
totals rows, cell conversions, the import result) is projects.excel's.

The package's modules, each named for what it does: vocabulary (the words), columns (headers
and aliases), reading (the sheet, its header and data rows), lines (a row as read, error
wording), places (the 村/组 cell and the 组 column), groups (group numbers), rows (RowParser),
household_numbers,
checks and writing (mixed into importing.Importer), importing (import_file) and export.
"""

from requisition.roster.columns import COLUMNS, LAYOUT
from requisition.roster.export import LEDGER_TITLE, TALLY_TITLE, export_ledger, export_tallies
from requisition.roster.household_numbers import generated_number
from requisition.roster.importing import CHUNK, Importer, import_file
from requisition.roster.lines import HouseholdLine
from requisition.roster.rows import RowParser
from requisition.roster.vocabulary import COMPENSATION_NAMES, STAGE_NAMES, STAGE_WORDS, USE_NAMES

__all__ = [
    "CHUNK",
    "COLUMNS",
    "COMPENSATION_NAMES",
    "LAYOUT",
    "LEDGER_TITLE",
    "STAGE_NAMES",
    "STAGE_WORDS",
    "TALLY_TITLE",
    "USE_NAMES",
    "HouseholdLine",
    "Importer",
    "RowParser",
    "export_ledger",
    "export_tallies",
    "generated_number",
    "import_file",
]
