"""Words at the edge: the engine's verdict (facts) as the contract's evaluation result, in a language.

``render(verdict, answers, lang)`` turns each reason and action (a message id with parameters)
into text from the one catalogue (``scheme/messages``) or, for an entry condition's own wording,
from the edition file; each reason that points to the brochure carries its quote: the Chinese
original word for word, and for English readers the project's translation beside it. Titles are
built in the brochure's style in both Chinese and English. Ids, statuses, dates and numbers are
the verdict's, whatever the language.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from scheme.answers import Answers
from scheme.edition import Edition, Quote
from scheme.engine import Reason, Todo, Verdict
from scheme.i18n import and_list, localise, pick, t
from scheme.result import Action, AwardResult, CommitmentResult, MilestoneResult, Result


def render(verdict: Verdict, answers: Answers, lang: str, edition: Edition) -> Result:
    awards = []
    sector = answers.organisation.sector
    period = answers.carbon.period
    said = _memo(edition, f"award_text:{lang}")
    for award_verdict in verdict.awards:
        # an award's reasons and actions in words, remembered by the facts (the same reasons
        # and actions recur across organisations and reruns)
        key = (award_verdict.reasons, award_verdict.actions)
        known = said.get(key)
        if known is None:
            known = said[key] = award_words(edition, award_verdict, lang)
        # titles where it is (or, after the deadline, would have been) recommended: point 10
        # (not remembered: they hold the organisation's own words, its sector and period)
        titles_zh = titles_en = ()
        if award_verdict.would_recommend:
            titles_zh, titles_en = (titles(edition, award_verdict.id, award_verdict.categories,
                                           sector, period, lang) for lang in ("zh", "en"))
        awards.append(AwardResult.trusted(
            id=award_verdict.id,
            status=award_verdict.status,
            recommended=award_verdict.recommended,
            missing=list(award_verdict.missing),
            categories=list(award_verdict.categories),
            applications=award_verdict.applications,
            form=award_verdict.form,
            commitments=list(award_verdict.commitments),
            titles_zh=list(titles_zh),
            titles_en=list(titles_en),
            reasons=list(known[0]),
            actions=list(known[1]),
        ))
    return Result.trusted(
        scheme=verdict.scheme,
        as_of=verdict.as_of,
        window=verdict.window,
        awards=awards,
        forms=list(verdict.forms),
        applications_total=verdict.applications_total,
        milestones=[milestone(edition, m.id, m.date) for m in verdict.milestones],
        commitments=[CommitmentResult.trusted(id=c.id, due=c.due, awards=list(c.awards))
                     for c in verdict.commitments],
    )


def shown_status(edition: Edition, answers: Answers, award_id: str, status: str) -> str:
    """The status as shown to people: ``not_applying`` (not a judgement) for a nominee award the
    organisation said it will not nominate for, else the result's status. The app and the PDF
    alike; the result itself (the contract) keeps ``not_eligible``."""
    nomination = edition.award(award_id).nomination
    if nomination and answers.get(edition.nomination(nomination).field) is False:
        return "not_applying"
    return status


# -- reasons and actions ----------------------------------------------------------------------

MEMO_SIZE = 20_000  # facts whose words are kept, per language; past that the memo starts again


def _memo(edition: Edition, name: str) -> dict:
    """The words of a fact depend on the fact, the edition and the language alone: memoized with
    the edition (``Edition.derived``), keyed by the fact, and bounded."""
    memo = edition.derived.setdefault(name, {})
    if len(memo) > MEMO_SIZE:
        memo.clear()
    return memo


def award_words(edition: Edition, verdict, lang: str) -> tuple[tuple[str, ...], tuple[Action, ...]]:
    """An award verdict's reasons and actions in words; each reason's and action's words
    remembered by the fact (most recur across organisations)."""
    reasons = _memo(edition, f"reason_text:{lang}")
    todos = _memo(edition, f"todo_text:{lang}")
    return (tuple(reasons.get(r) or reasons.setdefault(r, reason_text(edition, r, lang))
                  for r in verdict.reasons),
            tuple(todos.get(a) or todos.setdefault(a, Action.trusted(text=todo_text(edition, a, lang),
                                                                     due=a.due))
                  for a in verdict.actions))


def reason_text(edition: Edition, reason: Reason, lang: str) -> str:
    """A reason in words, with the brochure's words it points to."""
    params = dict(reason.params)
    cond = edition.condition(params["condition"]) if "condition" in params else None
    value = params.get("value")
    if reason.id == "condition_met":
        text = _fill(cond.met.get(value) or cond.met["*"], lang, value=value)
    elif reason.id == "condition_route":
        text = pick(cond.routes[value].reason.zh, cond.routes[value].reason.en, lang)
    elif reason.id == "condition_failed":
        detail = cond.fails.get(value) or cond.fails.get("*")
        text = (_fill(detail, lang, value=value) if detail
                else t("condition_failed", lang, question=pick(cond.question.zh, cond.question.en, lang)))
    elif reason.id == "condition_unanswered":
        text = pick(cond.unanswered.zh, cond.unanswered.en, lang)
    else:
        text = t(reason.id, lang, **words(edition, params, lang))
    if reason.source is not None:
        text += quote(edition.quote(reason.source), lang)
    return text


