"""Line breaking for the PDF, the same whatever the document's language.

fpdf2 breaks either at spaces only (then a Chinese line never breaks) or anywhere (then English
words in a Chinese document break mid-word: "Intern ational", and dates: "2022年1 / 2月"). This
breaks where a reader expects, a simplified form of Unicode's line breaking rules (UAX #14):

- at spaces, never inside a run of letters and digits ("International", "2022-06-15",
  "hkqaa.mkt@hkqaa.org");
- between two Chinese characters, but never inside a number or a date ("2022年12月31日": no break
  between a number and its unit "年", "月", "日", "個"…, nor between "年"/"月" and the number
  after it), never before closing punctuation
  ("，", "。", "」", "〕", "）", ",", ".") and never after opening punctuation ("「", "（", "(");
- a piece longer than a whole line (a 200-letter word) is broken between characters, the only
  way it fits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Closing punctuation, and characters that must not start a line (UAX #14 CL, CP, IS, EX, NS).
CLOSE = set("、。，．：；！？）〕」』】〉》〗〙〛”’｝］｠｣ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
            "・‥…%％‰℃°′″,.;:!?)]}>」") | {"\u3001", "\u3002", "\uff0c", "\uff0e"}
# Opening punctuation: must not end a line.
OPEN = set("（〔「『【〈《〖〘〚“‘｛［｟｢([{<$£¥€＄￥")
CJK_CLOSE = {c for c in CLOSE if unicodedata.east_asian_width(c) in "WF"}
CJK_OPEN = {c for c in OPEN if unicodedata.east_asian_width(c) in "WF"}

# A number stays with the Chinese unit after it ("2022年", "12月", "31日", "13個", "9份") and a
# date with its next number ("年12", "月31"); "第3" likewise.
AFTER_NUMBER = set("年月日時时分秒號号週周歲岁個个份項项頁页名位元萬万億亿次倍天")
BEFORE_NUMBER = set("年月第約约共逾至")

SP, CL, OP, NU, ID, AL = range(6)


@lru_cache(maxsize=8192)  # a document asks about the same few hundred characters again and again
def char_class(char: str) -> int:
    if char == " ":
        return SP
    if char in CLOSE:
        return CL
    if char in OPEN:
        return OP
    if char.isdigit():
        return NU
    if unicodedata.east_asian_width(char) in "WF":
        return ID
    return AL


@lru_cache(maxsize=65536)
def can_break(a: str, b: str) -> bool:
    """Whether a line may end after ``a`` when ``b`` follows."""
    ca, cb = char_class(a), char_class(b)
    if cb == SP:
        return False
    if ca == SP:
        return True
    if cb == CL or ca == OP:
        return False
    if (ca == NU and b in AFTER_NUMBER) or (a in BEFORE_NUMBER and cb == NU):
        return False  # 2022年 / 年12 / 12月 / 31日: a date stays whole
    if ca == CL:
        return a in CJK_CLOSE and cb != CL
    if cb == OP:
        return b in CJK_OPEN
    return ca == ID or cb == ID


def pieces(text: str) -> list[str]:
    """``text`` cut at every place a line may break (each piece keeps its trailing spaces)."""
    out: list[str] = []
    start = 0
    for i in range(1, len(text)):
        if can_break(text[i - 1], text[i]):
            out.append(text[start:i])
            start = i
    if text:
        out.append(text[start:])
    return out


def break_lines(text: str, width: float, char_width: Callable[[str], float]) -> list[str]:
    """The lines of ``text`` (one paragraph, no newlines) that each fit ``width``, measured by
    summing ``char_width`` over the characters (what fpdf2 does without text shaping)."""
    lines: list[str] = []
    line, line_w = "", 0.0
    for piece in pieces(text):
        body = piece.rstrip(" ")
        body_w = sum(map(char_width, body))
        if line and line_w + body_w > width:
            lines.append(line.rstrip(" "))
            line, line_w = "", 0.0
            piece = piece.lstrip(" ")
            body = piece.rstrip(" ")
            body_w = sum(map(char_width, body))
        if not line and body_w > width:  # longer than a whole line: between characters
            for char in body:
                w = char_width(char)
                if line and line_w + w > width:
                    lines.append(line)
                    line, line_w = "", 0.0
                line += char
                line_w += w
            line += piece[len(body):]
            line_w += sum(map(char_width, piece[len(body):]))
            continue
        line += piece
        line_w += sum(map(char_width, piece))
    lines.append(line.rstrip(" "))
    return lines


def wrap(text: str, width: float, char_width: Callable[[str], float]) -> str:
    """``text`` with a newline wherever a line ends (its own newlines kept)."""
    return "\n".join(line for para in text.split("\n")
                     for line in break_lines(para, width, char_width))
