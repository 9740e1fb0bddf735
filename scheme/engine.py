"""The eligibility engine: ``evaluate(answers, as_of)`` gives the scheme's verdict on one organisation.

A pure function of (answers, as-of date, edition, language): no I/O, no UI. Every rule it applies
is read from the edition file; the only choices made here are how the brochure's ambiguous
points are read (docs/interpretation.md), each marked where it is applied.

Statuses: ``eligible`` (every condition met, every required commitment confirmed),
``conditional`` (a route the scheme allows is still open, or an answer is still missing),
``not_eligible`` (a condition fails with no route open, or a required commitment was declined).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from scheme.answers import Answers
from scheme.edition import Award, Condition, Due, Edition, load_edition
from scheme.i18n import pick, t
from scheme.result import (
    STATUS_RANK,
    Action,
    AwardResult,
    CommitmentResult,
    MilestoneResult,
    Result,
    Status,
)


@lru_cache(maxsize=4096)
def _action(text: str, due: dt.date | None = None) -> Action:
    """An action (immutable, so one object serves every result that has it)."""
    return Action(text=text, due=due)


@lru_cache(maxsize=16)
def _scheme_milestones(edition: Edition) -> tuple[MilestoneResult, ...]:
    return tuple(MilestoneResult(id=m.id, date=m.date, label_zh=m.label.zh,
                                                 label_en=m.label.en) for m in edition.milestones)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` calendar months later, or that month's last day where it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_state(edition: Edition, as_of: dt.date) -> str:
    """``not_yet_open`` before the window opens, ``open`` up to and including the deadline."""
    if as_of < edition.window_opens:
        return "not_yet_open"
    return "open" if as_of <= edition.window_closes else "closed"


@dataclass
class _Verdict:
    """One award's verdict while it is being worked out."""

    status: Status = "eligible"
    categories: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    blocking: list[Action] = field(default_factory=list)  # what makes it eligible
    routine: list[Action] = field(default_factory=list)  # what applying then takes
    recommended: bool = False
    form: str | None = None
    commitments: list[str] = field(default_factory=list)

    def replay(self, part: _Part) -> None:
        if STATUS_RANK[part.status] > STATUS_RANK[self.status]:
            self.status = part.status
        self.reasons.extend(part.reasons)
        if part.action is not None:
            self.block(part.action)
        if part.categories is not None:
            self.categories = list(part.categories)

    def add(self, status: Status, reason: str, action: Action | None = None) -> None:
        if STATUS_RANK[status] > STATUS_RANK[self.status]:
            self.status = status
        self.reasons.append(reason)
        if action is not None:
            self.block(action)

    def block(self, action: Action) -> None:
        # actions are memoized (_action), so the same text and date is the same object
        if not any(a is action for a in self.blocking):
            self.blocking.append(action)


