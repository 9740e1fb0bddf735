"""Which questions apply: the one place that decides it, read from the edition (no page rules).

A question applies when some award that reads its answer could still be given, judging that
award by every OTHER answer (so a question that is itself an entry condition, such as the carbon
certificate, is always asked). An award can no longer be given when one of its entry conditions
is failed by the answer given (the edition's ``fails``, or any answer outside ``met``/``routes``
of a ``choice``), when the award it is nominated in cannot be given, or when an award it requires
cannot. What an award reads: its conditions' fields, its categories' ``field``/``group_field``, its
title's ``period_field``, its nomination's field and its commitments' ``commitments.<id>``.

An answer that no longer applies stays in the session's draft (turning back brings it back) but
is left out of the verdict, the saved file and the browser's stored copy (``prune``).
"""

from __future__ import annotations

import copy
from typing import Any

from scheme.edition import Award, Condition, Edition

# Asked of every organisation whatever else it answers (no award's eligibility hangs on them).
ALWAYS = frozenset({"organisation.name", "organisation.sector", "planned_submission_date"})


def get(data: dict, path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fails(edition: Edition, cond: Condition, value: Any) -> bool:
    """True when the answer given rules the condition out (no answer never fails)."""
    if value is None:
        return False
    if cond.kind == "choice":
        key = _key(value)
        return not (key in cond.met or key in cond.routes or "*" in cond.met or "*" in cond.routes)
    if cond.kind == "grade_at_least":
        scale = list(edition.rating_scale)
        if value not in scale or cond.at_least not in scale:
            return True
        return scale.index(value) > scale.index(cond.at_least)
    if cond.kind == "count_at_least":
        try:
            return int(value) < int(cond.at_least)
        except (TypeError, ValueError):
            return True
    return False


def reads(edition: Edition, award: Award) -> set[str]:
    """The answers an award reads."""
    out = {edition.condition(c).field for c in award.conditions}
    if award.categories is not None:
        out |= {f for f in (award.categories.field, award.categories.group_field) if f}
    if award.title.period_field:
        out.add(award.title.period_field)
    if award.nomination:
        out.add(edition.nomination(award.nomination).field)
    out |= {f"commitments.{c}" for c in award.commitments}
    return out


def possible(edition: Edition, data: dict, award_id: str, ignore: str | None = None,
             _seen: frozenset[str] = frozenset()) -> bool:
    """Could this award still be given, judging it without the answer at ``ignore``?"""
    if award_id in _seen:
        return True
    seen = _seen | {award_id}
    award = edition.award(award_id)
    for cond_id in award.conditions:
        cond = edition.condition(cond_id)
        if cond.field != ignore and fails(edition, cond, get(data, cond.field)):
            return False
    if award.depends_on == "best_tier":
        tiers = [a.id for a in edition.awards if a.tier is not None]
        if not any(possible(edition, data, t, ignore, seen) for t in tiers):
            return False
    elif award.depends_on and not possible(edition, data, award.depends_on, ignore, seen):
        return False
    return all(possible(edition, data, r, ignore, seen) for r in award.requires_all)


def applies(edition: Edition, data: dict, path: str) -> bool:
    """Does the question at ``path`` apply, given the other answers in ``data``?"""
    if path in ALWAYS:
        return True
    readers = [a for a in edition.awards if path in reads(edition, a)]
    if not readers:
        return True  # nothing judges it: never hide what we cannot reason about
    return any(possible(edition, data, a.id, ignore=path) for a in readers)


def applicable(edition: Edition, data: dict, paths) -> list[str]:
    return [p for p in paths if applies(edition, data, p)]


def prune(edition: Edition, data: dict, paths) -> dict:
    """``data`` without the answers (among ``paths``) that no longer apply; repeated until stable."""
    out = copy.deepcopy(data)
    for _ in range(len(list(paths)) + 1):
        gone = [p for p in paths if get(out, p) is not None and not applies(edition, out, p)]
        if not gone:
            return out
        for path in gone:
            node = out
            parts = path.split(".")
            for part in parts[:-1]:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            if isinstance(node, dict):
                node.pop(parts[-1], None)
        for parent in {p.split(".")[0] for p in gone if "." in p}:
            if out.get(parent) == {} and parent != "organisation":
                out.pop(parent)
    return out
