"""A scheme edition as data: the models that validate an edition file, and its loader.

An edition file (``scheme/editions/<id>.yaml``) holds everything the brochure says: programmes,
awards, categories, entry conditions, commitments, forms, benefits, dates and HKQAA's contact.
It is validated on load, cross-references included, so that a broken file fails at once with
the path of the bad entry instead of giving a wrong verdict later. The engine reads only this.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

EDITIONS_DIR = Path(__file__).parent / "editions"
DEFAULT_EDITION = "hkqaa-ors-2022"


class EditionError(ValueError):
    """An edition file that cannot be used; the message names the path of the bad entry."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Data):
    """A text in Traditional Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Quote(_Data):
    """The brochure's own words (``zh``), with this project's English rendering (``en``).

    ``zh`` is quoted word for word. Where a condition's words stand in several places of the
    brochure, ``zh`` lists the pieces, each word for word; they are shown joined by an ellipsis,
    so that a reader sees the quote was joined. ``en`` is the project's translation, never HKQAA's.
    """

    zh: str | tuple[str, ...]
    en: str = Field(min_length=1)

    @property
    def pieces(self) -> tuple[str, ...]:
        return (self.zh,) if isinstance(self.zh, str) else self.zh

    @property
    def text_zh(self) -> str:
        return JOIN_MARK.join(self.pieces)


#: How the pieces of a joined quote are shown.
JOIN_MARK = "……"


class Contact(_Data):
    unit: Text
    phone: str
    fax: str
    email: str
    address: Text
    website: str


class HowToApply(Text):
    channels: tuple[str, ...]
    source: Quote


class Milestone(_Data):
    id: str
    date: dt.date
    end: dt.date | None = None
    label: Text
    when: Text
    source: Quote
    # A milestone that concerns only organisations bringing a commitment (the December training):
    # shown only where a recommended award requires it (interpretation 14).
    only_with_commitment: str | None = None
    # Whom it concerns, where not every applicant (the brochure's own words): said beside it
    # where the scheme's dates are listed for no organisation in particular (About, briefing).
    applies_to: Text | None = None


class Window(_Data):
    opens: str
    closes: str


class Form(_Data):
    id: str
    name: Text
    due: str
    contents: Text | None = None
    # What the form asks the organisation to write (e.g. a leader's two concrete actions): listed
    # among what to prepare, never a condition (interpretation 12).
    prepare: tuple[Text, ...] = ()
    source: Quote


class Commitment(_Data):
    id: str
    name: Text
    due: str | None = None
    exempt_awards: tuple[str, ...] = ()
    exempt_source: Quote | None = None


class Benefit(_Data):
    id: str
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Due(_Data):
    """When an action falls due: a fixed date, a milestone, or months after an answered date."""

    date: dt.date | None = None
    milestone: str | None = None
    months_after: str | None = None
    months: int | None = None
    default: str | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Due:
        rules = [self.date is not None, self.milestone is not None, self.months_after is not None]
        if sum(rules) != 1:
            raise ValueError("give exactly one of date, milestone, months_after")
        if self.months_after is not None and (self.months is None or self.default is None):
            raise ValueError("months_after needs months and default")
        return self


class RouteMilestone(_Data):
    id: str
    label: Text


class Route(_Data):
    """An answer that fails the condition for now but leaves a route the brochure allows open."""

    reason: Text
    action: Text
    due: Due | None = None
    milestone: RouteMilestone | None = None
    # the brochure's alternative to meeting the condition (its "或等同…": equivalent measures or
    # requirements, other third-party documents), not a step still to take (a disclosure not yet
    # ready): the briefing's tables and graphs mark the condition "(or equivalent)"
    equivalent: bool = False
    # other documents standing in for what the condition asks (third-party conformity assessment
    # documents for the SR Index): a tier's ``third_party_fallback`` speaks of this route only
    documents: bool = False


class Condition(_Data):
    id: str
    field: str
    kind: Literal["choice", "grade_at_least", "count_at_least"]
    at_least: str | int | None = None
    question: Text
    source: Quote
    met: dict[str, Text]
    routes: dict[str, Route] = {}
    fails: dict[str, Text] = {}
    unanswered: Text
    ask: Text
    ask_due: Due | None = None

    @model_validator(mode="after")
    def _threshold(self) -> Condition:
        if self.kind != "choice" and self.at_least is None:
            raise ValueError(f"kind {self.kind} needs at_least")
        return self


class Nomination(_Data):
    id: str
    field: str
    name: Text
    what: Text


class Programme(_Data):
    id: str
    name: Text
    aims: tuple[Text, ...]


class Category(_Data):
    id: str
    zh: str
    en: str
    group: str | None = None
    # The UN SDG numbers beside an ESG category: this project's own mapping (the brochure names
    # the categories but gives no numbers; interpretation 15). Shown as the project's.
    sdgs: tuple[int, ...] = ()
    period: Text | None = None

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class CategoryGroup(_Data):
    id: str
    name: Text


class CategorySet(_Data):
    id: str
    groups: tuple[CategoryGroup, ...] = ()
    categories: tuple[Category, ...]


class CategorySource(_Data):
    """Where an award's recommended categories come from."""

    set: str
    field: str | None = None
    group_field: str | None = None
    fixed: tuple[str, ...] | None = None
    single: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> CategorySource:
        if (self.field is None) == (self.fixed is None):
            raise ValueError("give exactly one of field, fixed")
        return self


