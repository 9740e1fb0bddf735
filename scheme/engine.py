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
from typing import Any, NamedTuple

from scheme.answers import Answers, field_order
from scheme.edition import Award, Condition, Due, Edition, load_edition
from scheme.result import STATUS_RANK, Result, Status

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


@dataclass(slots=True)
class AwardVerdict:
    """One award's verdict, as facts (the contract's award result without its words)."""

    id: str
    form: str | None
    commitments: list[str]
    status: Status = "eligible"
    missing: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    actions: list[Todo] = field(default_factory=list)
    # Recommended on the answers and the rules alone, before the window is considered: what a
    # look back after the deadline shows (its categories and titles).
    would_recommend: bool = False
    recommended: bool = False
    applications: int = 0

    def copy(self) -> AwardVerdict:
        """A copy whose lists can grow on their own (the later steps add reasons and actions)."""
        return AwardVerdict(self.id, self.form, self.commitments, self.status, list(self.missing),
                            self.categories, list(self.reasons), list(self.actions),
                            self.would_recommend, self.recommended, self.applications)

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


MEMO_SIZE = 50_000  # remembered outcomes and award verdicts; past that the memo starts again


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


# Reasons that only matter while an award is open: what it would be entered as, and what would
# make it conditional (unanswered questions, open routes). A closed door waits for nothing, so
# where an award is not eligible they are left out and its reasons say why it is closed.
_ONLY_WHERE_OPEN = frozenset({
    "track_chosen", "categories_fit", "condition_unanswered", "condition_route", "track_unanswered",
    "categories_group_unanswered", "categories_unanswered", "categories_none_fit",
    "categories_none_fit_group", "commitment_unanswered", "nominee_unanswered",
    "planned_outside_window", "requires_not_recommended"})