def todo_text(edition: Edition, todo: Todo, lang: str) -> str:
    """An action in words."""
    params = dict(todo.params)
    if todo.id == "condition_ask":
        ask = edition.condition(params["condition"]).ask
        return pick(ask.zh, ask.en, lang)
    if todo.id == "condition_route_action":
        route = edition.condition(params["condition"]).routes[params["value"]]
        return pick(route.action.zh, route.action.en, lang)
    if todo.id == "action_prepare_for_form":
        item = edition.form(params["form"]).prepare[params["item"]]
        return t(todo.id, lang, form=_form_name(edition, params["form"], lang),
                 item=pick(item.zh, item.en, lang))
    return t(todo.id, lang, **words(edition, params, lang))


def quote(source: Quote, lang: str) -> str:
    """The brochure's words: the Chinese original, and for English readers the project's
    translation beside it (marked as such)."""
    if lang == "en":
        return t("quote_en", "en", quote=source.text_zh, translation=source.en)
    if lang == "zh-hans":
        return t("quote_hans", lang, quote=localise(source.text_zh, lang))
    return t("quote", lang, quote=source.text_zh)


def words(edition: Edition, params: dict[str, Any], lang: str) -> dict[str, str]:
    """A reason's or action's parameters (ids, dates, numbers) as words of ``lang``."""
    out: dict[str, str] = {}
    set_id = params.get("set")
    for name, value in params.items():
        if name in ("award", "parent", "fallback"):
            out[name] = _award_name(edition, value, lang)
        elif name == "awards":
            out[name] = and_list((_award_name(edition, a, lang) for a in value), lang)
        elif name == "commitment":
            com = edition.commitment(value).name
            out[name] = pick(com.zh, com.en, lang)
        elif name == "nomination":
            what = edition.nomination(value).what
            out[name] = pick(what.zh, what.en, lang)
        elif name == "form":
            out[name] = _form_name(edition, value, lang) if value else t("form_none", lang)
        elif name == "status":
            out[name] = t(f"status_{value}", lang)
        elif name == "categories":
            names = {c.id: c for c in edition.category_set(set_id).categories}
            out[name] = t("list_sep", lang).join(pick(names[c].zh, names[c].en, lang) for c in value)
            out["count"] = str(len(value))
        elif name == "group":
            out[name] = _group_name(edition, set_id, value, lang) if value else ""
        elif name == "questions":
            out[name] = t("list_sep", lang).join(t(f"question_{p.replace('.', '_')}", lang) for p in value)
        elif isinstance(value, dt.date):
            out[name] = date_words(value, lang)
        elif name != "set":
            out[name] = str(value)
    return out