class TitleStyle(_Data):
    """How an award is titled, in the brochure's style."""

    sector: bool = False
    separator: str = " "
    group_prefix: bool = False
    period_field: str | None = None
    fullwidth_zh: bool = False

    @property
    def brackets(self) -> bool:
        """Whether the category goes in brackets (else it follows the separator bare)."""
        return self.separator == " " or self.group_prefix


class Award(_Data):
    id: str
    programme: str
    name: Text
    kind: Text
    applies_per: Literal["premises", "category", "organisation", "nominee"]
    form: str | None = None
    conditions: tuple[str, ...] = ()
    commitments: dict[str, Quote] = {}  # commitment id -> the award's own brochure line
    categories: CategorySource | None = None
    title: TitleStyle = TitleStyle()
    benefits: tuple[str, ...]
    source: Quote
    title_example_zh: str | None = None
    depends_on: str | None = None
    nomination: str | None = None
    requires_all: tuple[str, ...] = ()
    tier: int | None = None
    # For a tier that third-party documents may stand in for: the tier to apply for instead if
    # HKQAA finds the documents meet only that one's requirement (interpretation 7).
    third_party_fallback: str | None = None


class Edition(_Data):
    id: str
    year: int
    name: Text
    organiser: Text
    tagline: Text
    purpose: Text
    contact: Contact
    how_to_apply: HowToApply
    not_in_brochure: tuple[Text, ...]
    # The brochure's note under the management awards' categories: each category is applied for
    # on its own (interpretation 13).
    per_category_note: Quote
    milestones: tuple[Milestone, ...]
    window: Window
    forms: tuple[Form, ...]
    commitments: tuple[Commitment, ...]
    benefits: tuple[Benefit, ...]
    conditions: tuple[Condition, ...]
    rating_scale: tuple[str, ...]
    nominations: tuple[Nomination, ...]
    programmes: tuple[Programme, ...]
    category_sets: tuple[CategorySet, ...]
    awards: tuple[Award, ...]

    def __hash__(self) -> int:
        """By identity: an edition is loaded once and never changes (memoized verdicts key on it)."""
        return id(self)

    # -- lookups (indexes built once, after validation; the model is frozen) -------------

    @cached_property
    def lookups(self) -> dict[str, dict]:
        """Id -> item for every list, and category ids by (set, group); built once, read-only."""
        index: dict[str, dict] = {}
        for name in ("awards", "milestones", "forms", "commitments", "conditions", "nominations",
                     "benefits", "programmes", "category_sets"):
            index[name] = {item.id: item for item in getattr(self, name)}
        index["award_commitments"] = {a.id: tuple(c.id for c in self.commitments if c.id in a.commitments)
                                      for a in self.awards}
        quotes = {"per_category_note": self.per_category_note}
        quotes.update({f"condition:{c.id}": c.source for c in self.conditions})
        for award in self.awards:
            quotes[f"award:{award.id}"] = award.source
            quotes.update({f"commitment:{award.id}:{c}": q for c, q in award.commitments.items()})
        index["quotes"] = quotes
        index["milestone_labels"] = {m.id: m.label for m in self.milestones}
        for cond in self.conditions:
            for route in cond.routes.values():
                if route.milestone is not None:
                    index["milestone_labels"].setdefault(route.milestone.id, route.milestone.label)
        index["category_ids"] = {}
        for cset in self.category_sets:
            index["category_ids"][(cset.id, None)] = tuple(c.id for c in cset.categories)
            for group in {c.group for c in cset.categories if c.group}:
                index["category_ids"][(cset.id, group)] = tuple(
                    c.id for c in cset.categories if c.group == group)
        return index

    @cached_property
    def derived(self) -> dict:
        """Facts derived from this edition's data alone, memoized by whoever derives them (a
        derived fact never changes, so sharing it between sessions and threads is safe)."""
        return {}

    def quote(self, ref: str) -> Quote:
        """The brochure's words a reason points to, by reference: ``condition:<id>``,
        ``award:<id>``, ``commitment:<award id>:<commitment id>`` or ``per_category_note``."""
        return self.lookups["quotes"][ref]

    def commitments_of(self, award_id: str) -> tuple[str, ...]:
        """The commitments an award requires, in the edition's order of commitments."""
        return self.lookups["award_commitments"][award_id]

    def award(self, award_id: str) -> Award:
        return self.lookups["awards"][award_id]

    def milestone(self, milestone_id: str) -> Milestone:
        return self.lookups["milestones"][milestone_id]

    def milestone_label(self, milestone_id: str) -> Text | None:
        """The label of a scheme milestone or of a route's own deadline (None for neither)."""
        return self.lookups["milestone_labels"].get(milestone_id)

    def form(self, form_id: str) -> Form:
        return self.lookups["forms"][form_id]

    def commitment(self, commitment_id: str) -> Commitment:
        return self.lookups["commitments"][commitment_id]

    def condition(self, condition_id: str) -> Condition:
        return self.lookups["conditions"][condition_id]

    def nomination(self, nomination_id: str) -> Nomination:
        return self.lookups["nominations"][nomination_id]

    def benefit(self, benefit_id: str) -> Benefit:
        return self.lookups["benefits"][benefit_id]

    def programme(self, programme_id: str) -> Programme:
        return self.lookups["programmes"][programme_id]

    def category_set(self, set_id: str) -> CategorySet:
        return self.lookups["category_sets"][set_id]

    def awards_of(self, programme_id: str) -> tuple[Award, ...]:
        return tuple(a for a in self.awards if a.programme == programme_id)

    @cached_property
    def tiers(self) -> tuple[Award, ...]:
        """The tiered awards (the ESG tiers), highest tier first."""
        return tuple(sorted((a for a in self.awards if a.tier is not None), key=lambda a: -a.tier))

    def category_ids(self, set_id: str, group: str | None = None) -> tuple[str, ...]:
        return self.lookups["category_ids"].get((set_id, group), ())

    @cached_property
    def window_opens(self) -> dt.date:
        return self.milestone(self.window.opens).date

    @cached_property
    def window_closes(self) -> dt.date:
        return self.milestone(self.window.closes).date

    # -- validation ----------------------------------------------------------------------

    @model_validator(mode="after")
    def _cross_references(self) -> Edition:
        problems: list[str] = []
        for name in ("milestones", "forms", "commitments", "benefits", "conditions",
                     "nominations", "programmes", "category_sets", "awards"):
            seen: set[str] = set()
            for i, item in enumerate(getattr(self, name)):
                if item.id in seen:
                    problems.append(f"{name}[{i}].id: duplicate id {item.id!r}")
                seen.add(item.id)
        if problems:
            raise ValueError("; ".join(problems))

        ids = {name: {x.id for x in getattr(self, name)} for name in (
            "milestones", "forms", "commitments", "benefits", "conditions", "nominations",
            "programmes", "category_sets", "awards")}

        def need(kind: str, value: str | None, where: str) -> None:
            if value is not None and value not in ids[kind]:
                known = ", ".join(sorted(ids[kind]))
                problems.append(f"{where}: unknown {kind[:-1].replace('_', ' ')} {value!r} "
                                f"(known: {known})")

        def need_due(due: Due | None, where: str) -> None:
            if due is None:
                return
            need("milestones", due.milestone, f"{where}.milestone")
            need("milestones", due.default, f"{where}.default")
            if due.months_after is not None and due.months_after != "planned_submission_date":
                # the engine counts a Part A date as a day inside the window (interpretation 3)
                problems.append(f"{where}.months_after: only planned_submission_date is counted from")

        need("milestones", self.window.opens, "window.opens")
        need("milestones", self.window.closes, "window.closes")
        for i, form in enumerate(self.forms):
            need("milestones", form.due, f"forms[{i}].due")
        for i, milestone in enumerate(self.milestones):
            need("commitments", milestone.only_with_commitment, f"milestones[{i}].only_with_commitment")
        for i, com in enumerate(self.commitments):
            need("milestones", com.due, f"commitments[{i}].due")
            for j, award_id in enumerate(com.exempt_awards):
                need("awards", award_id, f"commitments[{i}].exempt_awards[{j}]")
        for i, cond in enumerate(self.conditions):
            where = f"conditions[{i}]"
            _need_field(cond.field, f"{where}.field", problems)
            need_due(cond.ask_due, f"{where}.ask_due")
            for key, route in cond.routes.items():
                need_due(route.due, f"{where}.routes.{key}.due")
            if cond.kind == "grade_at_least" and cond.at_least not in self.rating_scale:
                problems.append(f"{where}.at_least: {cond.at_least!r} is not on rating_scale")
        for i, nom in enumerate(self.nominations):
            _need_field(nom.field, f"nominations[{i}].field", problems)
        for i, cset in enumerate(self.category_sets):
            groups = {g.id for g in cset.groups}
            seen_cats: set[str] = set()
            for j, cat in enumerate(cset.categories):
                where = f"category_sets[{i}].categories[{j}]"
                if cat.id in seen_cats:
                    problems.append(f"{where}.id: duplicate id {cat.id!r}")
                seen_cats.add(cat.id)
                if cat.group is not None and cat.group not in groups:
                    problems.append(f"{where}.group: unknown group {cat.group!r}")
            used = {cat.group for cat in cset.categories}
            for k, group in enumerate(cset.groups):  # the wizard asks a group by its categories
                if group.id not in used:
                    problems.append(f"category_sets[{i}].groups[{k}]: no category is in group {group.id!r}")
        order = {award.id: i for i, award in enumerate(self.awards)}
        for i, award in enumerate(self.awards):
            where = f"awards[{i}]"
            need("programmes", award.programme, f"{where}.programme")
            need("forms", award.form, f"{where}.form")
            for j, cond_id in enumerate(award.conditions):
                need("conditions", cond_id, f"{where}.conditions[{j}]")
            for com_id in award.commitments:
                need("commitments", com_id, f"{where}.commitments.{com_id}")
            for j, ben in enumerate(award.benefits):
                need("benefits", ben, f"{where}.benefits[{j}]")
            for j, req in enumerate(award.requires_all):
                need("awards", req, f"{where}.requires_all[{j}]")
            if award.depends_on is not None and award.depends_on != "best_tier":
                need("awards", award.depends_on, f"{where}.depends_on")
                if award.depends_on in order and order[award.depends_on] > i:
                    problems.append(f"{where}.depends_on: {award.depends_on!r} must come before it")
            for j, req in enumerate(award.requires_all):
                if req in order and order[req] > i:
                    problems.append(f"{where}.requires_all[{j}]: {req!r} must come before it")
            need("awards", award.third_party_fallback, f"{where}.third_party_fallback")
            need("nominations", award.nomination, f"{where}.nomination")
            if award.applies_per == "nominee" and (award.depends_on is None or award.nomination is None):
                problems.append(f"{where}: a nominee award needs depends_on and nomination")
            if award.applies_per == "category" and award.categories is None:
                problems.append(f"{where}.categories: an award applied for by category needs categories")
            src = award.categories
            if src is not None:
                need("category_sets", src.set, f"{where}.categories.set")
                if src.field is not None:
                    _need_field(src.field, f"{where}.categories.field", problems)
                if src.group_field is not None:
                    _need_field(src.group_field, f"{where}.categories.group_field", problems)
                if src.fixed is not None and src.set in ids["category_sets"]:
                    known = set(self.category_ids(src.set))
                    for j, cat_id in enumerate(src.fixed):
                        if cat_id not in known:
                            problems.append(f"{where}.categories.fixed[{j}]: unknown category {cat_id!r}")
            if award.depends_on == "best_tier" and any(order[t.id] > i for t in self.tiers):
                problems.append(f"{where}.depends_on: every tier must come before it")
            if award.title.period_field is not None:
                _need_field(award.title.period_field, f"{where}.title.period_field", problems)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _need_field(path: str, where: str, problems: list[str]) -> None:
    """Check that a dotted answers-file path names a field of the answers model."""
    from scheme.answers import field_paths  # late import: answers imports this module

    if path not in field_paths():
        problems.append(f"{where}: {path!r} is not a field of the answers file")


