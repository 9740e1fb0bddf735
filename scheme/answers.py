"""The answers file (contract: answers file, version 1): what one organisation answered.

Strict on purpose: unknown keys, unknown ids, wrong types, grades off the scale, dates that are
not dates and numbers out of range are refused with a message that names the field and says
what is allowed. A key that is absent means "not answered yet" and reads as ``None``.

Ids (categories, grades, SR Index measures) are checked against the scheme edition the file
names, so a new edition brings its own ids without new code.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
)

from scheme.edition import dotted_path
from scheme.i18n import t

FORMAT = "hkqaa-ors-answers"
VERSION = 1
MAX_FILE_BYTES = 1_000_000  # the contract's 1 MB

# The dates the answers file and the wizard's date fields both accept (one range for both, so a
# file that loads can be corrected in the wizard, and the other way round).
DATE_MIN = dt.date(2020, 1, 1)
DATE_MAX = dt.date(2035, 12, 31)

HygieneStatus = Literal["certified", "equivalent_measures", "none"]
CarbonStatus = Literal["pilot", "participant", "equivalent", "none"]
CarbonType = Literal["achieved", "committed", "disclosure"]
SRIndexStatus = Literal["pioneer", "advanced", "third_party", "none"]


def _iso_date(value: Any) -> dt.date:
    """Accept only an ISO calendar date written as text (YYYY-MM-DD), or a date object."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("date_format")


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Organisation(_Strict):
    name: str = Field(min_length=1, max_length=200, description="Shown in results and the PDF.")
    sector: str | None = Field(default=None, max_length=100,
                               description="Sector, project or activity for award titles.")
    premises: int | None = Field(default=None, ge=0, le=1000,
                                 description="Premises that would apply for the Gold Medal.")


class Carbon(_Strict):
    certificate_status: CarbonStatus | None = None
    certificate_type: CarbonType | None = None
    strengths: list[str] | None = Field(default=None, max_length=50)
    period: str | None = Field(default=None, max_length=30)


class ESG(_Strict):
    sr_index: SRIndexStatus | None = None
    sustainability_rating_2021: str | None = Field(default=None, max_length=10)
    sdg_categories: list[str] | None = Field(default=None, max_length=50)


class Resilience(_Strict):
    categories: list[str] | None = Field(default=None, max_length=50)


class Nominees(_Strict):
    resilience_leader: bool | None = None
    resilience_frontline: bool | None = None
    carbon_leader: bool | None = None
    esg_leader: bool | None = None


class Commitments(_Strict):
    training: bool | None = None
    leader_video: bool | None = None
    publication_sharing: bool | None = None


class Answers(_Strict):
    """One organisation's answers. Build with :func:`parse_answers` to get the id checks."""

    format: Literal["hkqaa-ors-answers"]
    version: Literal[1]
    scheme: str = Field(max_length=100)
    organisation: Organisation
    planned_submission_date: IsoDate | None = None
    hygiene_certification: HygieneStatus | None = None
    carbon: Carbon = Carbon()
    esg: ESG = ESG()
    resilience: Resilience = Resilience()
    nominees: Nominees = Nominees()
    climate_risk_disclosure: bool | None = None
    commitments: Commitments = Commitments()
    sr_self_assessment: dict[str, Literal[0, 1, 2]] | None = Field(default=None, max_length=100)

    def get(self, path: str) -> Any:
        """The answer at a dotted path, e.g. ``carbon.certificate_status``."""
        value: Any = self
        for part in path.split("."):
            value = getattr(value, part)
        return value

    def flat(self) -> dict[str, Any]:
        """Every answer by dotted path (``{"carbon.strengths": [...], ...}``), read in one pass."""
        out: dict[str, Any] = {}
        for path, parts in _field_parts():
            value: Any = self
            for part in parts:
                value = getattr(value, part)
            out[path] = value
        return out

    def to_json(self) -> str:
        """The answers file as text, keys in contract order, unanswered keys kept as null."""
        # sr_self_assessment is an optional object in the contract: left out when not given
        return self.model_dump_json(indent=2, exclude={"sr_self_assessment"}
                                    if self.sr_self_assessment is None else None) + "\n"

    def with_changes(self, changes: dict[str, Any]) -> Answers:
        """A copy with answers changed at dotted paths, checked like a file (raises AnswersError)."""
        data = json.loads(self.model_dump_json())
        for path, value in changes.items():
            node = data
            parts = path.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value
        return parse_answers_data(data)