def date_words(day: dt.date, lang: str) -> str:
    """A date as people write it: 2022年6月15日, 15 June 2022."""
    if lang == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def next_deadline(result: Result, edition: Edition, lang: str) -> tuple[dt.date, str] | None:
    """The first thing a recommended award asks for by a date on or after the planning date (a
    scheme date such as the day applications open is not a deadline of the user's); the app and
    the PDF alike. Part A planned for a day now past can still be sent until the deadline while
    the window is open (interpretation 3): then that is its deadline here, not skipped."""
    part_a = t("action_submit_part_a", lang)
    items = []
    for award in result.recommended:
        for action in award.actions:
            due = action.due
            if due is None:
                continue
            if due < result.as_of and action.text == part_a and result.window == "open":
                due = edition.window_closes
            if due >= result.as_of:
                items.append((due, action.text))
    return min(items, key=lambda x: x[0]) if items else None


def month_words(day: dt.date, lang: str) -> str:
    """A month as a time axis writes it: 2022年6月, Jun 2022 (``timeline.MONTH_FORMAT``)."""
    if lang == "en":
        return f"{day.strftime('%b')} {day.year}"
    return f"{day.year}年{day.month}月"


def _fill(text, lang: str, **params: Any) -> str:
    return pick(text.zh, text.en, lang).replace("{value}", str(params.get("value", "")))


def _award_name(edition: Edition, award_id: str, lang: str) -> str:
    name = edition.award(award_id).name
    return pick(name.zh, name.en, lang)


def _form_name(edition: Edition, form_id: str, lang: str) -> str:
    name = edition.form(form_id).name
    return pick(name.zh, name.en, lang)


def _group_name(edition: Edition, set_id: str, group_id: str, lang: str) -> str:
    for group in edition.category_set(set_id).groups:
        if group.id == group_id:
            return pick(group.name.zh, group.name.en, lang)
    return group_id


# -- titles and milestones ---------------------------------------------------------------------

def titles(edition: Edition, award_id: str, categories: tuple[str, ...] | None, sector: str | None,
           period: str | None, lang: str) -> tuple[str, ...]:
    """The award as it would be titled, one per category, in the brochure's style (zh or en);
    none where ``categories`` is None (not recommended)."""
    if categories is None:
        return ()
    sector, period = (sector or "").strip(), (period or "").strip()  # blanks are no answer
    head, with_sector, separator, parts = _title_style(edition, award_id, lang)
    if with_sector and sector:
        head += f" ({sector})"
    if parts is None:
        return (head,)
    out = []
    for cat_id in categories:
        part, with_period = parts[cat_id]
        if period and with_period:
            part += f" ({period})"
        out.append(head + separator + part)
    return tuple(out)


def _title_style(edition: Edition, award_id: str, lang: str) -> tuple:
    """What a title is made of, from the edition alone (remembered with it): the award's name,
    whether the sector follows it, the separator, and each category's part of the title with
    whether the period follows it."""
    memo = edition.derived.setdefault("title_style", {})
    key = (award_id, lang)
    known = memo.get(key)
    if known is not None:
        return known
    award = edition.award(award_id)
    style = award.title
    fullwidth = style.fullwidth_zh and lang != "en"
    parts = None
    if award.categories is not None:
        cset = edition.category_set(award.categories.set)
        groups = {g.id: g.name.get(lang) for g in cset.groups}
        parts = {}
        for cat in cset.categories:
            name = cat.get(lang)
            if fullwidth:
                part = f"（{name}）"
            elif style.group_prefix and cat.group:
                part = f"{groups[cat.group]} ({name})"
            elif style.brackets:
                part = f"({name})"
            else:
                part = name
            parts[cat.id] = (part, cat.period is not None)
    return memo.setdefault(key, (award.name.get(lang), style.sector, "" if fullwidth else style.separator,
                                 parts))


@lru_cache(maxsize=256)
def milestone(edition: Edition, milestone_id: str, day: dt.date) -> MilestoneResult:
    label = edition.milestone_label(milestone_id)
    if label is None:  # the organisation's own planned date
        key = f"milestone_{milestone_id}"
        if milestone_id == "planned_submission":  # interpretation 3: say it lies outside
            if day < edition.window_opens:
                key += "_early"
            elif day > edition.window_closes:
                key += "_late"
        zh, en = (t(key, lang, opens=date_words(edition.window_opens, lang),
                    deadline=date_words(edition.window_closes, lang)) for lang in ("zh", "en"))
    else:
        zh, en = label.zh, label.en
    return MilestoneResult.trusted(id=milestone_id, date=day, label_zh=zh, label_en=en)
