"""The answers file (contract: answers file, version 1): what one organisation answered.

Strict on purpose: unknown keys, unknown ids, wrong types, grades off the scale, dates that are
not dates and numbers out of range are refused with a message that names the field and says
what is allowed. A key that is absent means "not answered yet" and reads as ``None``.

Ids (categories, grades, SR Index measures) are checked against the scheme edition the file
names, so a new edition brings its own ids without new code; they are checked even when other
values have the wrong type, so that one refusal lists every kind of problem.

Any input costs bounded time and memory: at most MAX_FILE_BYTES are read, nesting deeper than
MAX_DEPTH is refused before parsing (counted in one linear pass, no recursion), integers longer
than MAX_NUMBER_CHARS, numbers beyond a float and NaN/Infinity are refused by name, and a refusal
keeps at most MAX_PROBLEMS problems (the last one counting the rest). Figures:
``bench/answers_hostile.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
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
from pydantic_core import PydanticCustomError

from scheme.edition import dotted_path
from scheme.i18n import t

FORMAT = "hkqaa-ors-answers"
VERSION = 1
MAX_FILE_BYTES = 1_000_000  # the contract's 1 MB
# The project's own bounds on what a file may hold, far above any real answers file (which is at
# most 3 levels deep and has a few dozen problems at worst) and far below what costs time or memory.
MAX_DEPTH = 20  # levels of nested objects and lists
MAX_PROBLEMS = 20  # problems listed in one refusal; the rest are counted ("and N more problems")
MAX_NUMBER_CHARS = 30  # an integer literal longer than this is out of range wherever it stands

# The dates the answers file and the wizard's date fields both accept (one range for both, so a
# file that loads can be corrected in the wizard, and the other way round).
DATE_MIN = dt.date(2020, 1, 1)
DATE_MAX = dt.date(2035, 12, 31)

HygieneStatus = Literal["certified", "equivalent_measures", "none"]
CarbonStatus = Literal["pilot", "participant", "equivalent", "none"]
CarbonType = Literal["achieved", "committed", "disclosure"]
SRIndexStatus = Literal["pioneer", "advanced", "third_party", "none"]


_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> dt.date:
    """Accept only a calendar date written as text YYYY-MM-DD (or a date object) within
    DATE_MIN..DATE_MAX; ISO week dates, basic forms and one-digit months are refused."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and _DATE_TEXT.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("date_format") from None
    else:
        raise ValueError("date_format")
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError("date_range")
    return day


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                    "formatMinimum": DATE_MIN.isoformat(), "formatMaximum": DATE_MAX.isoformat(),
                    "description": f"A date written YYYY-MM-DD, from {DATE_MIN} to {DATE_MAX}."}),
]


def _sr_score(value: Any) -> int:
    """An SR self-check score: exactly the whole number 0, 1 or 2 (not true, not 1.0)."""
    if type(value) is int and value in (0, 1, 2):
        return value
    raise ValueError("sr_score")


SRScore = Annotated[int, BeforeValidator(_sr_score), WithJsonSchema({"enum": [0, 1, 2]})]


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


def _version_number(value: Any) -> Any:
    """The version is the number 1, not ``true`` or ``1.0`` (equal to 1 in Python, so a bare
    ``Literal[1]`` took them)."""
    if type(value) is not int:
        raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": "1"})
    return value


class Answers(_Strict):
    """One organisation's answers. Build with :func:`parse_answers` to get the id checks."""

    format: Literal["hkqaa-ors-answers"]
    version: Annotated[Literal[1], BeforeValidator(_version_number)]
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
    sr_self_assessment: dict[str, SRScore] | None = Field(default=None, max_length=100)

    def get(self, path: str) -> Any:
        """The answer at a dotted path, e.g. ``carbon.certificate_status``."""
        value: Any = self
        for part in path.split("."):
            value = getattr(value, part)
        return value

    def flat(self) -> dict[str, Any]:
        """Every answer by dotted path (``{"carbon.strengths": [...], ...}``), read in one pass."""
        out: dict[str, Any] = {}
        for name, value in self.__dict__.items():
            if isinstance(value, BaseModel):  # a section: its answers under "section.key"
                paths = _section_paths(name, tuple(value.__dict__))
                out.update(zip(paths, value.__dict__.values(), strict=True))
            else:
                out[name] = value
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