class _Evaluation:
    def __init__(self, edition: Edition, answers: Answers | _AnswerValues, lang: str):
        self.edition = edition
        self.answers = answers if isinstance(answers, _AnswerValues) else _AnswerValues(answers.flat())
        self.lang = lang
        self.english = lang == "en"
        self.traditional = lang == "zh"
        self.verdicts: dict[str, _Verdict] = {}

    # -- helpers ---------------------------------------------------------------------------

    def text(self, zh: str, en: str) -> str:
        return en if self.english else (zh if self.traditional else pick(zh, en, self.lang))

    def quote(self, source_zh: str) -> str:
        return t("quote", self.lang, quote=self.text(source_zh, source_zh))

    def due(self, due: Due | None) -> dt.date | None:
        if due is None:
            return None
        if due.date is not None:
            return due.date
        if due.milestone is not None:
            return self.edition.milestone(due.milestone).date
        base = self.answers.get(due.months_after) or self.edition.milestone(due.default).date
        return add_months(base, due.months)

    def status_name(self, status: Status) -> str:
        return t(f"status_{status}", self.lang)

    def category_names(self, set_id: str, ids: list[str]) -> str:
        cats = {c.id: c for c in self.edition.category_set(set_id).categories}
        return t("list_sep", self.lang).join(cats[c].get(self.lang) for c in ids)

    # -- the parts of a verdict --------------------------------------------------------------

    def condition(self, verdict: _Verdict, cond: Condition) -> None:
        value = self.answers.get(cond.field)
        quote = self.quote(cond.source_zh)
        if value is None:
            verdict.add("conditional", self.text(cond.unanswered.zh, cond.unanswered.en) + quote,
                        _action(text=self.text(cond.ask.zh, cond.ask.en),
                               due=self.due(cond.ask_due)))
            return
        key = str(value).lower() if isinstance(value, bool) else str(value)
        outcome: tuple[Status, object] | None = None
        if cond.kind == "choice":
            if key in cond.met:
                outcome = ("eligible", cond.met[key])
            elif key in cond.routes:
                outcome = ("conditional", cond.routes[key])
            else:
                outcome = ("not_eligible", cond.fails.get(key) or cond.fails.get("*"))
        elif cond.kind == "grade_at_least":
            scale = self.edition.rating_scale
            if key in scale and scale.index(key) <= scale.index(str(cond.at_least)):
                outcome = ("eligible", cond.met["*"])
            else:
                outcome = ("not_eligible", cond.fails.get(key) or cond.fails["*"])
        else:  # count_at_least
            met = int(value) >= int(cond.at_least)
            outcome = ("eligible", cond.met["*"]) if met else ("not_eligible", cond.fails["*"])
        status, detail = outcome
        if status == "conditional":
            route = detail
            action = _action(text=self.text(route.action.zh, route.action.en), due=self.due(route.due))
            verdict.add(status, self.text(route.reason.zh, route.reason.en) + quote, action)
        else:
            message = self.text(detail.zh, detail.en).replace("{value}", key) if detail else ""
            verdict.add(status, (message or t("condition_failed", self.lang,
                                               question=cond.question.get(self.lang))) + quote)

    def commitment(self, verdict: _Verdict, award: Award, commitment_id: str) -> None:
        com = self.edition.commitment(commitment_id)
        value = self.answers.get(f"commitments.{commitment_id}")
        name = self.text(com.name.zh, com.name.en)
        quote = self.quote(award.commitments[commitment_id])
        if value is True:
            verdict.add("eligible", t("commitment_confirmed", self.lang, name=name) + quote)
        elif value is None:
            verdict.add("conditional", t("commitment_unanswered", self.lang, name=name) + quote,
                        _action(text=t("action_confirm_commitment", self.lang, name=name)))
        else:
            verdict.add("not_eligible", t("commitment_declined", self.lang, name=name) + quote)

    def categories(self, verdict: _Verdict, award: Award) -> None:
        src = award.categories
        if src is None:
            return
        if src.fixed is not None:
            verdict.categories = list(src.fixed)
            return
        chosen = self.answers.get(src.field)
        deadline = self.edition.window_closes
        if src.single:  # one track, picked by a single answer (the carbon pioneer award)
            if chosen is None:
                verdict.add("conditional", t("track_unanswered", self.lang),
                            _action(text=t("action_choose_track", self.lang), due=deadline))
            else:
                verdict.categories = [chosen]
                verdict.reasons.append(t("track_chosen", self.lang,
                                         name=self.category_names(src.set, [chosen])))
            return
        allowed = self.edition.category_ids(src.set)
        group_name = ""
        if src.group_field is not None:  # categories grouped by e.g. the certificate type
            group = self.answers.get(src.group_field)
            if group is None:
                verdict.add("conditional", t("categories_group_unanswered", self.lang),
                            _action(text=t("action_choose_group", self.lang), due=deadline))
                return
            allowed = self.edition.category_ids(src.set, group)
            group_name = self.category_group_name(src.set, group)
        picked = list(chosen or [])
        fitting = [c for c in allowed if c in picked]
        others = [c for c in picked if c not in allowed]
        if others:
            verdict.reasons.append(t("categories_other_group", self.lang, group=group_name,
                                     names=self.category_names(src.set, others)))
        if fitting:
            verdict.categories = fitting
            verdict.reasons.append(t("categories_fit", self.lang, count=len(fitting),
                                     names=self.category_names(src.set, fitting)))
        else:
            key = "categories_unanswered" if chosen is None else "categories_none_fit"
            verdict.add("conditional", t(key, self.lang, group=group_name),
                        _action(text=t("action_choose_categories", self.lang), due=deadline))

    def category_group_name(self, set_id: str, group_id: str) -> str:
        for group in self.edition.category_set(set_id).groups:
            if group.id == group_id:
                return self.text(group.name.zh, group.name.en)
        return group_id

    # -- whole awards ---------------------------------------------------------------------

    def organisation_award(self, award: Award) -> _Verdict:
        """One award judged on the answers alone, from memoized parts (pure functions of a few
        answers each: the same answer always gives the same part)."""
        edition, answers, lang = self.edition, self.answers, self.lang
        verdict = _Verdict(form=award.form, commitments=self.commitment_order(award))
        for cond_id in award.conditions:
            value = answers.get(edition.condition(cond_id).field)
            due_values = tuple(answers.get(p) for p in _due_paths(edition, cond_id))
            verdict.replay(_condition_part(edition, cond_id, value, due_values, lang))
        src = award.categories
        if src is not None:
            if src.fixed is not None:
                verdict.categories = list(src.fixed)
            else:
                chosen = _hashable(answers.get(src.field))
                group = answers.get(src.group_field) if src.group_field else None
                verdict.replay(_categories_part(edition, award.id, chosen, group, lang))
        for com_id in verdict.commitments:
            value = answers.get(f"commitments.{com_id}")
            verdict.replay(_commitment_part(edition, award.id, com_id, value, lang))
        verdict.recommended = verdict.status != "not_eligible" and (
            award.categories is None or bool(verdict.categories))
        return verdict

    def commitment_order(self, award: Award) -> list[str]:
        return [c.id for c in self.edition.commitments if c.id in award.commitments]

    def choose_tier(self) -> str | None:
        """Interpretation 7: of the tiers, only the highest with the best status is recommended."""
        tiers = self.edition.tiers  # highest first
        if not tiers:
            return None
        candidates = [a for a in tiers if self.verdicts[a.id].recommended]
        pool = candidates or list(tiers)
        best = min(pool, key=lambda a: STATUS_RANK[self.verdicts[a.id].status])
        best_rank = STATUS_RANK[self.verdicts[best.id].status]
        chosen = next(a for a in pool if STATUS_RANK[self.verdicts[a.id].status] == best_rank)
        for award in tiers:
            verdict = self.verdicts[award.id]
            if award.id != chosen.id and verdict.recommended:
                verdict.recommended = False
                verdict.reasons.append(t("tier_not_chosen", self.lang,
                                         name=self.text(chosen.name.zh, chosen.name.en)))
        return chosen.id

    def nominee_award(self, award: Award, parent_id: str) -> _Verdict:
        """Interpretation 5: nominated inside the parent's application; the worse status wins."""
        parent_award = self.edition.award(parent_id)
        parent = self.verdicts[parent_id]
        verdict = _Verdict(form=parent.form, commitments=list(parent.commitments))
        parent_name = self.text(parent_award.name.zh, parent_award.name.en)
        form_name = (self.text(*self._form_name(parent.form)) if parent.form
                     else t("form_none", self.lang))
        key = "nominee_parent_ok" if parent.status != "not_eligible" else "nominee_parent_ne"
        verdict.add(parent.status, t(key, self.lang, parent=parent_name, form=form_name,
                                     status=self.status_name(parent.status)))
        for action in parent.blocking:
            verdict.block(action)
        nomination = self.edition.nomination(award.nomination)
        what = self.text(nomination.what.zh, nomination.what.en)
        value = self.answers.get(nomination.field)
        quote = self.quote(award.source_zh)
        form_due = self.edition.milestone(self.edition.form(parent.form).due).date if parent.form else None
        if value is True:
            verdict.add("eligible", t("nominee_yes", self.lang, what=what) + quote)
        elif value is None:
            verdict.add("conditional", t("nominee_unanswered", self.lang, what=what) + quote,
                        _action(text=t("action_decide_nominee", self.lang, what=what), due=form_due))
        else:
            verdict.add("not_eligible", t("nominee_no", self.lang, what=what) + quote)
        verdict.recommended = parent.recommended and verdict.status != "not_eligible"
        if verdict.recommended and parent.form:
            verdict.routine.append(_action(text=t("action_nominee_in_form", self.lang, what=what,
                                                 form=form_name), due=form_due))
        return verdict

    def _form_name(self, form_id: str) -> tuple[str, str]:
        name = self.edition.form(form_id).name
        return name.zh, name.en

    def combined_award(self, award: Award) -> _Verdict:
        """Interpretation 6: for organisations applying for all of ``requires_all``."""
        verdict = _Verdict(form=award.form, commitments=self.commitment_order(award))
        required = [self.verdicts[r] for r in award.requires_all]
        statuses = [v.status for v in required]
        if all(s == "eligible" for s in statuses):
            status: Status = "eligible"
        elif all(s != "not_eligible" for s in statuses):
            status = "conditional"
        else:
            status = "not_eligible"
        verdict.status = status
        quote = self.quote(award.source_zh)
        for req_id, req in zip(award.requires_all, required, strict=True):
            req_award = self.edition.award(req_id)
            key = "requires_recommended" if req.recommended else "requires_status"
            verdict.reasons.append(t(key, self.lang,
                                     name=self.text(req_award.name.zh, req_award.name.en),
                                     status=self.status_name(req.status)) + quote)
            for action in req.blocking:
                verdict.block(action)
        self.categories(verdict, award)
        for com_id in verdict.commitments:
            self.commitment(verdict, award, com_id)
        verdict.recommended = verdict.status != "not_eligible" and all(r.recommended for r in required)
        if verdict.status != "not_eligible" and not verdict.recommended:
            verdict.reasons.append(t("requires_not_recommended", self.lang))
        return verdict

    def routine_actions(self, award: Award, verdict: _Verdict) -> None:
        """What applying takes once recommended: Part A, the declaration form, the commitments."""
        if award.applies_per == "nominee":
            return
        deadline = self.edition.window_closes
        planned = self.answers.get("planned_submission_date")
        if planned is not None and planned > deadline:
            text = t("action_submit_part_a_late", self.lang, planned=planned.isoformat(),
                     deadline=deadline.isoformat())
            verdict.routine.append(_action(text=text, due=deadline))
        else:
            verdict.routine.append(_action(text=t("action_submit_part_a", self.lang),
                                          due=planned or deadline))
        if verdict.form:
            form = self.edition.form(verdict.form)
            verdict.routine.append(_action(
                text=t("action_submit_form", self.lang, form=self.text(form.name.zh, form.name.en)),
                due=self.edition.milestone(form.due).date))
        for com_id in verdict.commitments:
            if self.answers.get(f"commitments.{com_id}") is True:
                com = self.edition.commitment(com_id)
                verdict.routine.append(_action(
                    text=t("action_carry_out", self.lang, name=self.text(com.name.zh, com.name.en)),
                    due=self.edition.milestone(com.due).date if com.due else None))

    # -- titles ---------------------------------------------------------------------------

    def titles(self, award: Award, categories: list[str], lang: str) -> list[str]:
        style = award.title
        head = award.name.get(lang)
        sector = self.answers.get("organisation.sector")
        if style.sector and sector:
            head += f" ({sector})"
        if award.categories is None:
            return [head]
        cset = self.edition.category_set(award.categories.set)
        cats = {c.id: c for c in cset.categories}
        groups = {g.id: g.name.get(lang) for g in cset.groups}
        period = self.answers.get(style.period_field) if style.period_field else None
        fullwidth = style.fullwidth_zh and lang != "en"
        out = []
        for cat_id in categories:
            cat = cats[cat_id]
            name = cat.get(lang)
            if fullwidth:
                part = f"（{name}）"
            elif style.group_prefix and cat.group:
                part = f"{groups[cat.group]} ({name})"
            elif style.brackets:
                part = f"({name})"
            else:
                part = name
            if period and cat.period is not None:
                part += f" ({period})"
            out.append(head + ("" if fullwidth else style.separator) + part)
        return out

    # -- the whole result -----------------------------------------------------------------

    def run(self, as_of: dt.date) -> Result:
        edition = self.edition
        independent = [a for a in edition.awards if a.depends_on is None and not a.requires_all]
        for award in independent:
            self.verdicts[award.id] = self.organisation_award(award)
        best_tier = self.choose_tier()
        for award in edition.awards:
            if award.requires_all:
                self.verdicts[award.id] = self.combined_award(award)
        for award in edition.awards:
            if award.depends_on is not None:
                parent = best_tier if award.depends_on == "best_tier" else award.depends_on
                self.verdicts[award.id] = self.nominee_award(award, parent)

        awards: list[AwardResult] = []
        for award in edition.awards:
            verdict = self.verdicts[award.id]
            if verdict.recommended:
                self.routine_actions(award, verdict)
            awards.append(self.award_result(award, verdict))

        recommended = [a for a in awards if a.recommended]
        forms = sorted({a.form for a in recommended if a.form})
        return Result(
            scheme=edition.id,
            as_of=as_of,
            window=window_state(edition, as_of),
            awards=awards,
            forms=(["A"] + [f for f in forms if f != "A"]) if recommended else [],
            applications_total=sum(a.applications for a in awards),
            milestones=self.milestones(),
            commitments=self.commitments(recommended),
        )

    def award_result(self, award: Award, verdict: _Verdict) -> AwardResult:
        cats = verdict.categories if verdict.recommended else []
        if not verdict.recommended:
            applications = 0
        elif award.applies_per == "premises":
            applications = self.answers.get("organisation.premises") or 1
        elif award.applies_per == "category":
            applications = len(cats)
        elif award.applies_per == "organisation":
            applications = 1
        else:
            applications = 0
        actions = [] if verdict.status == "not_eligible" else verdict.blocking + verdict.routine
        return AwardResult(
            id=award.id,
            status=verdict.status,
            recommended=verdict.recommended,
            categories=cats,
            applications=applications,
            form=verdict.form,
            commitments=verdict.commitments,
            titles_zh=self.titles(award, cats, "zh") if verdict.recommended else [],
            titles_en=self.titles(award, cats, "en") if verdict.recommended else [],
            reasons=verdict.reasons,
            actions=actions,
        )

    def milestones(self) -> list[MilestoneResult]:
        edition = self.edition
        items = list(_scheme_milestones(edition))
        planned = self.answers.get("planned_submission_date")
        if planned is not None:
            items.append(MilestoneResult(id="planned_submission", date=planned,
                                         label_zh=t("milestone_planned_submission", "zh"),
                                         label_en=t("milestone_planned_submission", "en")))
        seen: set[str] = set()
        for cond in edition.conditions:
            value = self.answers.get(cond.field)
            key = str(value).lower() if isinstance(value, bool) else str(value)
            route = cond.routes.get(key) if value is not None else None
            if route is None or route.milestone is None or route.milestone.id in seen:
                continue
            seen.add(route.milestone.id)
            items.append(MilestoneResult(id=route.milestone.id, date=self.due(route.due),
                                         label_zh=route.milestone.label.zh,
                                         label_en=route.milestone.label.en))
        return sorted(items, key=lambda m: m.date)  # stable: scheme dates first on a tie

    def commitments(self, recommended: list[AwardResult]) -> list[CommitmentResult]:
        out = []
        for com in self.edition.commitments:
            awards = [a.id for a in recommended if com.id in a.commitments]
            if awards:
                due = self.edition.milestone(com.due).date if com.due else None
                out.append(CommitmentResult(id=com.id, due=due, awards=awards))
        return out