class _Judge:
    """One walk through the rules for one organisation (holds nothing between verdicts)."""

    def __init__(self, edition: Edition, answers: dict[str, Any], as_of: dt.date):
        # answers: every answer by dotted path, lists as tuples (they key the memo)
        self.edition = edition
        self.answers = answers
        self.as_of = as_of
        self.window = window_state(edition, as_of)
        self.verdicts: dict[str, AwardVerdict] = {}
        self.conditions: dict[str, Outcome] = {}  # each condition judged once per verdict
        self.memo = edition.derived.setdefault("engine_outcomes", {})
        if len(self.memo) > MEMO_SIZE:
            self.memo.clear()
        planned = answers["planned_submission_date"]
        # Interpretation 3: Part A can only be submitted inside the application window.
        self.planned_outside = planned is not None and not (
            edition.window_opens <= planned <= edition.window_closes)

    # -- the whole verdict, in order ------------------------------------------------------------

    def run(self) -> Verdict:
        edition = self.edition
        # 1. Each award judged on the organisation's own answers, in the brochure's order.
        for award in edition.awards:
            if award.depends_on is None and not award.requires_all:
                self.verdicts[award.id] = self.remembered(award)
        # 2. Only one ESG tier is recommended (interpretation 7).
        best_tier = self.choose_tier()
        # 3. Awards that follow from others: the ESG visionary award (6), nominees (5).
        for award in edition.awards:
            if award.requires_all:
                self.verdicts[award.id] = self.combined_award(award)
            elif award.depends_on is not None:
                parent = best_tier if award.depends_on == "best_tier" else award.depends_on
                self.verdicts[award.id] = self.nominee_award(award, parent)
        # 4. The application window (interpretation 10), then what applying takes.
        closed = self.window == "closed"
        awards = []
        for award in edition.awards:
            verdict = self.verdicts[award.id]
            if closed:
                verdict.reasons.insert(0, Reason("closed_round", (("year", edition.year),
                                                                   ("deadline", edition.window_closes))))
            verdict.recommended = verdict.would_recommend and not closed
            if verdict.recommended:
                self.applying(award, verdict)
            awards.append(verdict)
        recommended = [v for v in awards if v.recommended]
        forms = sorted({v.form for v in recommended if v.form})
        commitments = self.commitments_due(recommended)
        return Verdict(
            scheme=edition.id, as_of=self.as_of, window=self.window, awards=awards,
            forms=(["A"] + [f for f in forms if f != "A"]) if recommended else [],
            applications_total=sum(v.applications for v in awards),
            milestones=self.milestones({c.id for c in commitments}),
            commitments=commitments,
        )

    # -- one award on its own answers --------------------------------------------------------------

    def remembered(self, award: Award) -> AwardVerdict:
        """An award judged on the answers it reads: the same answers give the same verdict, so
        each combination is judged once (``organisation_award``) and copied after. A measured
        trade (bench/engine.py: about four times the verdicts a second), not a second set of
        rules: the key is exactly the answers ``reads`` lists, derived from the edition's data."""
        key = (award.id, *map(self.answers.__getitem__, self.reads(award)))
        known = self.memo.get(key)
        if known is None:
            known = self.memo.setdefault(key, self.organisation_award(award))
        return known.copy()

    def reads(self, award: Award) -> tuple[str, ...]:
        """Every answer an award's own verdict reads: its conditions (and the date their routes
        count from), its categories, its commitments."""
        key = ("reads", award.id)
        paths = self.memo.get(key)
        if paths is None:
            found: list[str] = []
            for cond_id in award.conditions:
                cond = self.edition.condition(cond_id)
                found.append(cond.field)
                found += [r.due.months_after for r in cond.routes.values() if r.due and r.due.months_after]
            if award.categories is not None:
                found += [p for p in (award.categories.field, award.categories.group_field) if p]
            found += [f"commitments.{c}" for c in self.edition.commitments_of(award.id)]
            paths = self.memo.setdefault(key, tuple(dict.fromkeys(found)))
        return paths

    def organisation_award(self, award: Award) -> AwardVerdict:
        """Entry conditions, then categories, then the commitments the award requires."""
        verdict = AwardVerdict(award.id, award.form, self.commitment_ids(award))
        for cond_id in award.conditions:
            verdict.add(*(self.conditions.get(cond_id) or self.condition(cond_id)))
            if self.planned_outside and verdict.status == "conditional":
                self.say_planned_outside(verdict, cond_id)
        self.categories(verdict, award)
        for com_id in verdict.commitments:
            verdict.add(*self.commitment(award, com_id))
        return self.finish(verdict, award)

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

    def say_planned_outside(self, verdict: AwardVerdict, cond_id: str) -> None:
        """Where a route's deadline counts from the planned date, and that date lies outside the
        window, the reasons say so (interpretation 3)."""
        cond = self.edition.condition(cond_id)
        route = cond.routes.get(answer_key(self.answers[cond.field]))
        if route is not None and route.due is not None and route.due.months_after:
            verdict.reasons.append(self.planned_outside_reason())

    def categories(self, verdict: AwardVerdict, award: Award) -> None:
        """The categories that fit (interpretation 7): a fixed one, a track picked by one answer
        (the carbon pioneer award), or the chosen categories of the group that applies."""
        src = award.categories
        if src is None:
            return
        if src.fixed is not None:
            verdict.categories = list(src.fixed)
            return
        deadline = self.edition.window_closes
        chosen = self.answers[src.field]
        if src.single:
            if chosen is None:
                verdict.add("conditional", Reason("track_unanswered"),
                            Todo("action_choose_track", (), deadline), src.field)
            else:
                verdict.categories = [chosen]
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
        fitting = [c for c in allowed if c in picked]
        others = tuple(c for c in picked if c not in allowed)
        if others:
            verdict.reasons.append(Reason("categories_other_group",
                                          (("set", src.set), ("group", group), ("categories", others))))
        if fitting:
            verdict.categories = fitting
            verdict.reasons.append(Reason("categories_fit", (("set", src.set),
                                                             ("categories", tuple(fitting))),
                                          "per_category_note"))
        else:
            if chosen is None:
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

    def finish(self, verdict: AwardVerdict, award: Award) -> AwardVerdict:
        """Recommended when open, nothing it depends on is unanswered, and a category fits
        (interpretation 7); a closed door waits for nothing and says nothing more."""
        if verdict.status == "not_eligible":
            verdict.missing.clear()
            verdict.actions.clear()
            verdict.reasons = [r for r in verdict.reasons if r.id not in _ONLY_WHERE_OPEN]
        else:
            if len(verdict.missing) > 1:
                verdict.missing = sorted(set(verdict.missing), key=field_order().__getitem__)
            if len(verdict.actions) > 1:
                verdict.actions = list(dict.fromkeys(verdict.actions))
        verdict.would_recommend = (verdict.status != "not_eligible" and not verdict.missing
                                   and (award.categories is None or bool(verdict.categories)))
        return verdict

    # -- awards that follow from others ----------------------------------------------------------

    def choose_tier(self) -> str | None:
        """Interpretation 7: of the tiers, only one is recommended: the highest among those that
        could be recommended with the best status (eligible before conditional)."""
        tiers = self.edition.tiers  # highest first
        if not tiers:
            return None
        pool = [t for t in tiers if self.verdicts[t.id].would_recommend] or list(tiers)
        best = min(STATUS_RANK[self.verdicts[t.id].status] for t in pool)
        chosen = next(t for t in pool if STATUS_RANK[self.verdicts[t.id].status] == best)
        verdict = self.verdicts[chosen.id]
        if verdict.would_recommend:
            higher = tiers[:tiers.index(chosen)]
            open_higher = tuple(t.id for t in higher if self.verdicts[t.id].status != "not_eligible")
            if not open_higher:  # only where the answers rule the higher tiers out
                verdict.reasons.append(Reason("tier_chosen_highest", (("award", chosen.id),)))
            else:
                waiting = tuple(dict.fromkeys(p for t in open_higher for p in self.verdicts[t].missing))
                if waiting:  # a higher tier may follow once these are answered
                    verdict.reasons.append(Reason("tier_chosen_higher_waiting",
                                                  (("award", chosen.id), ("awards", open_higher),
                                                   ("questions", waiting))))
                else:
                    verdict.reasons.append(Reason("tier_chosen_higher_conditional",
                                                  (("award", chosen.id), ("awards", open_higher))))
            on_route = any(r.id == "condition_route" for r in verdict.reasons)
            if on_route and chosen.third_party_fallback:
                verdict.reasons.append(Reason("tier_fallback", (("award", chosen.id),
                                                                ("fallback", chosen.third_party_fallback))))
        for tier in tiers:
            other = self.verdicts[tier.id]
            if tier is not chosen and other.would_recommend:
                other.would_recommend = False
                other.reasons.append(Reason("tier_not_chosen", (("award", chosen.id),)))
        return chosen.id

    def combined_award(self, award: Award) -> AwardVerdict:
        """Interpretation 6: for organisations applying for all of ``requires_all``: eligible when
        they all are, conditional while none is closed, recommended when they all are."""
        verdict = AwardVerdict(award.id, award.form, self.commitment_ids(award))
        required = [self.verdicts[r] for r in award.requires_all]
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
        self.finish(verdict, award)
        verdict.would_recommend = verdict.would_recommend and all(r.would_recommend for r in required)
        if verdict.status != "not_eligible" and not verdict.would_recommend:
            verdict.reasons.append(Reason("requires_not_recommended", (("awards", award.requires_all),)))
        return verdict

    def nominee_award(self, award: Award, parent_id: str) -> AwardVerdict:
        """Interpretation 5: nominated inside the parent's application (its form, its
        commitments); the worse of the parent's status and the nomination answer wins."""
        parent = self.verdicts[parent_id]
        verdict = AwardVerdict(award.id, parent.form, list(parent.commitments))
        key = "nominee_parent_ok" if parent.status != "not_eligible" else "nominee_parent_ne"
        verdict.add(parent.status, Reason(key, (("parent", parent_id), ("form", parent.form),
                                                ("status", parent.status))))
        verdict.actions.extend(parent.actions)
        verdict.missing.extend(parent.missing)
        nomination = self.edition.nomination(award.nomination)
        params = (("nomination", nomination.id),)
        value = self.answers[nomination.field]
        if value is True:
            verdict.add("eligible", Reason("nominee_yes", params, f"award:{award.id}"))
        elif value is None:
            verdict.add("conditional", Reason("nominee_unanswered", params, f"award:{award.id}"),
                        Todo("action_answer_nomination", params, self.form_due(parent.form)))
            verdict.missing.append(nomination.field)
        else:
            verdict.add("not_eligible", Reason("nominee_no", params, f"award:{award.id}"))
        self.finish(verdict, award)
        verdict.would_recommend = verdict.would_recommend and parent.would_recommend
        return verdict

    # -- what applying takes, once recommended ---------------------------------------------------

    def applying(self, award: Award, verdict: AwardVerdict) -> None:
        """Part A, the declaration form and what to prepare for it (interpretation 12), the
        commitments to carry out; and how many applications (interpretation 8)."""
        edition = self.edition
        if award.applies_per == "nominee":
            verdict.actions.append(Todo("action_nominee_in_form",
                                        (("nomination", award.nomination), ("form", verdict.form)),
                                        self.form_due(verdict.form)))
            return
        planned = self.answers["planned_submission_date"]
        deadline = edition.window_closes
        if self.planned_outside:  # interpretation 3: due on the deadline, and say why
            verdict.actions.append(Todo("action_submit_part_a_outside",
                                        (("planned", planned), ("deadline", deadline)), deadline))
            outside = self.planned_outside_reason()
            if outside not in verdict.reasons:
                verdict.reasons.append(outside)
        else:
            verdict.actions.append(Todo("action_submit_part_a", (), planned or deadline))
        if verdict.form:
            due = self.form_due(verdict.form)
            verdict.actions.append(Todo("action_submit_form", (("form", verdict.form),), due))
            for index in range(len(edition.form(verdict.form).prepare)):
                verdict.actions.append(Todo("action_prepare_for_form",
                                            (("form", verdict.form), ("item", index)), due))
        for com_id in verdict.commitments:
            if self.answers[f"commitments.{com_id}"] is True:
                com = edition.commitment(com_id)
                verdict.actions.append(Todo("action_carry_out", (("commitment", com_id),),
                                            edition.milestone(com.due).date if com.due else None))
        if award.applies_per == "premises":
            verdict.applications = self.answers["organisation.premises"]
        elif award.applies_per == "category":
            verdict.applications = len(verdict.categories)
        else:
            verdict.applications = 1

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

    def planned_outside_reason(self) -> Reason:
        edition = self.edition
        return Reason("planned_outside_window", (("planned", self.answers["planned_submission_date"]),
                                                 ("opens", edition.window_opens),
                                                 ("deadline", edition.window_closes)))

    def milestones(self, commitments: set[str]) -> list[Milestone]:
        """The scheme's dates (the training deadline only where a recommended award brings the
        training, interpretation 14) and the organisation's own, in date order; remembered by
        exactly what they depend on (the planned date, the route answers, the commitments)."""
        answers = self.answers
        key = ("milestones", answers["planned_submission_date"],
               *(answers[c.field] for c in self.edition.conditions if c.routes), *sorted(commitments))
        known = self.memo.get(key)
        if known is None:
            known = self.memo.setdefault(key, self.dated(commitments))
        return list(known)

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

    def commitment_ids(self, award: Award) -> list[str]:
        return list(self.edition.commitments_of(award.id))


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
    flat = {path: tuple(v) if isinstance(v, list) else v for path, v in answers.flat().items()}
    return _Judge(edition, flat, as_of or dt.date.today()).run()


def evaluate(answers: Answers, as_of: dt.date | None = None, lang: str = "zh",
             edition: Edition | None = None) -> Result:
    """The evaluation result (contract: result v1): the verdict in words of ``lang``."""
    from scheme.render import render

    edition = edition or load_edition(answers.scheme)
    return render(judge(answers, as_of, edition), answers, lang, edition)
