"""The HKQAA Social Responsibility Index, as data, and scoring of a self-assessment.

What: the index (7 ISO 26000 core subjects, 40 recommended measures, from
Appendix 1 of HKQAA's 2023 Social Responsibility Report) lives in
``scheme/data/sr_index.yaml``.  This module loads and validates it into frozen
pydantic models (:class:`SRIndex`) and scores an applicant's self-assessment
(one answer 0/1/2 per measure) into an :class:`SRScore`.

Why: the Organisation Recognition Scheme asks applicants to show how they
practise social responsibility; a self-check against the 40 measures gives a
quick, explainable picture per core subject and lists the measures that are
not yet in place.  Keeping the index as data (not code) lets it be proof-read
and updated without touching the logic, and validating it on load means a
typo in the file fails loudly, naming the bad entry, instead of silently
skewing scores.

This module has no Streamlit dependency so it can be used and tested on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from scheme.edition import Text, dotted_path

__all__ = [
    "DEFAULT_PATH",
    "EXPECTED_MEASURE_COUNT",
    "EXPECTED_SUBJECT_CODES",
    "MAX_LEVEL",
    "Level",
    "Measure",
    "SRIndex",
    "SRScore",
    "Subject",
    "SubjectScore",
    "Text",
    "load_sr_index",
    "score",
]

#: The YAML file shipped with the package.
DEFAULT_PATH: Path = Path(__file__).parent / "data" / "sr_index.yaml"

#: The seven core subjects, in the appendix's order.
EXPECTED_SUBJECT_CODES: tuple[str, ...] = ("OG", "HR", "LP", "EN", "FO", "CI", "CD")

#: The appendix lists 40 measures in all.
EXPECTED_MEASURE_COUNT: int = 40

#: Answers are 0 (not in place), 1 (partly) or 2 (fully in place).
MAX_LEVEL: int = 2


class _Frozen(BaseModel):
    """Base for read-only models: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(_Frozen):
    """One possible self-assessment answer and its labels."""

    value: int = Field(ge=0, le=MAX_LEVEL)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Measure(_Frozen):
    """One recommended measure of the index, e.g. ``OG1``."""

    code: str = Field(pattern=r"^[A-Z]{2}[0-9]+$")
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Subject(_Frozen):
    """One ISO 26000 core subject (e.g. ``OG``) and its measures, in order."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: Text
    measures: tuple[Measure, ...] = Field(min_length=1)

    @property
    def measure_codes(self) -> tuple[str, ...]:
        """The codes of this subject's measures, in order."""
        return tuple(m.code for m in self.measures)