class _Part:
    """A memoized piece of a verdict: a status, reasons, at most one action, categories."""

    __slots__ = ("status", "reasons", "action", "categories")

    def __init__(self, status: Status, reasons: tuple[str, ...], action: Action | None = None,
                 categories: tuple[str, ...] | None = None):
        self.status, self.reasons, self.action, self.categories = status, reasons, action, categories


@lru_cache(maxsize=256)
def _due_paths(edition: Edition, cond_id: str) -> tuple[str, ...]:
    """The answers a condition's due dates are counted from (e.g. the planned submission date)."""
    cond = edition.condition(cond_id)
    dues = [cond.ask_due, *(r.due for r in cond.routes.values())]
    return tuple(dict.fromkeys(d.months_after for d in dues if d is not None and d.months_after))


@lru_cache(maxsize=4096)
def _condition_part(edition: Edition, cond_id: str, value, due_values: tuple, lang: str) -> _Part:
    values = dict(zip(_due_paths(edition, cond_id), due_values, strict=True))
    values[edition.condition(cond_id).field] = value
    return _record(lambda ev, v: ev.condition(v, edition.condition(cond_id)), edition, values, lang)


@lru_cache(maxsize=4096)
def _commitment_part(edition: Edition, award_id: str, commitment_id: str, value, lang: str) -> _Part:
    values = {f"commitments.{commitment_id}": value}
    award = edition.award(award_id)
    return _record(lambda ev, v: ev.commitment(v, award, commitment_id), edition, values, lang)