def dotted_path(loc: tuple) -> str:
    """A pydantic error location as a path a person reads: ``awards[3].conditions[0]``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _format_validation_error(err: ValidationError, source: str) -> str:
    lines = []
    for e in err.errors():
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"{dotted_path(tuple(e['loc'])) or '(top level)'}: {msg}")
    return f"{source}: invalid edition file:\n  " + "\n  ".join(lines)


def parse_edition(data: object, source: str = "<edition>") -> Edition:
    """Validate already-parsed edition data; raise EditionError naming each bad entry."""
    try:
        return Edition.model_validate(data)
    except ValidationError as err:
        raise EditionError(_format_validation_error(err, source)) from None


def load_edition_file(path: Path) -> Edition:
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built in: 10x faster
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as err:
        raise EditionError(f"{path}: cannot read edition file: {err}") from None
    return parse_edition(data, str(path))


@lru_cache(maxsize=1)
def available_editions() -> tuple[str, ...]:
    """The editions shipped with the package (read once: every answers file is checked against
    it, and a folder glob per check was a tenth of the server's CPU under load)."""
    return tuple(sorted(p.stem for p in EDITIONS_DIR.glob("*.yaml")))


@lru_cache(maxsize=8)
def load_edition(edition_id: str = DEFAULT_EDITION) -> Edition:
    """Load and validate an edition by id, once per process (the object is frozen)."""
    if edition_id not in available_editions():
        raise EditionError(f"unknown scheme edition {edition_id!r}; known: "
                           + ", ".join(available_editions()))
    return load_edition_file(EDITIONS_DIR / f"{edition_id}.yaml")
