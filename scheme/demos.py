"""The demo organisations of the briefing mode: fictional, each with a name in every language.

``scheme/samples/demos.yaml`` lists them (id, kind, name in Traditional Chinese and English);
each id is an answers file in the same folder. :func:`demos` loads and validates them all:
every answers file valid, every kind a briefing needs present, names in both languages, and
between them every status of every award as of :func:`demo_as_of` (a day inside the
application window, derived from the edition). A demo's answers carry its name in the language
asked for, marked as fictional, so that every surface (results, PDF) shows it is a demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from scheme.answers import Answers, AnswersError, parse_answers
from scheme.edition import Edition, load_edition
from scheme.engine import evaluate
from scheme.i18n import localise, t

SAMPLES_DIR = Path(__file__).parent / "samples"
MANIFEST = SAMPLES_DIR / "demos.yaml"
REQUIRED_KINDS = ("property_manager", "ngo", "bank", "manufacturer", "school", "restaurant")
STATUSES = ("eligible", "conditional", "not_eligible")
ENGLISH_TEXT = ("organisation.sector", "carbon.period")  # a demo's free text, also in English


class DemoError(ValueError):
    """The demo organisations are not as the briefing needs them."""


@dataclass(frozen=True)
class Demo:
    id: str
    kind: str
    name_zh: str
    name_en: str
    answers: Answers  # as in the file (its own name)
    english: tuple[tuple[str, str], ...] = ()  # its free text (sector, period) in English


    def name(self, lang: str) -> str:
        """The demo's name in ``lang``, marked as fictional."""
        base = self.name_en if lang == "en" else localise(self.name_zh, lang)
        return t("demo_fictional_name", lang, name=base)

    def answers_in(self, lang: str) -> Answers:
        """The answers with the organisation's name in ``lang`` (marked as fictional), and in
        English its free text (sector, reporting period) in English too."""
        changes = {"organisation.name": self.name(lang)[:200]}
        if lang == "en":
            changes.update(self.english)
        return self.answers.with_changes(changes)


def retitled(answer: Callable[[str], Any], old: str, new: str) -> dict[str, Any]:
    """A demo's own words (its name, and its sector and period) in the language switched to,
    where the draft (``answer``: path -> value) still holds them as that demo's in the language
    it was loaded in: {path: value} to change. Nothing for any other organisation, nor for a
    word the user has changed."""
    name = answer("organisation.name")
    for demo in demos():
        before = demo.answers_in(old)
        if name != before.get("organisation.name"):
            continue
        after = demo.answers_in(new)
        return {path: after.get(path) for path in ("organisation.name", *ENGLISH_TEXT)
                if answer(path) == before.get(path) and after.get(path) != before.get(path)}
    return {}


def demo_as_of(edition: Edition | None = None) -> dt.date:
    """The day demos are shown as of: the middle of the application window."""
    edition = edition or load_edition()
    opens, closes = edition.window_opens, edition.window_closes
    return opens + (closes - opens) // 2


def _load(manifest: Path = MANIFEST) -> tuple[Demo, ...]:
    try:
        entries = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DemoError(f"{manifest.name}: cannot be read ({err})") from None
    if not isinstance(entries, list) or not entries:
        raise DemoError(f"{manifest.name}: must be a list of demo organisations")
    out: list[Demo] = []
    for i, entry in enumerate(entries):
        where = f"{manifest.name}[{i}]"
        if not isinstance(entry, dict) or not {"id", "kind", "name"} <= set(entry) <= {
                "id", "kind", "name", "en"}:
            raise DemoError(f"{where}: needs id, kind and name (and may have en)")
        name = entry["name"]
        if not (isinstance(name, dict) and set(name) == {"zh", "en"}
                and all(isinstance(v, str) and v.strip() for v in name.values())):
            raise DemoError(f"{where}: name needs zh and en text")
        path = manifest.parent / f"{entry['id']}.json"
        try:
            answers = parse_answers(path.read_bytes())
        except OSError:
            raise DemoError(f"{where}: no answers file {path.name}") from None
        except AnswersError as err:
            raise DemoError(f"{where}: {path.name} is not a valid answers file: {err}") from None
        english = entry.get("en", {})
        if not (isinstance(english, dict) and set(english) <= set(ENGLISH_TEXT)
                and all(isinstance(v, str) and v.strip() for v in english.values())):
            raise DemoError(f"{where}: en may give {' and '.join(ENGLISH_TEXT)} as text")
        flat = answers.flat()
        given = [path for path in ENGLISH_TEXT if flat.get(path)]
        if sorted(english) != sorted(given):
            raise DemoError(f"{where}: en must give the English of {', '.join(given) or 'nothing'}")
        out.append(Demo(str(entry["id"]), str(entry["kind"]), name["zh"].strip(),
                        name["en"].strip(), answers, tuple(sorted(english.items()))))
    ids = [d.id for d in out]
    if len(set(ids)) != len(ids):
        raise DemoError(f"{manifest.name}: an id is listed twice")
    missing = [k for k in REQUIRED_KINDS if k not in {d.kind for d in out}]
    if missing:
        raise DemoError(f"{manifest.name}: no demo of kind {', '.join(missing)}")
    return tuple(out)


def coverage(items: tuple[Demo, ...], as_of: dt.date | None = None,
             edition: Edition | None = None) -> dict[str, set[str]]:
    """Which statuses each award takes across the demos, as of ``as_of``."""
    edition = edition or load_edition()
    as_of = as_of or demo_as_of(edition)
    seen: dict[str, set[str]] = {a.id: set() for a in edition.awards}
    for demo in items:
        for award in evaluate(demo.answers, as_of, "en", edition).awards:
            seen[award.id].add(award.status)
    return seen


def validate(items: tuple[Demo, ...], edition: Edition | None = None) -> None:
    """Raise DemoError unless the demos show every status of every award."""
    gaps = {award: sorted(set(STATUSES) - got) for award, got in coverage(items, None, edition).items()
            if set(STATUSES) - got}
    if gaps:
        raise DemoError(f"the demos do not show every status of every award: missing {gaps}")


@lru_cache(maxsize=1)
def demos() -> tuple[Demo, ...]:
    """The demo organisations, loaded and checked once (read-only afterwards)."""
    items = _load()
    validate(items)
    return items


def demo(demo_id: str) -> Demo:
    for item in demos():
        if item.id == demo_id:
            return item
    raise KeyError(demo_id)