@lru_cache(maxsize=1)
def field_paths() -> frozenset[str]:
    """Every dotted path of an answer in the answers file."""
    return frozenset(field_order())


@lru_cache(maxsize=1)
def field_order() -> dict[str, int]:
    """Every dotted path's place in the answers file (the order the wizard asks the questions)."""
    paths: list[str] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            ann = info.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                walk(ann, f"{prefix}{name}.")
            else:
                paths.append(f"{prefix}{name}")

    walk(Answers, "")
    return {path: i for i, path in enumerate(paths)}


@lru_cache(maxsize=1)
def _field_parts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((path, tuple(path.split("."))) for path in sorted(field_paths()))


# -- errors --------------------------------------------------------------------------------


class FieldError(BaseModel):
    field: str
    message: str


class AnswersError(ValueError):
    """An answers file that cannot be read; each problem names its field."""

    def __init__(self, problems: list[tuple[str, str, dict]]):
        # problems: (field path, catalogue message id, parameters)
        self.problems = problems
        super().__init__(self.message("en"))

    def errors(self, lang: str = "en") -> list[FieldError]:
        out = []
        for field, key, params in self.problems:
            params = dict(params)
            if "expected_key" in params:
                params["expected"] = t(params.pop("expected_key"), lang)
            out.append(FieldError(field=field or t("field_top_level", lang),
                                  message=t(key, lang, **params)))
        return out

    def message(self, lang: str = "en") -> str:
        return "\n".join(f"{e.field}: {e.message}" for e in self.errors(lang))


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _submodel_at(loc: tuple) -> type[BaseModel] | None:
    model: type[BaseModel] = Answers
    for part in loc:
        info = model.model_fields.get(part) if isinstance(part, str) else None
        if info is None or not (isinstance(info.annotation, type)
                                and issubclass(info.annotation, BaseModel)):
            return None
        model = info.annotation
    return model


_TYPE_NAMES = {
    "string_type": "type_text", "int_type": "type_int", "int_from_float": "type_int",
    "bool_type": "type_bool", "list_type": "type_list", "dict_type": "type_object",
    "model_type": "type_object", "model_attributes_type": "type_object",
}


