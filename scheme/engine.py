"""The eligibility engine: the scheme's verdict on one organisation, as facts.

``judge(answers, as_of)`` walks the rules once, in the brochure's order, and returns a
:class:`Verdict`: per award a status, whether it is recommended, the questions it still waits
for, the categories that fit, the reasons (message ids with their parameters and the brochure's
words they point to) and the actions (ids, parameters, due dates). It chooses no words: that is
``scheme.render``, at the edge, in the language asked for; batch screening needs none.
``evaluate(answers, as_of, lang)`` is both together: the contract's evaluation result.

A pure function of (answers, as-of date, edition): no I/O, no UI. Every rule's data (conditions,
routes, due dates, categories, commitments, forms) is read from the edition file; the choices
made here are how the brochure's ambiguous points are read, each marked with its point of the
contract's interpretation.md.

Statuses: ``eligible`` (every condition met, every required commitment confirmed),
``conditional`` (a route the scheme allows is still open, or an answer is still missing),
``not_eligible`` (a condition fails with no route open, or a required commitment was declined).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from scheme.answers import Answers, field_order
from scheme.edition import Award, Condition, Due, Edition, load_edition
from scheme.result import STATUS_RANK, STATUSES, Result, Status

Params = tuple[tuple[str, Any], ...]


class Reason(NamedTuple):
    """Why a status is what it is: a message id, its parameters (ids, numbers, dates), and the
    brochure's words it points to (a reference: ``Edition.quote``)."""

    id: str
    params: Params = ()
    source: str | None = None


class Todo(NamedTuple):
    """Something the organisation must still do: a message id, its parameters, the due date."""

    id: str
    params: Params = ()
    due: dt.date | None = None


class AwardVerdict(NamedTuple):
    """One award's verdict, as facts (the contract's award result without its words).

    Immutable: the same answers give the same verdict, so one verdict may serve many (the judge
    remembers them, see ``_Judge.final``)."""

    id: str
    form: str | None
    commitments: tuple[str, ...]
    status: Status
    missing: tuple[str, ...]
    categories: tuple[str, ...]
    reasons: tuple[Reason, ...]
    actions: tuple[Todo, ...]
    # Recommended on the answers and the rules alone, before the window is considered: what a
    # look back after the deadline shows (its categories and titles).
    would_recommend: bool
    recommended: bool = False
    applications: int = 0


@dataclass(slots=True)
class _Draft:
    """A part of an award's verdict while its rules are walked: each rule adds to it; then it is
    fixed (``part``), and the award's verdict is its parts together (``_Judge.finish``)."""

    id: str
    form: str | None
    commitments: tuple[str, ...]
    status: Status = "eligible"
    missing: list[str] = field(default_factory=list)
    categories: tuple[str, ...] = ()
    reasons: list[Reason] = field(default_factory=list)
    actions: list[Todo] = field(default_factory=list)

    def add(self, status: Status, reason: Reason, todo: Todo | None = None,
            missing: str | None = None) -> None:
        """A part of the verdict: the worse status wins (eligible < conditional < not_eligible)."""
        if STATUS_RANK[status] > STATUS_RANK[self.status]:
            self.status = status
        self.reasons.append(reason)
        if todo is not None:
            self.actions.append(todo)
        if missing is not None:
            self.missing.append(missing)

    def part(self) -> Part:
        missing = tuple(self.missing)
        if len(missing) > 1:
            missing = tuple(sorted(set(missing), key=field_order().__getitem__))
        return Part(self.status, tuple(self.reasons), tuple(self.actions), missing, self.categories,
                    tuple(r for r in self.reasons if r.id not in _ONLY_WHERE_OPEN))


class Part(NamedTuple):
    """A part of an award's verdict (its entry conditions, its categories, its commitments; what
    it follows from): the award's verdict is its parts together (``_Judge.finish``)."""

    status: Status
    reasons: tuple[Reason, ...]
    actions: tuple[Todo, ...]
    missing: tuple[str, ...]  # in the questions' order, each once
    categories: tuple[str, ...]
    # the reasons still said where the award is not eligible: a closed door waits for nothing
    closed_reasons: tuple[Reason, ...]


class Outcome(NamedTuple):
    """What one answer makes of one entry condition or commitment, for any award that has it."""

    status: Status
    reason: Reason
    todo: Todo | None = None
    missing: str | None = None  # the question still to answer, where it is unanswered


class Milestone(NamedTuple):
    id: str
    date: dt.date


