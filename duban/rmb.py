"""Amounts in yuan written in Chinese financial capitals (大写金额), as on cheques and receipts.

The rules followed (会计基础工作规范 and the payment-settlement rules):

- digits 零壹贰叁肆伍陆柒捌玖, places 拾佰仟, sections 万 and 亿 (so 10¹² is 壹万亿);
- ten is written 壹拾 (never a bare 拾);
- one 零 stands for any run of zeros inside the yuan part (1001 → 壹仟零壹元);
  zeros at the end of a section are not written;
- an amount ending at 元 or 角 ends with 整; one with 分 does not;
- a zero 角 before a non-zero 分 is written 零 (10000.05 → 壹万元零伍分); a zero 元 place before
  a non-zero 角 is not (the rules allow either);
- amounts under one yuan start at the 角 or 分 (0.50 → 伍角整); zero is 零元整;
- negative amounts start with 负.

Amounts are rounded half-up to the fen first.
"""

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ["", "拾", "佰", "仟"]  # within a section of four digits
WAN = 10**4
YI = 10**8


def _section(n):
    """1 ≤ n ≤ 9999: 仟佰拾 places, one 零 for inner zeros, trailing zeros left out."""
    out = []
    pending_zero = False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if digit == 0:
            pending_zero = bool(out)  # a zero matters only after a written digit
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[digit] + PLACES[place])
    return "".join(out)


def _integer(n):
    """A positive whole number of yuan in capitals, without the 元."""
    if n >= YI:
        high, low = divmod(n, YI)
        words = _integer(high) + "亿"
        if low:
            words += ("零" if low < YI // 10 else "") + _integer(low)
        return words
    if n >= WAN:
        high, low = divmod(n, WAN)
        words = _section(high) + "万"
        if low:
            words += ("零" if low < WAN // 10 else "") + _section(low)
        return words
    return _section(n)


def rmb_upper(amount):
    """Decimal (or int / str) yuan → "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"."""
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not value.is_finite():
        raise ValueError(amount)
    if value < 0:
        return "负" + rmb_upper(-value)
    fen_total = int(value * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    words = _integer(yuan) + "元" if yuan else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    else:
        words += "整"
    return words