@lru_cache(maxsize=64)
def _section_paths(section: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{section}.{key}" for key in keys)


# -- errors --------------------------------------------------------------------------------


class FieldError(BaseModel):
    field: str
    message: str


Problem = tuple[str, str, dict]  # (field path, catalogue message id, parameters)


class AnswersError(ValueError):
    """An answers file that cannot be read; each problem names its field.

    Only the first problems a person can read are kept: past ``MAX_PROBLEMS`` the last one listed
    is a count of the rest ("and N more problems"), so that ``problems``, ``errors()`` and
    ``message()`` stay one to one and small, whatever the file held. ``more`` is that count.
    """

    def __init__(self, problems: list[Problem], more: int = 0):
        problems = list(problems)
        if problems and problems[-1][1] == "err_more_problems":  # rebuilt from kept problems
            more += problems.pop()[2]["count"]
        if more or len(problems) > MAX_PROBLEMS:
            kept = problems[:MAX_PROBLEMS - 1]
            more += len(problems) - len(kept)
            problems = [*kept, ("", "err_more_problems", {"count": more})]
        self.more = more
        self.problems = problems
        super().__init__(self.message("en"))

    def errors(self, lang: str = "en") -> list[FieldError]:
        out = []
        for field, key, params in self.problems:
            params = dict(params)
            if "expected_key" in params:
                params["expected"] = t(params.pop("expected_key"), lang)
            if "choices" in params:  # "'a', 'b' or 'c'" / "'a'、'b' 或 'c'"
                *rest, last = params.pop("choices")
                params["allowed"] = (t("list_sep", lang).join(rest) + t("list_or", lang) + last
                                     if rest else last)
            out.append(FieldError(field=field or t("field_top_level", lang),
                                  message=t(key, lang, **params)))
        return out

    def message(self, lang: str = "en") -> str:
        return "\n".join(f"{e.field}: {e.message}" for e in self.errors(lang))


class _Problems:
    """Problems as they are found: the first few kept, the rest only counted."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0
        self.fields: set[str] = set()

    def add(self, field: str, key: str, params: dict | None = None) -> None:
        self.fields.add(field)
        if len(self.items) < MAX_PROBLEMS:
            self.items.append((field, key, params or {}))
        else:
            self.more += 1

    def unknown_key(self, loc: tuple, key: str, allowed: str) -> None:
        """A key that is not a field: never a pydantic path (the key is dropped), so it need
        not be remembered once enough problems are listed."""
        if len(self.items) < MAX_PROBLEMS:
            self.items.append((dotted_path((*loc, key)), "err_unknown_key", {"allowed": allowed}))
        else:
            self.more += 1

    def key_twice(self, loc: tuple, key: str) -> None:
        """A key given more than once in one object (JSON readers keep the last, silently)."""
        if len(self.items) < MAX_PROBLEMS:
            self.items.append((dotted_path((*loc, key)), "err_key_twice", {}))
        else:
            self.more += 1

    def covers(self, field: str) -> bool:
        """A problem is already reported at this field or at one that holds it."""
        while True:
            if field in self.fields:
                return True
            cut = max(field.rfind("."), field.rfind("["))
            if cut <= 0:
                return False
            field = field[:cut]

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self) -> AnswersError:
        return AnswersError(self.items, self.more)


class _Object(dict):
    """A JSON object as read, with the keys it gave more than once (``twice``)."""

    __slots__ = ("twice",)


def _read_object(pairs: list[tuple[str, Any]]) -> _Object:
    out = _Object(pairs)
    out.twice = ()
    if len(out) < len(pairs):  # a key given twice: the first value would be dropped unseen
        counts = Counter(key for key, _ in pairs)
        out.twice = tuple(key for key in out if counts[key] > 1)
    return out


class _BadNumber:
    """A number in the file that no answer can hold: too many digits, too big, NaN or Infinity."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def problem(self) -> tuple[str, dict]:
        if self.text.lstrip("-") in ("NaN", "Infinity", "inf", "nan"):
            return "err_not_number", {"got": self.text}
        digits = sum(c.isdigit() for c in self.text)
        shown = self.text if len(self.text) <= 20 else f"{self.text[:12]}… ({digits} digits)"
        return "err_range", {"got": shown}


def _int_text(value: int) -> str:
    """An integer as the user wrote it, in decimal (bounded work: past ~4,000 digits, its size)."""
    return str(value) if value.bit_length() < 13_000 else f"({value.bit_length()}-bit number)"


def _read_int(text: str) -> int | _BadNumber:
    # Python refuses int() of more than 4,300 digits with a ValueError inside json.loads
    return int(text) if len(text) <= MAX_NUMBER_CHARS else _BadNumber(text)


def _read_float(text: str) -> float | _BadNumber:
    value = float(text)
    return value if math.isfinite(value) else _BadNumber(text)


def _shown(value: Any) -> str:
    if isinstance(value, _BadNumber):
        return value.problem()[1].get("got", value.text)
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


def _range_problem(loc: tuple, got: str) -> tuple[str, dict]:
    """A number out of its field's range, saying what is allowed (the field's own bounds)."""
    model = _submodel_at(loc[:-1])
    info = model.model_fields.get(loc[-1]) if model is not None and loc and isinstance(loc[-1], str) else None
    bounds = {}
    for rule in info.metadata if info is not None else ():
        for name in ("ge", "le"):
            if getattr(rule, name, None) is not None:
                bounds[name] = getattr(rule, name)
    if set(bounds) == {"ge", "le"}:
        return "err_range_between", {"got": got, "min": bounds["ge"], "max": bounds["le"]}
    return "err_range", {"got": got}


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
    path = dotted_path(tuple(_key_shown(p) if isinstance(p, str) else p for p in loc
                             if p not in {"str", "int", "bool", "list", "dict"}
                             and not (isinstance(p, str) and p.startswith(("function-", "literal[")))))
    if kind == "missing":
        return path, "err_missing", {}
    if kind == "extra_forbidden":
        parent = _submodel_at(loc[:-1])
        allowed = ", ".join(parent.model_fields) if parent else ""
        return path, "err_unknown_key", {"allowed": allowed}
    if kind == "literal_error":
        # pydantic words the choices in English ("'a', 'b' or 'c'"): each language joins its own
        expected = str(ctx.get("expected", ""))
        choices = tuple(re.findall(r"'[^']*'", expected) or re.split(r", | or ", expected))
        return path, "err_choice", {"choices": choices, "got": _shown(value)}
    if kind in ("string_too_short",):
        return path, "err_text_empty", {}
    if kind in ("string_too_long", "too_long"):
        return path, "err_too_long", {"max": ctx.get("max_length", "?")}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return (path, *_range_problem(loc, _shown(value)))
    if kind == "value_error":
        error = str(ctx.get("error", ""))
        if "date_format" in error:
            return path, "err_date", {"got": _shown(value)}
        if "date_range" in error:
            return path, "err_date_range", {"got": _shown(value), "min": DATE_MIN.isoformat(),
                                            "max": DATE_MAX.isoformat()}
        if "sr_score" in error:
            return path, "err_choice", {"choices": ("0", "1", "2"), "got": _shown(value)}
    if kind in _TYPE_NAMES:
        return path, "err_type", {"expected_key": _TYPE_NAMES[kind], "got": _shown(value)}
    return path, "err_other", {"detail": err.get("msg", kind)}


# -- before pydantic: keys, sizes and numbers, without recursion or unbounded work ---------


_SURROGATE = re.compile("[\ud800-\udfff]")


def _key_shown(key: str) -> str:
    """A key as a field path shows it: as it is when it reads plainly, else quoted and escaped
    (an empty key, spaces around it, control characters, an unpaired surrogate), and cut short
    when long: a refusal keeps nothing big of the file it refuses."""
    if len(key) > 60:
        return json.dumps(key[:50])[:-1] + '…"'
    if key and key.isprintable() and key == key.strip() and not _SURROGATE.search(key):
        return key
    return json.dumps(key)


@lru_cache(maxsize=8)
def _model_keys(model: type[BaseModel]) -> tuple[dict[str, tuple[int | None, Any]], str]:
    """A model's keys, each with its list/object length limit and its submodel, and the list of
    allowed keys as the error message shows it."""
    keys = {}
    for name, info in model.model_fields.items():
        limit = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        ann = info.annotation
        keys[name] = (limit, ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None)
    return keys, ", ".join(keys)


def _cleaned(value: Any, model: type[BaseModel] | None, loc: tuple, problems: _Problems,
             depth: int = 1) -> Any:
    """A plain-JSON copy of ``value`` for pydantic: unknown keys dropped (and reported), numbers
    no answer can hold reported and set to null, lists and objects over their field's limit
    reported and set to null. Everything reported here is not reported again by pydantic."""
    if depth > MAX_DEPTH:
        problems.add(dotted_path(loc), "err_too_deep", {"max": MAX_DEPTH})
        return None
    if isinstance(value, _BadNumber) or (isinstance(value, float) and not math.isfinite(value)) \
            or (isinstance(value, int) and not isinstance(value, bool)
                and value.bit_length() > 3 * MAX_NUMBER_CHARS):
        bad = value if isinstance(value, _BadNumber) else _BadNumber(
            repr(value) if isinstance(value, float) else _int_text(value))
        key, params = bad.problem()
        if key == "err_range":
            key, params = _range_problem(loc, params["got"])
        problems.add(dotted_path(loc), key, params)
        return None
    if isinstance(value, str) and _SURROGATE.search(value):  # "\ud800" alone is no character
        problems.add(dotted_path(loc), "err_bad_character", {})
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_cleaned(v, None, (*loc, i), problems, depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key in getattr(value, "twice", ()):
            problems.key_twice(loc, _key_shown(str(key)))
        keys, allowed = _model_keys(model) if model is not None else ({}, "")
        for key, item in value.items():
            key = str(key)
            shown = _key_shown(key)
            child: type[BaseModel] | None = None
            if model is not None:
                known = keys.get(key)
                if known is None:  # dropped; counted only, once enough are listed
                    problems.unknown_key(loc, shown, allowed)
                    continue
                limit, child = known
                if limit is not None and isinstance(item, (list, dict)) and len(item) > limit:
                    problems.add(dotted_path((*loc, key)), "err_too_long", {"max": limit})
                    out[key] = None
                    continue
            if _SURROGATE.search(key):  # no character: cannot be read further, printed or sent
                problems.add(dotted_path((*loc, shown)), "err_bad_character", {})
                continue
            out[key] = _cleaned(item, child, (*loc, shown), problems, depth + 1)
        return out
    problems.add(dotted_path(loc), "err_other", {"detail": type(value).__name__})
    return None


# -- id checks against the edition ---------------------------------------------------------


def _check_ids(data: dict, problems: _Problems) -> None:
    """Categories, grades and measure codes, read from the file's data as it is, so that they
    are reported together with any type errors (values of the wrong type are pydantic's)."""
    from scheme.edition import available_editions, load_edition
    from scheme.sr_index import load_sr_index

    organisation = data.get("organisation")
    name = organisation.get("name") if isinstance(organisation, dict) else None
    if isinstance(name, str) and name and name.strip() == "":
        problems.add("organisation.name", "err_text_empty")
    scheme_id = data.get("scheme")
    if not isinstance(scheme_id, str):
        return  # missing or of the wrong type: pydantic says so; no edition to check ids against
    if scheme_id not in available_editions():
        problems.add("scheme", "err_choice",
                     {"allowed": ", ".join(repr(e) for e in available_editions()),
                      "got": _shown(scheme_id)})
        return
    edition = load_edition(scheme_id)

    def section(name: str) -> dict:
        node = data.get(name)
        return node if isinstance(node, dict) else {}

    checked = set()  # several awards read one field (the four ESG tiers): checked once
    for award in edition.awards:
        src = award.categories
        if src is None or src.field is None or src.single or src.field in checked:
            continue
        checked.add(src.field)
        part, key = src.field.split(".")
        values = section(part).get(key)
        if not isinstance(values, list):
            continue
        allowed = edition.category_ids(src.set)
        for i, value in enumerate(values):
            if isinstance(value, str) and value not in allowed:
                # "a, b": known ids run together with commas (a list file separates them by ;)
                joined = "," in value and all(p.strip() in allowed for p in value.split(","))
                problems.add(f"{src.field}[{i}]", "err_unknown_id_commas" if joined else "err_unknown_id",
                             {"got": _shown(value), "allowed": ", ".join(allowed)})
    grade = section("esg").get("sustainability_rating_2021")
    if isinstance(grade, str) and grade != "none" and grade not in edition.rating_scale \
            and len(grade) <= 10:
        problems.add("esg.sustainability_rating_2021", "err_grade",
                     {"got": _shown(grade), "allowed": " ".join(edition.rating_scale)})
    scores = data.get("sr_self_assessment")
    if isinstance(scores, dict):
        codes = load_sr_index().measure_codes
        for code in scores:
            if code not in codes:
                problems.add(f"sr_self_assessment.{_key_shown(code)}", "err_measure",
                             {"got": _shown(code)})


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
    """Validate parsed JSON (dicts, lists, strings, numbers) as an answers file.

    Every problem is reported at once (unknown keys, wrong types, unknown ids), but only the
    first ``MAX_PROBLEMS`` are kept; see :class:`AnswersError`."""
    if not isinstance(data, dict):
        raise AnswersError([("", "err_not_object", {})])
    problems = _Problems()
    data = _dedupe_lists(_cleaned(data, Answers, (), problems))
    for section in _SECTIONS:  # a section given as null is a section not answered yet
        if section in data and data[section] is None and not problems.covers(section):
            del data[section]
    answers = None
    try:
        answers = Answers.model_validate_json(json.dumps(data))
    except ValidationError as err:
        for error in err.errors(include_url=False, include_context=True):
            field, key, params = _problem_from_pydantic(error)
            if not problems.covers(field):
                problems.add(field, key, params)
    _check_ids(data, problems)
    if problems or answers is None:
        raise problems.error()
    return answers


# Linear in the text's length whatever it holds: escape pairs go first, so that a string is then
# simply '"' up to the next '"' (a pattern with escapes inside can take quadratic time on '"\"\"…').
_ESCAPE_PAIR = re.compile(r"\\.", re.DOTALL)
_JSON_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _too_deep(text: str) -> bool:
    """More than MAX_DEPTH levels of nesting, counted without parsing (and so without recursion)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", _ESCAPE_PAIR.sub("", text)))
    if len(brackets) <= MAX_DEPTH:
        return False
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth -= 1
    return False


def parse_answers(raw: bytes | str) -> Answers:
    """Read an answers file's bytes; raise AnswersError with a clear message if it is not one."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogatepass")
    if len(raw) > MAX_FILE_BYTES:
        raise AnswersError([("", "err_too_big", {"size": len(raw), "max": MAX_FILE_BYTES})])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersError([("", "err_not_utf8", {})]) from None
    if _too_deep(text):
        raise AnswersError([("", "err_too_deep", {"max": MAX_DEPTH})])
    try:
        data = json.loads(text, parse_int=_read_int, parse_float=_read_float,
                          parse_constant=_BadNumber, object_pairs_hook=_read_object)
    except json.JSONDecodeError as err:
        raise AnswersError([("", "err_not_json_at",
                             {"line": err.lineno, "column": err.colno})]) from None
    except (RecursionError, ValueError):  # not expected after the checks above; still refused
        raise AnswersError([("", "err_not_json", {"detail": "?"})]) from None
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