class CommitmentDue(NamedTuple):
    id: str
    due: dt.date | None
    awards: list[str]


@dataclass(slots=True)
class Verdict:
    """The scheme's verdict on one organisation, as facts."""

    scheme: str
    as_of: dt.date
    window: str
    awards: list[AwardVerdict]
    forms: list[str]
    applications_total: int
    milestones: list[Milestone]
    commitments: list[CommitmentDue]

    def award(self, award_id: str) -> AwardVerdict:
        for award in self.awards:
            if award.id == award_id:
                return award
        raise KeyError(award_id)


# What the judge remembers, with the edition (``Edition.derived``), shared by every session (no
# personal data: answers the rules read, never a name): whole verdicts of answers seen more than
# once (a session's reruns, a briefing's demo organisations, a prospect list's repeated
# patterns), and the parts that repeat across organisations (an award on its own answers, what
# one answer makes of one condition). Each memo is bounded; past its size it starts again.
# Answers seen once are not kept whole: a list of all-different organisations would only churn
# memory and the garbage collector (bench/engine.py measures both workloads).
VERDICTS_SIZE = 2_000  # whole verdicts
SEEN_SIZE = 50_000  # fingerprints (ints) of answers seen once
MEMO_SIZE = 20_000  # parts


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` calendar months later, or that month's last day where it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_state(edition: Edition, as_of: dt.date) -> str:
    """``not_yet_open`` before the window opens, ``open`` up to and including the deadline,
    ``closed`` after it (interpretation 10)."""
    if as_of < edition.window_opens:
        return "not_yet_open"
    return "open" if as_of <= edition.window_closes else "closed"


def answer_key(value: Any) -> str:
    """An answer as the edition's conditions name it (``true``/``false`` for yes/no)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class Plan(NamedTuple):
    """What the rules read, derived once from the edition's data: for each part of each award's
    own verdict (``entry``: its conditions and the dates their routes count from; ``fit``: its
    categories; ``pledged``: its commitments) a getter of the answers it reads
    (``operator.itemgetter``), and every answer the whole verdict reads (``reads``)."""

    part_reads: dict[tuple[str, str], Any]
    read_paths: tuple[str, ...]
    reads: Any                       # ``operator.attrgetter`` of read_paths
    category_indexes: tuple[int, ...]  # where in read_paths a list of categories is
    category_order: dict[str, int]   # each category's place in the edition


PARTS = ("entry", "fit", "pledged")  # of an award's own verdict, in the brochure's order


def _nothing(answers: dict[str, Any]) -> tuple:
    return ()


def plan(edition: Edition) -> Plan:
    known = edition.derived.get("engine_plan")
    if known is None:
        known = edition.derived.setdefault("engine_plan", _make_plan(edition))
    return known


def _make_plan(edition: Edition) -> Plan:
    def parts(award: Award) -> dict[str, list[str]]:
        entry: list[str] = []
        for cond_id in award.conditions:
            cond = edition.condition(cond_id)
            entry.append(cond.field)
            for due in (cond.ask_due, *(r.due for r in cond.routes.values())):
                if due is not None and due.months_after:
                    entry.append(due.months_after)
        fit = [p for p in (award.categories.field, award.categories.group_field) if p] \
            if award.categories is not None else []
        pledged = [f"commitments.{c}" for c in edition.commitments_of(award.id)]
        return {"entry": entry, "fit": fit, "pledged": pledged}

    read_paths = ["planned_submission_date", "organisation.premises"]  # Part A, applications
    read_paths += [c.field for c in edition.conditions]  # the dates their routes give
    read_paths += [n.field for n in edition.nominations]
    part_reads = {}
    for award in edition.awards:
        for name, paths in parts(award).items():
            read_paths += paths
            part_reads[name, award.id] = itemgetter(*dict.fromkeys(paths)) if paths else _nothing
    paths = tuple(dict.fromkeys(read_paths))
    lists = {a.categories.field for a in edition.awards
             if a.categories and a.categories.field and not a.categories.single}
    category_order = {c.id: i for i, c in enumerate(c for s in edition.category_sets for c in s.categories)}
    return Plan(part_reads, paths, attrgetter(*paths),
                tuple(i for i, p in enumerate(paths) if p in lists), category_order)


# Reasons that only matter while an award is open: what it would be entered as, and what would
# make it conditional (unanswered questions, open routes). A closed door waits for nothing, so
# where an award is not eligible they are left out and its reasons say why it is closed.
_ONLY_WHERE_OPEN = frozenset({
    "track_chosen", "categories_fit", "condition_unanswered", "condition_route", "track_unanswered",
    "categories_group_unanswered", "categories_unanswered", "categories_none_fit",
    "categories_none_fit_group", "commitment_unanswered", "nominee_unanswered",
    "planned_outside_window", "planned_outside_window_counted", "requires_not_recommended",
    # "you will nominate …" beside "… not open to you, so there is no nomination"
    "nominee_yes"})


# Reasons that speak of recommending or of what to apply for: once the window is closed nothing
# is recommended (interpretation 10), so they are left out, and "it is recommended" said of an
# award another one requires becomes just its status.
_ONLY_WHILE_RECOMMENDING = frozenset({
    "tier_not_chosen", "tier_chosen_top", "tier_chosen_highest", "tier_chosen_higher_waiting",
    "tier_chosen_documents",
    "tier_chosen_higher_conditional", "tier_fallback", "requires_not_recommended"})


class _Judge:
    """One walk through the rules for one organisation (holds nothing between verdicts)."""

    def __init__(self, edition: Edition, values: tuple, as_of: dt.date):
        # values: the answers the rules read (``Plan.reads``), lists as tuples (they key memos)
        self.edition = edition
        self.plan = plan(edition)
        self.values = values
        self.answers = dict(zip(self.plan.read_paths, values, strict=True))
        self.as_of = as_of
        self.window = window_state(edition, as_of)
        self.closed = self.window == "closed"
        self.judged: dict[str, AwardVerdict] = {}  # each award judged once per verdict
        self.conditions: dict[str, Outcome] = {}  # each condition judged once per verdict
        self.best_tier: str | None = None
        self.memo = edition.derived.setdefault("engine_outcomes", {})
        self.verdicts = edition.derived.setdefault("engine_verdicts", {})
        for memo, size in ((self.memo, MEMO_SIZE), (self.verdicts, VERDICTS_SIZE)):
            if len(memo) > size:
                memo.clear()
        planned = self.answers["planned_submission_date"]
        # Interpretation 3: Part A can only be submitted inside the application window.
        self.planned_outside = planned is not None and window_state(edition, planned) != "open"

    # -- the whole verdict, in order ------------------------------------------------------------

    def run(self) -> Verdict:
        """Every award's verdict (``final``), then the forms, commitments and dates of the awards
        recommended. The same answers give the same verdict: it is remembered by the answers
        the rules read (``Plan.reads``) and the window's state; a measured trade
        (bench/engine.py), not a second set of rules (tests/test_engine_memo.py checks that a
        remembered verdict is what a fresh walk gives)."""
        key = (self.window, self.values)
        known = self.verdicts.get(key)
        if known is None:
            known = self.walk()
            # kept from the second time the same answers come: answers seen once (a list of
            # all-different organisations) would only churn the memory (see VERDICTS_SIZE)
            seen, fingerprint = self.edition.derived.setdefault("engine_seen", set()), hash(key)
            if fingerprint in seen:
                self.verdicts[key] = known
            else:
                if len(seen) > SEEN_SIZE:
                    seen.clear()
                seen.add(fingerprint)
        awards, forms, total, milestones, commitments = known
        return Verdict(scheme=self.edition.id, as_of=self.as_of, window=self.window,
                       awards=list(awards), forms=list(forms), applications_total=total,
                       milestones=list(milestones), commitments=list(commitments))

    def walk(self) -> tuple:
        """The verdict walked through the rules: each award in the edition's (the brochure's)
        order, then what the awards recommended take together."""
        awards = tuple(self.final(award) for award in self.edition.awards)
        recommended = [v for v in awards if v.recommended]
        forms = sorted({v.form for v in recommended if v.form})
        commitments = self.commitments_due(recommended)
        return (awards, (["A"] + [f for f in forms if f != "A"]) if recommended else [],
                sum(v.applications for v in awards), self.milestones({c.id for c in commitments}),
                commitments)

    def final(self, award: Award) -> AwardVerdict:
        """An award's whole verdict, in the brochure's order:

        1. the award on the organisation's own answers (``own``), or on the awards it follows
           from: the ESG visionary award (``combined_award``, interpretation 6) and the nominee
           awards (``nominee_award``, interpretation 5); of the ESG tiers only one is
           recommended (``choose_tier``, interpretation 7);
        2. the application window (interpretation 10), then what applying takes (``applying``)."""
        return self.conclude(award, self.judge(award))

    def judge(self, award: Award) -> AwardVerdict:
        """Step 1: what the rules make of the answers, before the window is considered."""
        verdict = self.judged.get(award.id)
        if verdict is None:
            if award.tier is not None:
                self.choose_tier()  # judges every tier
                return self.judged[award.id]
            if award.requires_all:
                verdict = self.combined_award(award)
            elif award.depends_on is not None:
                if award.depends_on == "best_tier":
                    self.choose_tier()
                    verdict = self.nominee_award(award, self.best_tier)
                else:
                    verdict = self.nominee_award(award, award.depends_on)
            else:
                verdict = self.own(award)
            self.judged[award.id] = verdict
        return verdict

    def conclude(self, award: Award, verdict: AwardVerdict) -> AwardVerdict:
        """Step 2: after the deadline nothing is recommended, and every award says so first
        (interpretation 10); an award recommended gets what applying for it takes."""
        if self.closed:
            closed = Reason("closed_round", (("year", self.edition.year),
                                             ("deadline", self.edition.window_closes)))
            said = tuple(r._replace(id="requires_status") if r.id == "requires_recommended" else r
                         for r in verdict.reasons if r.id not in _ONLY_WHILE_RECOMMENDING)
            return verdict._replace(reasons=(closed, *said))
        if not verdict.would_recommend:
            return verdict
        return self.applying(award, verdict)

    # -- one award on its own answers --------------------------------------------------------------

    def own(self, award: Award) -> AwardVerdict:
        """Entry conditions, then categories, then the commitments the award requires."""
        return self.finish(award, (self.part("entry", award, self.entry),
                                   self.part("fit", award, self.categories),
                                   self.part("pledged", award, self.pledged)))

    def part(self, name: str, award: Award, judge_part) -> Part:
        """One part of an award's own verdict, remembered by the answers it reads
        (``Plan.part_reads``): organisations that differ still share most parts."""
        key = (name, award.id, self.plan.part_reads[name, award.id](self.answers))
        known = self.memo.get(key)
        if known is None:
            draft = _Draft(award.id, award.form, self.edition.commitments_of(award.id))
            judge_part(draft, award)
            known = self.memo.setdefault(key, draft.part())
        return known

    def entry(self, verdict: _Draft, award: Award) -> None:
        for cond_id in award.conditions:
            verdict.add(*(self.conditions.get(cond_id) or self.condition(cond_id)))
            if self.planned_outside and verdict.status == "conditional":
                self.say_planned_outside(verdict, cond_id)

    def pledged(self, verdict: _Draft, award: Award) -> None:
        for com_id in verdict.commitments:
            verdict.add(*self.commitment(award, com_id))

    def condition(self, cond_id: str) -> Outcome:
        """An entry condition: met, an open route (conditional, with its action), or failed.
        Unanswered, it is a fact still missing (interpretation 7): conditional, asked for."""
        cond = self.edition.condition(cond_id)
        value = self.answers[cond.field]
        if value is None:
            about = (("condition", cond.id),)
            outcome = Outcome("conditional", Reason("condition_unanswered", about, f"condition:{cond.id}"),
                              Todo("condition_ask", about, self.due(cond.ask_due)), cond.field)
        else:
            key = (cond_id, value)
            status, reason = self.memo.get(key) or self.memo.setdefault(
                key, condition_outcome(self.edition, cond, value))
            todo = None
            if status == "conditional":
                route = cond.routes[answer_key(value)]
                todo = Todo("condition_route_action", reason.params, self.due(route.due))
            outcome = Outcome(status, reason, todo)
        self.conditions[cond_id] = outcome
        return outcome

    def say_planned_outside(self, verdict: _Draft, cond_id: str) -> None:
        """Where a route's deadline counts from the planned date, and that date lies outside the
        window, the reasons say so (interpretation 3)."""
        cond = self.edition.condition(cond_id)
        route = cond.routes.get(answer_key(self.answers[cond.field]))
        if route is not None and route.due is not None and route.due.months_after:
            verdict.reasons.append(self.planned_outside_reason(counted=True))

    def categories(self, verdict: _Draft, award: Award) -> None:
        """The categories that fit (interpretation 7): a fixed one, a track picked by one answer
        (the carbon pioneer award), or the chosen categories of the group that applies."""
        src = award.categories
        if src is None:
            return
        if src.fixed is not None:
            verdict.categories = tuple(src.fixed)
            return
        deadline = self.edition.window_closes
        chosen = self.answers[src.field]
        if src.single:
            if chosen is None:
                verdict.add("conditional", Reason("track_unanswered"),
                            Todo("action_choose_track", (), deadline), src.field)
            else:
                verdict.categories = (chosen,)
                verdict.reasons.append(Reason("track_chosen", (("set", src.set), ("categories", (chosen,)))))
            return
        group = None
        if src.group_field is not None:  # e.g. the carbon categories of one certificate type
            group = self.answers[src.group_field]
            if group is None:
                verdict.add("conditional", Reason("categories_group_unanswered"),
                            Todo("action_choose_group", (), deadline), src.group_field)
                return
        allowed = self.edition.category_ids(src.set, group)
        picked = chosen or ()
        fitting = tuple(c for c in allowed if c in picked)
        others = tuple(c for c in picked if c not in allowed)
        if others:
            verdict.reasons.append(Reason("categories_other_group",
                                          (("set", src.set), ("group", group), ("categories", others))))
        if fitting:
            verdict.categories = fitting
            verdict.reasons.append(Reason("categories_fit", (("set", src.set),
                                                             ("categories", fitting)),
                                          "per_category_note"))
        else:
            if not chosen:  # not answered, or none ticked
                key, params = "categories_unanswered", ()
            elif group is None:
                key, params = "categories_none_fit", ()
            else:
                key, params = "categories_none_fit_group", (("set", src.set), ("group", group))
            verdict.add("conditional", Reason(key, params),
                        Todo("action_choose_categories", (), deadline))

    def commitment(self, award: Award, com_id: str) -> Outcome:
        """A required commitment: confirmed, not yet (conditional; it does not stop a
        recommendation, interpretation 7), or declined (not eligible)."""
        key = (award.id, com_id, self.answers[f"commitments.{com_id}"])
        return self.memo.get(key) or self.memo.setdefault(key, commitment_outcome(self.edition, *key))

    def finish(self, award: Award, parts: tuple[Part, ...], follows_recommended: bool = True,
               inside: AwardVerdict | None = None) -> AwardVerdict:
        """The parts together: the worst status wins; recommended when open, nothing it depends
        on is unanswered, a category fits (interpretation 7) and what it follows from is
        recommended. A closed door waits for nothing and says nothing more. ``inside``: the
        award applied for within another's application, with its form and commitments."""
        form, commitments = (award.form, self.edition.commitments_of(award.id)) if inside is None \
            else (inside.form, inside.commitments)
        worst, categories, reasons, actions, missing, closed_reasons = 0, (), (), (), (), ()
        for status, said, todo, asked, fits, closed_said in parts:
            if STATUS_RANK[status] > worst:
                worst = STATUS_RANK[status]
            reasons, actions, missing = reasons + said, actions + todo, missing + asked
            closed_reasons += closed_said
            if fits:
                categories = fits
        if worst == STATUS_RANK["not_eligible"]:
            return AwardVerdict(award.id, form, commitments, "not_eligible", (), categories,
                                closed_reasons, (), False)
        if len(missing) > 1:
            missing = tuple(sorted(set(missing), key=field_order().__getitem__))
        would_recommend = (not missing and follows_recommended
                           and (award.categories is None or bool(categories)))
        return AwardVerdict(award.id, form, commitments, STATUSES[worst], missing, categories, reasons,
                            actions, would_recommend)

    # -- awards that follow from others ----------------------------------------------------------

    def choose_tier(self) -> None:
        """Interpretation 7: of the tiers, only one is recommended: the highest among those that
        could be recommended with the best status (eligible before conditional); with third-party
        documents instead of the SR Index, the tier that names a fallback (the advanced one)."""
        if self.best_tier is not None:
            return
        tiers = self.edition.tiers  # highest first
        own = {t.id: self.own(t) for t in tiers}
        pool = [t for t in tiers if own[t.id].would_recommend] or list(tiers)
        # with third-party documents it is the tier that names a fallback (the advanced one)
        documents = [t for t in pool if t.third_party_fallback and own[t.id].would_recommend
                     and self.on_documents(own[t.id])]
        if documents:
            chosen = documents[0]
        else:
            best = min(STATUS_RANK[own[t.id].status] for t in pool)
            chosen = next(t for t in pool if STATUS_RANK[own[t.id].status] == best)
        verdict = own[chosen.id]
        if verdict.would_recommend:
            said = []
            higher = tiers[:tiers.index(chosen)]
            open_higher = tuple(t.id for t in higher if own[t.id].status != "not_eligible")
            if not higher:  # the top tier itself: nothing above it to rule out
                said.append(Reason("tier_chosen_top", (("award", chosen.id),)))
            elif not open_higher:  # only where the answers rule the higher tiers out
                said.append(Reason("tier_chosen_highest", (("award", chosen.id),)))
            elif documents:  # the higher tiers open too, on the same documents
                said.append(Reason("tier_chosen_documents", (("award", chosen.id), ("awards", open_higher))))
            else:
                waiting = tuple(dict.fromkeys(p for t in open_higher for p in own[t].missing))
                if waiting:  # a higher tier may follow once these are answered
                    said.append(Reason("tier_chosen_higher_waiting",
                                       (("award", chosen.id), ("awards", open_higher),
                                        ("questions", waiting))))
                else:
                    said.append(Reason("tier_chosen_higher_conditional",
                                       (("award", chosen.id), ("awards", open_higher))))
            if chosen.third_party_fallback and self.on_documents(verdict):
                said.append(Reason("tier_fallback", (("award", chosen.id),
                                                     ("fallback", chosen.third_party_fallback))))
            own[chosen.id] = verdict._replace(reasons=verdict.reasons + tuple(said))
        for tier in tiers:
            other = own[tier.id]
            if tier is not chosen and other.would_recommend:
                other = other._replace(would_recommend=False, reasons=other.reasons + (
                    Reason("tier_not_chosen", (("award", chosen.id),)),))
            self.judged[tier.id] = other
        self.best_tier = chosen.id

    def on_documents(self, verdict: AwardVerdict) -> bool:
        """Whether an award's entry rests on other documents (a condition on a route the edition
        marks ``documents``: third-party documents for the SR Index), not on another open route
        such as a climate-risk disclosure not yet ready."""
        for reason in verdict.reasons:
            if reason.id == "condition_route":
                params = dict(reason.params)
                if self.edition.condition(params["condition"]).routes[params["value"]].documents:
                    return True
        return False

    def combined_award(self, award: Award) -> AwardVerdict:
        """Interpretation 6: for organisations applying for all of ``requires_all``: eligible when
        they all are, conditional while none is closed, recommended when they all are."""
        verdict = _Draft(award.id, award.form, self.edition.commitments_of(award.id))
        required = [self.judge(self.edition.award(r)) for r in award.requires_all]
        if all(r.status == "eligible" for r in required):
            verdict.status = "eligible"
        elif all(r.status != "not_eligible" for r in required):
            verdict.status = "conditional"
        else:
            verdict.status = "not_eligible"
        for req in required:
            key = "requires_recommended" if req.would_recommend else "requires_status"
            verdict.reasons.append(Reason(key, (("award", req.id), ("status", req.status)),
                                          f"award:{award.id}"))
            verdict.actions.extend(req.actions)
            verdict.missing.extend(req.missing)
        self.categories(verdict, award)
        for com_id in verdict.commitments:
            verdict.add(*self.commitment(award, com_id))
        verdict.actions = list(dict.fromkeys(verdict.actions))  # one asked by both, once
        result = self.finish(award, (verdict.part(),), all(r.would_recommend for r in required))
        if result.status != "not_eligible" and not result.would_recommend:
            result = result._replace(reasons=result.reasons + (
                Reason("requires_not_recommended", (("awards", award.requires_all),)),))
        return result

    def nominee_award(self, award: Award, parent_id: str) -> AwardVerdict:
        """Interpretation 5: nominated inside the parent's application (its form, its
        commitments); the worse of the parent's status and the nomination answer wins."""
        parent = self.judge(self.edition.award(parent_id))
        if parent.status != "not_eligible":
            said = Reason("nominee_parent_ok", (("parent", parent_id), ("form", parent.form),
                                                ("status", parent.status)))
        elif award.depends_on == "best_tier":  # no tier is open: name none of them as "the" one
            said = Reason("nominee_parent_no_tier", (("awards", tuple(t.id for t in self.edition.tiers)),
                                                     ("form", parent.form)))
        else:
            said = Reason("nominee_parent_ne", (("parent", parent_id), ("form", parent.form),
                                                ("status", parent.status)))
        in_parent = Part(parent.status, (said,), parent.actions, parent.missing, (), (said,))
        return self.finish(award, (in_parent, self.nominated(award, parent.form)),
                           parent.would_recommend, inside=parent)

    def nominated(self, award: Award, form: str | None) -> Part:
        """The nomination answer: yes (eligible), not answered (conditional, asked for inside
        the parent's form), or no (not eligible)."""
        nomination = self.edition.nomination(award.nomination)
        value = self.answers[nomination.field]
        key = ("nominated", award.id, form, value)
        known = self.memo.get(key)
        if known is None:
            verdict = _Draft(award.id, form, ())
            params, source = (("nomination", nomination.id),), f"award:{award.id}"
            if value is True:
                verdict.add("eligible", Reason("nominee_yes", params, source))
            elif value is None:
                verdict.add("conditional", Reason("nominee_unanswered", params, source),
                            Todo("action_answer_nomination", params, self.form_due(form)),
                            nomination.field)
            else:
                verdict.add("not_eligible", Reason("nominee_no", params, source))
            known = self.memo.setdefault(key, verdict.part())
        return known

    # -- what applying takes, once recommended ---------------------------------------------------

    def applying(self, award: Award, verdict: AwardVerdict) -> AwardVerdict:
        """Part A, the declaration form and what to prepare for it (interpretation 12), the
        commitments to carry out; and how many applications (interpretation 8)."""
        edition = self.edition
        actions, reasons = list(verdict.actions), verdict.reasons
        if award.applies_per == "nominee":
            actions.append(Todo("action_nominee_in_form",
                                (("nomination", award.nomination), ("form", verdict.form)),
                                self.form_due(verdict.form)))
            return verdict._replace(actions=tuple(actions), recommended=True)
        planned = self.answers["planned_submission_date"]
        deadline = edition.window_closes
        if self.planned_outside:  # interpretation 3: due on the deadline, and say why
            actions.append(Todo("action_submit_part_a_outside",
                                (("planned", planned), ("deadline", deadline)), deadline))
            if not any(r.id.startswith("planned_outside_window") for r in reasons):
                reasons = (*reasons, self.planned_outside_reason())
        else:
            actions.append(Todo("action_submit_part_a", (), planned or deadline))
        if verdict.form:
            due = self.form_due(verdict.form)
            actions.append(Todo("action_submit_form", (("form", verdict.form),), due))
            for index in range(len(edition.form(verdict.form).prepare)):
                actions.append(Todo("action_prepare_for_form",
                                    (("form", verdict.form), ("item", index)), due))
            # interpretation 11: the score or requirements the form must meet, and how it is
            # scored, are not in the brochure: HKQAA confirms them
            reasons = (*reasons, Reason("form_requirements_not_stated", (
                ("form", verdict.form), ("phone", edition.contact.phone), ("email", edition.contact.email))))
        for com_id in verdict.commitments:
            if self.answers[f"commitments.{com_id}"] is True:
                com = edition.commitment(com_id)
                actions.append(Todo("action_carry_out", (("commitment", com_id),),
                                    edition.milestone(com.due).date if com.due else None))
        if award.applies_per == "premises":
            applications = self.answers["organisation.premises"]
        elif award.applies_per == "category":
            applications = len(verdict.categories)
        else:
            applications = 1
        if award.applies_per != "category":  # interpretations 11, 13: the brochure states the
            # fee only per management category; for the others it is silent: ask HKQAA
            reasons = (*reasons, Reason("fee_not_stated", (("phone", edition.contact.phone),
                                                           ("email", edition.contact.email))))
        return verdict._replace(reasons=reasons, actions=tuple(actions), recommended=True,
                                applications=applications)

    # -- dates -------------------------------------------------------------------------------------

    def due(self, due: Due | None) -> dt.date | None:
        if due is None:
            return None
        if due.date is not None:
            return due.date
        if due.milestone is not None:
            return self.edition.milestone(due.milestone).date
        base = self.answers[due.months_after]
        if base is None:
            base = self.edition.milestone(due.default).date
        else:  # interpretation 3: a Part A date counts as a day inside the window
            base = min(max(base, self.edition.window_opens), self.edition.window_closes)
        return add_months(base, due.months)

    def form_due(self, form_id: str | None) -> dt.date | None:
        return self.edition.milestone(self.edition.form(form_id).due).date if form_id else None

    def planned_outside_reason(self, counted: bool = False) -> Reason:
        """The planned date lies outside the window; ``counted``: and a deadline of this award
        counts from it (it counts from a day inside the window instead)."""
        edition = self.edition
        return Reason("planned_outside_window_counted" if counted else "planned_outside_window",
                      (("planned", self.answers["planned_submission_date"]),
                       ("opens", edition.window_opens), ("deadline", edition.window_closes)))

    def milestones(self, commitments: set[str]) -> tuple[Milestone, ...]:
        """The scheme's dates (the training deadline only where a recommended award brings the
        training, interpretation 14) and the organisation's own, in date order; remembered by
        exactly what they depend on (the planned date, the route answers, the commitments)."""
        answers = self.answers
        key = ("milestones", answers["planned_submission_date"],
               *(answers[c.field] for c in self.edition.conditions if c.routes), *sorted(commitments))
        known = self.memo.get(key)
        if known is None:
            known = self.memo.setdefault(key, self.dated(commitments))
        return known

    def dated(self, commitments: set[str]) -> tuple[Milestone, ...]:
        edition = self.edition
        items = [Milestone(m.id, m.date) for m in edition.milestones
                 if m.only_with_commitment is None or m.only_with_commitment in commitments]
        planned = self.answers["planned_submission_date"]
        if planned is not None:
            items.append(Milestone("planned_submission", planned))
        seen: set[str] = set()
        for cond in edition.conditions:
            value = self.answers[cond.field]
            route = cond.routes.get(answer_key(value)) if value is not None else None
            if route is None or route.milestone is None or route.milestone.id in seen:
                continue
            seen.add(route.milestone.id)
            items.append(Milestone(route.milestone.id, self.due(route.due)))
        return tuple(sorted(items, key=lambda m: m.date))  # stable: scheme dates first on a tie

    def commitments_due(self, recommended: list[AwardVerdict]) -> list[CommitmentDue]:
        out = []
        for com in self.edition.commitments:
            awards = [v.id for v in recommended if com.id in v.commitments]
            if awards:
                due = self.edition.milestone(com.due).date if com.due else None
                out.append(CommitmentDue(com.id, due, awards))
        return out



# What one answer makes of one condition or commitment depends on nothing else: these two are
# pure functions of the edition's data and the answer; the judge memoizes them with the edition
# (``Edition.derived``), so that the facts they return (immutable) are built once.

def condition_outcome(edition: Edition, cond: Condition, value: Any) -> tuple[Status, Reason]:
    """A given answer to a condition: met (eligible), a route (conditional), or failed."""
    key = answer_key(value)
    params = (("condition", cond.id), ("value", key))
    if cond.kind == "choice":
        status = "eligible" if key in cond.met else "conditional" if key in cond.routes else "not_eligible"
    elif cond.kind == "grade_at_least":
        scale = edition.rating_scale
        met = key in scale and scale.index(key) <= scale.index(cond.at_least)
        status = "eligible" if met else "not_eligible"
    else:  # count_at_least
        status = "eligible" if value >= int(cond.at_least) else "not_eligible"
    kind = {"eligible": "condition_met", "conditional": "condition_route",
            "not_eligible": "condition_failed"}[status]
    return status, Reason(kind, params, f"condition:{cond.id}")


def commitment_outcome(edition: Edition, award_id: str, com_id: str, value: bool | None) -> Outcome:
    """A commitment confirmed (eligible), not answered (conditional, to confirm), or declined."""
    params = (("commitment", com_id),)
    source = f"commitment:{award_id}:{com_id}"
    if value is True:
        return Outcome("eligible", Reason("commitment_confirmed", params, source))
    if value is None:
        return Outcome("conditional", Reason("commitment_unanswered", params, source),
                       Todo("action_confirm_commitment", params))
    return Outcome("not_eligible", Reason("commitment_declined", params, source))


def judge(answers: Answers, as_of: dt.date | None = None, edition: Edition | None = None) -> Verdict:
    """The scheme's verdict on ``answers`` as of ``as_of`` (default today), as facts."""
    edition = edition or load_edition(answers.scheme)
    return _Judge(edition, read(answers, edition), as_of or dt.date.today()).run()


def read(answers: Answers, edition: Edition) -> tuple:
    """The answers the rules read (``Plan.reads``), in that order. A list of categories comes
    as a tuple in the edition's order of categories, each once: the order they were ticked in,
    or a repeat, never changes a verdict (and a tuple can key the memo)."""
    the_plan = plan(edition)
    values = the_plan.reads(answers)
    order = the_plan.category_order
    for index in the_plan.category_indexes:
        chosen = values[index]
        if chosen is not None:
            values = (*values[:index], tuple(sorted(set(chosen), key=order.__getitem__)),
                      *values[index + 1:])
    return values


def evaluate(answers: Answers, as_of: dt.date | None = None, lang: str = "zh",
             edition: Edition | None = None) -> Result:
    """The evaluation result (contract: result v1): the verdict in words of ``lang``."""
    from scheme.render import render

    edition = edition or load_edition(answers.scheme)
    return render(judge(answers, as_of, edition), answers, lang, edition)
