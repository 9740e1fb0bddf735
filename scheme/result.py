"""The evaluation result (contract: evaluation result, version 1): what the engine concludes.

Printed as JSON by ``python -m scheme evaluate``; read by the app, the PDF, the calendar and
the batch screen. Ids, statuses, dates and numbers never depend on the language; free text
(reasons, action texts) is in the language the evaluation was asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["eligible", "conditional", "not_eligible"]
WindowState = Literal["not_yet_open", "open", "closed"]

#: Worse status wins: eligible < conditional < not_eligible.
STATUSES: tuple[Status, ...] = ("eligible", "conditional", "not_eligible")
STATUS_RANK: dict[str, int] = {status: rank for rank, status in enumerate(STATUSES)}


def worst(*statuses: Status) -> Status:
    return max(statuses, key=STATUS_RANK.__getitem__, default="eligible")


def by_date(actions: list) -> list:
    """Actions in the order of their due dates, undated last (stable: the engine's order, which
    follows the brochure's steps, within a day)."""
    return sorted(actions, key=lambda a: (a.due is None, a.due or dt.date.min))


# The slots every pydantic model has, set directly: what ``trusted`` fills (cheaper than
# ``object.__setattr__`` by name, which looks each one up again).
_SLOTS = BaseModel.__dict__
_set_dict = _SLOTS["__dict__"].__set__
_set_fields = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__
_new = object.__new__


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def trusted(cls, **values):
        """Built from the engine's own facts, every field given, without validation: what
        pydantic's ``model_construct`` does, minus its per-field defaults pass (a tenth of a
        verdict's time). The property tests check that such a result validates."""
        obj = _new(cls)
        _set_dict(obj, values)
        _set_fields(obj, set(values))
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj


class Action(_Out):
    text: str
    due: dt.date | None = None


class AwardResult(_Out):
    id: str
    status: Status
    recommended: bool
    missing: list[str] = []  # the unanswered questions the verdict waits for (added to v1)
    categories: list[str]
    applications: int
    form: str | None
    commitments: list[str]
    titles_zh: list[str]
    titles_en: list[str]
    reasons: list[str]
    actions: list[Action]


class MilestoneResult(_Out):
    id: str
    date: dt.date
    label_zh: str
    label_en: str


class CommitmentResult(_Out):
    id: str
    due: dt.date | None
    awards: list[str]


class Result(_Out):
    scheme: str
    as_of: dt.date
    window: WindowState
    awards: list[AwardResult]
    forms: list[str]
    applications_total: int
    milestones: list[MilestoneResult]
    commitments: list[CommitmentResult]

    def award(self, award_id: str) -> AwardResult:
        for award in self.awards:
            if award.id == award_id:
                return award
        raise KeyError(award_id)

    @property
    def recommended(self) -> list[AwardResult]:
        return [a for a in self.awards if a.recommended]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"
