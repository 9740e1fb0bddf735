"""The one bilingual message catalogue: every user-facing string of the code, by message id.

Messages live in ``scheme/messages/*.yaml`` (one file per area: core, app, report), all loaded
into one catalogue, as ``id: {zh: Traditional Chinese, en: English}``; an id used twice is an
error.
Simplified Chinese (``zh-hans``) is converted from the Traditional text with OpenCC, so it never
drifts from it. Scheme facts (award names, conditions, dates) live in the edition file instead.

No process-global state is changed: the catalogue and the converter are read-only once loaded.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("zh", "en", "zh-hans")
LANG_NAMES = {"zh": "繁體中文", "en": "English", "zh-hans": "简体中文"}
MESSAGES_DIR = Path(__file__).parent / "messages"


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built in: 10x faster
    """YAML that refuses a key given twice in one mapping (YAML itself keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"line {node.start_mark.line + 1}: message ids given twice: {twice}")
        return super().construct_mapping(node, deep=deep)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = {}
    for path in sorted(MESSAGES_DIR.glob("*.yaml")):
        part = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}  # noqa: S506
        problems = [key for key, value in part.items()
                    if not isinstance(value, dict) or set(value) != {"zh", "en"}
                    or not all(isinstance(v, str) and v for v in value.values())]
        if problems:
            raise ValueError(f"{path}: messages need exactly zh and en text: {problems}")
        twice = sorted(set(part) & set(data))
        if twice:
            raise ValueError(f"{path}: message ids already defined in another file: {twice}")
        data.update(part)
    return data


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # imported lazily: only Simplified Chinese needs it

    return opencc.OpenCC("hk2s")


def base_lang(lang: str) -> str:
    """The language a text is stored in: English, or Traditional Chinese for both Chinese forms."""
    return "en" if lang == "en" else "zh"


@lru_cache(maxsize=65536)
def localise(text: str, lang: str) -> str:
    """Convert stored Traditional Chinese text for display in ``lang`` (only zh-hans changes)."""
    if lang == "zh-hans" and text:
        # OpenCC keeps Hong Kong's 甚麼 as 甚么; mainland usage writes 什么
        return _to_simplified().convert(text).replace("甚么", "什么")
    return text


def t(key: str, lang: str = "zh", **params: object) -> str:
    """The message ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``.

    Only the message is converted for Simplified Chinese, never what fills it: an organisation's
    name reads as typed, and scheme texts given as parameters come already in ``lang`` (``pick``).
    Nothing filled in is remembered: a name given here is not kept after the call."""
    if not params:
        return _plain(key, lang)
    return template(key, lang).format_map(_SafeDict({k: str(v) for k, v in params.items()}))


@lru_cache(maxsize=8192)
def template(key: str, lang: str) -> str:
    """The message ``key`` in ``lang``, placeholders not yet filled."""
    text = catalogue()[key][base_lang(lang)]
    return localise(text, lang) if lang == "zh-hans" else text


@lru_cache(maxsize=8192)
def _plain(key: str, lang: str) -> str:
    return template(key, lang).format_map(_SafeDict())  # also {{ → {


def and_list(items, lang: str) -> str:
    """Names in a sentence: "A, B and C" / 「A、B及C」."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return t("list_sep", lang).join(items[:-1]) + t("list_and", lang) + items[-1]


def pick(text_zh: str, text_en: str, lang: str) -> str:
    """Choose between a stored Chinese and English text for ``lang``."""
    return text_en if lang == "en" else localise(text_zh, lang)