class SRIndex(_Frozen):
    """The whole index.  Validation enforces the appendix's shape.

    Checks: the seven subjects in the appendix's order, 40 measures in all,
    measure codes unique and prefixed by their subject's code, and levels
    exactly 0, 1, 2.  Error messages start with the path of the bad entry,
    e.g. ``subjects[2].measures[3].code``.
    """

    name: Text
    source: Text
    levels: tuple[Level, ...]
    subjects: tuple[Subject, ...]

    _by_code: dict[str, Measure] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _check_shape(self) -> SRIndex:
        values = tuple(level.value for level in self.levels)
        if values != tuple(range(MAX_LEVEL + 1)):
            raise ValueError(
                f"levels: expected values 0, 1, 2 in order, got {list(values)}"
            )

        seen_subjects: set[str] = set()
        for i, subject in enumerate(self.subjects):
            if subject.code in seen_subjects:
                raise ValueError(
                    f"subjects[{i}].code: duplicate subject code {subject.code!r}"
                )
            seen_subjects.add(subject.code)
        codes = tuple(s.code for s in self.subjects)
        if codes != EXPECTED_SUBJECT_CODES:
            raise ValueError(
                f"subjects: expected {len(EXPECTED_SUBJECT_CODES)} subjects "
                f"{', '.join(EXPECTED_SUBJECT_CODES)} in that order, got {', '.join(codes) or 'none'}"
            )

        seen: dict[str, str] = {}
        for i, subject in enumerate(self.subjects):
            for j, measure in enumerate(subject.measures):
                where = f"subjects[{i}].measures[{j}].code"
                if not measure.code.startswith(subject.code):
                    raise ValueError(
                        f"{where}: measure {measure.code!r} is listed under subject "
                        f"{subject.code!r} but does not start with {subject.code!r}"
                    )
                if measure.code in seen:
                    raise ValueError(
                        f"{where}: duplicate measure code {measure.code!r} (first at {seen[measure.code]})"
                    )
                seen[measure.code] = where

        if len(seen) != EXPECTED_MEASURE_COUNT:
            raise ValueError(
                f"subjects: expected {EXPECTED_MEASURE_COUNT} measures in all, got {len(seen)}"
            )
        return self

    def model_post_init(self, context: Any, /) -> None:
        """Build the code -> measure lookup once (the model is frozen)."""
        self._by_code = {m.code: m for s in self.subjects for m in s.measures}

    @property
    def measure_codes(self) -> tuple[str, ...]:
        """All 40 measure codes, in the appendix's order (OG1 ... CD5)."""
        return tuple(self._by_code)

    def measure(self, code: str) -> Measure:
        """The measure with this code; ``KeyError`` if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown measure code {code!r}") from None

    def subject(self, code: str) -> Subject:
        """The core subject with this code (e.g. ``"EN"``); ``KeyError`` if none."""
        for subject in self.subjects:
            if subject.code == code:
                return subject
        raise KeyError(f"unknown subject code {code!r}")

    def level(self, value: int) -> Level:
        """The labels for an answer value 0, 1 or 2; ``KeyError`` otherwise."""
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(f"unknown level {value!r}")


@functools.lru_cache(maxsize=8)
def load_sr_index(path: str | Path | None = None) -> SRIndex:
    """Load and validate the index from ``path`` (default: the packaged YAML).

    Cached: the result is frozen, so one shared instance per path is safe.
    (Call ``load_sr_index.cache_clear()`` after editing a file in place.)

    Raises ``ValueError`` naming the file and the path of the bad entry
    (e.g. ``subjects[2].measures[3].code``) if the file is not valid.
    """
    file = Path(path) if path is not None else DEFAULT_PATH
    text = file.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - libyaml: 10x faster
    except yaml.YAMLError as exc:
        raise ValueError(f"{file}: not valid YAML: {exc}") from exc
    try:
        return SRIndex.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = dotted_path(tuple(err["loc"])) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            # Errors raised by SRIndex._check_shape already start with their own path.
            problems.append(msg if loc == "(top level)" else f"{loc}: {msg}")
        raise ValueError(f"{file}: invalid SR index: " + "; ".join(problems)) from exc


class SubjectScore(_Frozen):
    """Score for one core subject.

    ``not_in_place`` lists the subject's measures answered 0 or not answered,
    ``partly`` those answered 1, both in the index's order.
    """

    code: str
    points: int
    max_points: int
    share: float = Field(ge=0.0, le=1.0)
    answered: int
    total: int
    not_in_place: list[str]
    partly: list[str]


class SRScore(_Frozen):
    """Score of a whole self-assessment.

    ``max_points`` is 2 for each of the 40 measures, answered or not: an
    unanswered measure counts as 0 and is listed in ``not_in_place``, so a
    half-finished self-check cannot look better than it is.
    """

    answered: int
    total: int
    points: int
    max_points: int
    share: float = Field(ge=0.0, le=1.0)
    subjects: list[SubjectScore]
    not_in_place: list[str]
    is_answered: bool


def _check_answers(index: SRIndex, answers: Mapping[str, int | None]) -> dict[str, int]:
    """Validate answers; drop ``None`` (unanswered).  ``ValueError`` names the bad code."""
    known = set(index.measure_codes)
    clean: dict[str, int] = {}
    for code, value in answers.items():
        if code not in known:
            raise ValueError(f"unknown measure code {code!r}")
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_LEVEL
        ):
            raise ValueError(f"answer for {code!r} must be 0, 1 or 2, got {value!r}")
        clean[code] = value
    return clean


def score(index: SRIndex, answers: Mapping[str, int | None] | None) -> SRScore:
    """Score a self-assessment: ``answers`` maps measure codes to 0, 1 or 2.

    Missing codes (or ``None`` values) are unanswered and count as 0.
    Raises ``ValueError`` naming the code for an unknown code or a value
    outside 0..2.
    """
    given = _check_answers(index, answers or {})

    subject_scores: list[SubjectScore] = []
    for subject in index.subjects:
        codes = subject.measure_codes
        points = sum(given.get(c, 0) for c in codes)
        max_points = MAX_LEVEL * len(codes)
        subject_scores.append(
            SubjectScore(
                code=subject.code,
                points=points,
                max_points=max_points,
                share=points / max_points if max_points else 0.0,
                answered=sum(1 for c in codes if c in given),
                total=len(codes),
                not_in_place=[c for c in codes if given.get(c, 0) == 0],
                partly=[c for c in codes if given.get(c) == 1],
            )
        )

    points = sum(s.points for s in subject_scores)
    max_points = sum(s.max_points for s in subject_scores)
    return SRScore(
        answered=len(given),
        total=len(index.measure_codes),
        points=points,
        max_points=max_points,
        share=points / max_points if max_points else 0.0,
        subjects=subject_scores,
        not_in_place=[c for s in subject_scores for c in s.not_in_place],
        is_answered=bool(given),
    )