@lru_cache(maxsize=8192)
def _categories_part(edition: Edition, award_id: str, chosen, group, lang: str) -> _Part:
    award = edition.award(award_id)
    values = {award.categories.field: list(chosen) if isinstance(chosen, tuple) else chosen,
              award.categories.group_field: group}
    return _record(lambda ev, v: ev.categories(v, award), edition, values, lang)


def _record(judge, edition: Edition, values: dict, lang: str) -> _Part:
    verdict = _Verdict(status="eligible")
    judge(_Evaluation(edition, _AnswerValues(values), lang), verdict)
    assert len(verdict.blocking) <= 1
    return _Part(verdict.status, tuple(verdict.reasons), verdict.blocking[0] if verdict.blocking else None,
                 tuple(verdict.categories) if verdict.categories else None)


class _AnswerValues:
    """A few answers by dotted path: all that a memoized part of a verdict may read."""

    def __init__(self, values: dict):
        self.values = values

    def get(self, path: str):
        return self.values[path]  # a path the edition names but the values lack is a bug: fail


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def evaluate(answers: Answers, as_of: dt.date | None = None, lang: str = "zh",
             edition: Edition | None = None) -> Result:
    """The scheme's verdict on ``answers`` as of ``as_of`` (default today), texts in ``lang``."""
    edition = edition or load_edition(answers.scheme)
    return _Evaluation(edition, answers, lang).run(as_of or dt.date.today())