def _problem_from_pydantic(err: dict) -> tuple[str, str, dict]:
    loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    # pydantic reports a nullable submodel field with a trailing type tag, e.g. ('x', 'int')
    path = dotted_path(tuple(p for p in loc if p not in {"str", "int", "bool", "list", "dict"}
                              and not (isinstance(p, str) and p.startswith(("function-", "literal["))
                                       )))
    if kind == "missing":
        return path, "err_missing", {}
    if kind == "extra_forbidden":
        parent = _submodel_at(loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        return path, "err_unknown_key", {"allowed": allowed}
    if kind == "literal_error":
        return path, "err_choice", {"allowed": ctx.get("expected", ""), "got": _shown(value)}
    if kind in ("string_too_short",):
        return path, "err_text_empty", {}
    if kind in ("string_too_long", "too_long"):
        return path, "err_too_long", {"max": ctx.get("max_length", "?")}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return path, "err_range", {"got": _shown(value)}
    if kind == "value_error" and "date_format" in str(ctx.get("error", "")):
        return path, "err_date", {"got": _shown(value)}
    if kind in _TYPE_NAMES:
        return path, "err_type", {"expected_key": _TYPE_NAMES[kind], "got": _shown(value)}
    return path, "err_other", {"detail": err.get("msg", kind)}


# -- id checks against the edition ---------------------------------------------------------


def _check_ids(answers: Answers) -> list[tuple[str, str, dict]]:
    from scheme.edition import available_editions, load_edition
    from scheme.sr_index import load_sr_index

    problems: list[tuple[str, str, dict]] = []
    if answers.organisation.name.strip() == "":
        problems.append(("organisation.name", "err_text_empty", {}))
    if answers.scheme not in available_editions():
        problems.append(("scheme", "err_choice",
                         {"allowed": ", ".join(repr(e) for e in available_editions()),
                          "got": _shown(answers.scheme)}))
        return problems
    edition = load_edition(answers.scheme)

    def check_list(path: str, allowed: tuple[str, ...]) -> None:
        values = answers.get(path)
        for i, value in enumerate(values or ()):
            if value not in allowed:
                problems.append((f"{path}[{i}]", "err_unknown_id",
                                 {"got": _shown(value), "allowed": ", ".join(allowed)}))

    for award in edition.awards:
        src = award.categories
        if src is None or src.field is None or src.single:
            continue
        check_list(src.field, edition.category_ids(src.set))
    grade = answers.esg.sustainability_rating_2021
    if grade is not None and grade != "none" and grade not in edition.rating_scale:
        problems.append(("esg.sustainability_rating_2021", "err_grade",
                         {"got": _shown(grade), "allowed": " ".join(edition.rating_scale)}))
    if answers.sr_self_assessment:
        codes = load_sr_index().measure_codes
        for code in answers.sr_self_assessment:
            if code not in codes:
                problems.append((f"sr_self_assessment.{code}", "err_measure",
                                 {"got": _shown(code)}))
    return problems


_SECTIONS = ("carbon", "esg", "resilience", "nominees", "commitments")


def _dedupe_lists(data: dict) -> dict:
    """Drop repeated ids in list answers (one category is one application, however often listed)."""
    for section in ("carbon", "esg", "resilience"):
        node = data.get(section)
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    node[key] = list(dict.fromkeys(value))
    return data


def parse_answers_data(data: Any) -> Answers:
    """Validate parsed JSON (dicts, lists, strings, numbers) as an answers file."""
    if not isinstance(data, dict):
        raise AnswersError([("", "err_not_object", {})])
    data = _dedupe_lists(json.loads(json.dumps(data)))
    for section in _SECTIONS:  # a section given as null is a section not answered yet
        if section in data and data[section] is None:
            del data[section]
    try:
        answers = Answers.model_validate_json(json.dumps(data))
    except ValidationError as err:
        raise AnswersError([_problem_from_pydantic(e) for e in err.errors()]) from None
    problems = _check_ids(answers)
    if problems:
        raise AnswersError(problems)
    return answers


def parse_answers(raw: bytes | str) -> Answers:
    """Read an answers file's bytes; raise AnswersError with a clear message if it is not one."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        raise AnswersError([("", "err_too_big", {"size": len(raw), "max": MAX_FILE_BYTES})])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersError([("", "err_not_utf8", {})]) from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        detail = f"line {err.lineno}, column {err.colno}" if isinstance(err, json.JSONDecodeError) else ""
        raise AnswersError([("", "err_not_json", {"detail": detail})]) from None
    return parse_answers_data(data)


def blank_answers(name: str, scheme_id: str = "hkqaa-ors-2022") -> Answers:
    return parse_answers_data({"format": FORMAT, "version": VERSION, "scheme": scheme_id,
                               "organisation": {"name": name}})


def json_schema() -> dict:
    """The answers file's JSON Schema, with the default edition's ids as enums."""
    from scheme.edition import load_edition
    from scheme.sr_index import load_sr_index

    edition = load_edition()
    schema = Answers.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "HKQAA Organisation Recognition Scheme answers file, version 1"
    defs = schema.get("$defs", {})

    def set_items_enum(model: str, field: str, ids: tuple[str, ...]) -> None:
        prop = defs[model]["properties"][field]
        for option in prop.get("anyOf", [prop]):
            if option.get("type") == "array":
                option["items"] = {"type": "string", "enum": list(ids)}

    sets = {a.categories.field: a.categories.set for a in edition.awards
            if a.categories and a.categories.field and not a.categories.single}
    set_items_enum("Carbon", "strengths", edition.category_ids(sets["carbon.strengths"]))
    set_items_enum("ESG", "sdg_categories", edition.category_ids(sets["esg.sdg_categories"]))
    set_items_enum("Resilience", "categories", edition.category_ids(sets["resilience.categories"]))
    rating = defs["ESG"]["properties"]["sustainability_rating_2021"]
    rating.clear()
    rating.update({"anyOf": [{"enum": [*edition.rating_scale, "none"]}, {"type": "null"}],
                   "default": None, "title": "Sustainability Rating 2021"})
    sra = schema["properties"]["sr_self_assessment"]
    for option in sra.get("anyOf", []):
        if option.get("type") == "object":
            option["propertyNames"] = {"enum": list(load_sr_index().measure_codes)}
    schema["properties"]["scheme"] = {"enum": [edition.id], "default": edition.id}
    schema["required"] = ["format", "version", "scheme", "organisation"]
    return schema
