"""Shared view helpers for the wizard's pages: session state, questions, navigation, texts.

The answers live in ONE plain dict in ``st.session_state["answers"]`` (the answers file's shape,
so a draft without an organisation name can be held), written only by widget callbacks.
Widgets never own an answer: each widget's value is rebuilt from that dict on every run, so
answers survive moving between pages in any order. Pages only ask and show; the engine decides.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from scheme.answers import (
    DATE_MAX,
    DATE_MIN,
    FORMAT,
    MAX_FILE_BYTES,
    VERSION,
    Answers,
    AnswersError,
    parse_answers,
    parse_answers_data,
)
from scheme.edition import DEFAULT_EDITION, Edition, load_edition
from scheme.engine import evaluate, window_state
from scheme.i18n import LANGS, localise, pick, t
from scheme.result import Result

ANSWERS = "answers"  # the one answers object (a dict in the answers file's shape)
LANG = "lang"
AS_OF = "as_of"
UNSURE = "_unsure"  # yes/no questions answered "not sure yet" (stored as null in the answers)
NOTICE = "_notice"  # one-off message after loading a file: (kind, message id, params)
UPLOAD_PROBLEMS = "_upload_problems"  # problems of the last refused file, shown until replaced
TRIED = "_tried"  # pages whose Continue was pressed with something required missing

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "scheme" / "samples"

APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"


def open_in_app() -> None:
    """Run this page inside the app's frame when Streamlit ran it on its own.

    Until the first session of a new server has run ``st.navigation``, Streamlit treats the
    ``pages/`` folder as an old-style multipage app: a page opened by its address (a bookmark, a
    refresh) runs alone, without ``app.py``'s frame (language, planning date, state). Then run
    the frame instead: it registers the pages (which ends that mode for every session) and runs
    this page inside it.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        import runpy

        runpy.run_path(str(APP_SCRIPT), run_name="__main__")
        st.stop()


# The wizard's pages in order: (id, file, icon, title message id, section).
PAGES: tuple[tuple[str, str, str, str, str], ...] = (
    ("start", "pages/start.py", ":material/home:", "ui_page_start", "answers"),
    ("organisation", "pages/organisation.py", ":material/apartment:", "ui_page_organisation", "answers"),
    ("hygiene", "pages/hygiene.py", ":material/health_and_safety:", "ui_page_hygiene", "answers"),
    ("carbon", "pages/carbon.py", ":material/eco:", "ui_page_carbon", "answers"),
    ("esg", "pages/esg.py", ":material/public:", "ui_page_esg", "answers"),
    ("nominees", "pages/nominees.py", ":material/groups:", "ui_page_nominees", "answers"),
    ("check", "pages/check.py", ":material/checklist:", "ui_page_check", "answers"),
    ("results", "pages/results.py", ":material/emoji_events:", "ui_page_results", "results"),
    ("timeline", "pages/timeline.py", ":material/calendar_month:", "ui_page_timeline", "results"),
    ("sr_check", "pages/sr_check.py", ":material/fact_check:", "ui_page_sr_check", "more"),
    ("about", "pages/about.py", ":material/info:", "ui_page_about", "more"),
    ("briefing", "pages/briefing.py", ":material/co_present:", "ui_page_briefing", "more"),
    ("batch", "pages/batch.py", ":material/table_view:", "ui_page_batch", "more"),
)
PAGE_FILE = {pid: path for pid, path, *_ in PAGES}
PAGE_ORDER = [pid for pid, *_ in PAGES]

# The questions each step of the wizard asks (dotted answers-file paths), for the progress
# indicator and the "check your answers" page.
STEPS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation.name", "organisation.sector", "organisation.premises",
                     "planned_submission_date"),
    "hygiene": ("hygiene_certification", "resilience.categories"),
    "carbon": ("carbon.certificate_status", "carbon.certificate_type", "carbon.strengths",
               "carbon.period"),
    "esg": ("esg.sr_index", "esg.sustainability_rating_2021", "esg.sdg_categories"),
    "nominees": ("nominees.resilience_leader", "nominees.resilience_frontline",
                 "nominees.carbon_leader", "nominees.esg_leader", "climate_risk_disclosure",
                 "commitments.training", "commitments.leader_video",
                 "commitments.publication_sharing"),
}
STEP_ORDER = tuple(STEPS)

# Status as icon + word (never colour alone); material icons ship with Streamlit's own font.
STATUS_ICON = {"eligible": ":material/check_circle:", "conditional": ":material/error:",
               "not_eligible": ":material/cancel:"}
STATUS_BADGE = {"eligible": "green", "conditional": "orange", "not_eligible": "gray"}


# -- cached read-only data -------------------------------------------------------------------


@st.cache_resource
def edition() -> Edition:
    """The scheme edition (frozen, read-only: safe to share between sessions)."""
    return load_edition(DEFAULT_EDITION)


@st.cache_data
def samples() -> dict[str, str]:
    """The demo organisations: file stem -> answers file text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES_DIR.glob("*.json"))}


# -- state ---------------------------------------------------------------------------------


def blank_draft() -> dict:
    return {"format": FORMAT, "version": VERSION, "scheme": DEFAULT_EDITION,
            "organisation": {"name": ""}}


def first_lang() -> str:
    """``?lang=`` in the address (a shared link, the briefing's QR code), else the browser's
    language, if it is one of ours; Traditional Chinese otherwise."""
    asked = st.query_params.get("lang")
    if asked in LANGS:
        return asked
    try:
        locale = (st.context.locale or "").lower()
    except Exception:  # noqa: BLE001 - no browser context (tests, bare runs)
        locale = ""
    if locale.startswith("en"):
        return "en"
    if locale in ("zh-cn", "zh-sg") or locale.startswith("zh-hans"):
        return "zh-hans"
    return "zh"


def init_state() -> None:
    ss = st.session_state
    if ANSWERS not in ss:
        ss[ANSWERS] = blank_draft()
    if LANG not in ss or ss[LANG] not in LANGS:
        ss[LANG] = first_lang()
    if AS_OF not in ss:
        ss[AS_OF] = dt.date.today()
    ss.setdefault(UNSURE, set())
    ss.setdefault(TRIED, set())


def lang() -> str:
    return st.session_state.get(LANG, "zh")


def T(key: str, **params: object) -> str:
    """A UI message in the session's language."""
    return t(key, lang(), **params)


def P(text: Any) -> str:
    """An edition text (``Text``/``Benefit``/``Category``: zh and en) in the session's language."""
    return pick(text.zh, text.en, lang())


def draft() -> dict:
    return st.session_state[ANSWERS]


def get_answer(path: str) -> Any:
    node: Any = draft()
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_answer(path: str, value: Any) -> None:
    """Change one answer: a new dict replaces the old one (never mutated in place)."""
    new = copy.deepcopy(draft())
    node = new
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    st.session_state[ANSWERS] = new


def replace_answers(answers: Answers) -> None:
    """Take a whole answers file (resume, demo): the draft becomes exactly its contents."""
    st.session_state[ANSWERS] = json.loads(answers.to_json())
    st.session_state[UNSURE] = set()
    st.session_state[TRIED] = set()


def answers_or_error() -> tuple[Answers | None, AnswersError | None]:
    """The draft checked like an answers file."""
    try:
        return parse_answers_data(draft()), None
    except AnswersError as err:
        return None, err


def field_errors(paths: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Problems with the given answers, by path, in the session's language."""
    _, err = answers_or_error()
    if err is None:
        return {}
    out: dict[str, str] = {}
    for (field, _key, _params), shown in zip(err.problems, err.errors(lang()), strict=True):
        for path in paths:
            if field == path or field.startswith(path + "[") or field.startswith(path + "."):
                out.setdefault(path, shown.message)
    return out


def is_answered(path: str) -> bool:
    value = get_answer(path)
    if path == "organisation.name":
        return bool((value or "").strip())
    return value is not None or path in st.session_state.get(UNSURE, set())


def as_of() -> dt.date:
    return st.session_state.get(AS_OF) or dt.date.today()


def current_result() -> tuple[Answers | None, Result | None]:
    answers, _ = answers_or_error()
    if answers is None:
        return None, None
    return answers, evaluate(answers, as_of(), lang(), edition())


# -- text helpers -----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def md(text: str) -> str:
    """User text made safe to put inside Markdown: every Markdown character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def date_text(day: dt.date | None) -> str:
    if day is None:
        return T("ui_no_date")
    if lang() == "en":
        return day.strftime("%-d %B %Y")
    return localise(f"{day.year}年{day.month}月{day.day}日", lang())


def status_text(status: str) -> str:
    """A status as icon + word (never by colour alone)."""
    return f"{STATUS_ICON[status]} {T('status_' + status)}"


def status_badge(status: str) -> str:
    return f":{STATUS_BADGE[status]}-badge[{status_text(status)}]"


def category_label(set_id: str, cat_id: str) -> str:
    for cat in edition().category_set(set_id).categories:
        if cat.id == cat_id:
            return P(cat)
    return cat_id


def award_name(award_id: str) -> str:
    return P(edition().award(award_id).name)


# -- questions (every widget keyed, value rebuilt from the answers) --------------------------


def _key(path: str) -> str:
    return f"w.{path}"


def _mark_touched(path: str) -> None:
    st.session_state.setdefault("_touched", set()).add(path)


def touched(path: str) -> bool:
    return path in st.session_state.get("_touched", set())


def _on_change(path: str, convert: Callable[[Any], Any]) -> None:
    set_answer(path, convert(st.session_state[_key(path)]))
    _mark_touched(path)


def _show_error(path: str, errors: dict[str, str]) -> None:
    if path in errors:
        st.error(T("ui_field_error", message=errors[path]), icon=":material/error:")


def choice_question(path: str, label: str, options: dict[str, str], help: str | None = None,
                    errors: dict[str, str] | None = None) -> None:
    """One answer out of a few (radio): ``options`` maps answer id -> label."""
    key = _key(path)
    value = get_answer(path)
    st.session_state[key] = value if value in options else None
    st.radio(label, list(options), format_func=options.__getitem__, key=key, help=help,
             on_change=_on_change, args=(path, lambda v: v))
    _show_error(path, errors or {})


def select_question(path: str, label: str, options: dict[str, str], help: str | None = None,
                    errors: dict[str, str] | None = None) -> None:
    """One answer out of many (select box)."""
    key = _key(path)
    value = get_answer(path)
    st.session_state[key] = value if value in options else None
    st.selectbox(label, list(options), format_func=options.__getitem__, key=key, help=help,
                 placeholder=T("ui_choose"), on_change=_on_change, args=(path, lambda v: v))
    _show_error(path, errors or {})


def _yes_no_convert(path: str) -> Callable[[Any], Any]:
    def convert(choice: Any) -> bool | None:
        unsure = st.session_state[UNSURE]
        if choice == "unsure":
            unsure.add(path)
        else:
            unsure.discard(path)
        return {"yes": True, "no": False}.get(choice)
    return convert


def yes_no_question(path: str, label: str, help: str | None = None,
                    errors: dict[str, str] | None = None) -> None:
    """Yes / No / Not sure yet (stored as true / false / null)."""
    key = _key(path)
    value = get_answer(path)
    if value is True:
        shown = "yes"
    elif value is False:
        shown = "no"
    else:
        shown = "unsure" if path in st.session_state[UNSURE] else None
    st.session_state[key] = shown
    options = {"yes": T("answer_yes"), "no": T("answer_no"), "unsure": T("ui_unsure")}
    st.radio(label, list(options), format_func=options.__getitem__, key=key, help=help,
             horizontal=True, on_change=_on_change, args=(path, _yes_no_convert(path)))
    _show_error(path, errors or {})


def text_question(path: str, label: str, max_chars: int, help: str | None = None,
                  placeholder: str | None = None, errors: dict[str, str] | None = None,
                  required: bool = False) -> None:
    key = _key(path)
    st.session_state[key] = get_answer(path) or ""

    def convert(v: str) -> str | None:
        v = (v or "").strip()
        return v if (v or required) else None

    st.text_input(label, key=key, max_chars=max_chars, help=help, placeholder=placeholder,
                  on_change=_on_change, args=(path, convert))
    _show_error(path, errors or {})


def number_question(path: str, label: str, min_value: int, max_value: int, help: str | None = None,
                    errors: dict[str, str] | None = None) -> None:
    key = _key(path)
    value = get_answer(path)
    st.session_state[key] = value if isinstance(value, int) and min_value <= value <= max_value else None
    st.number_input(label, min_value=min_value, max_value=max_value, step=1, key=key, help=help,
                    placeholder=T("ui_number_placeholder"), on_change=_on_change,
                    args=(path, lambda v: None if v is None else int(v)))
    _show_error(path, errors or {})


def date_question(path: str, label: str, help: str | None = None,
                  errors: dict[str, str] | None = None) -> None:
    key = _key(path)
    value = get_answer(path)
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    st.session_state[key] = day
    st.date_input(label, key=key, help=help, min_value=DATE_MIN,
                  max_value=DATE_MAX, format="YYYY-MM-DD",
                  on_change=_on_change, args=(path, lambda v: v.isoformat() if v else None))
    _show_error(path, errors or {})


def category_checkboxes(path: str, choices: list[tuple[str, str]], order: tuple[str, ...]) -> None:
    """Several categories (one checkbox each): the answer is the list of checked ids."""
    chosen = list(get_answer(path) or [])

    def toggle(cat_id: str) -> None:
        current = set(get_answer(path) or [])
        if st.session_state[_key(f"{path}.{cat_id}")]:
            current.add(cat_id)
        else:
            current.discard(cat_id)
        set_answer(path, [c for c in order if c in current] + sorted(current - set(order)))
        _mark_touched(path)

    for cat_id, label in choices:
        key = _key(f"{path}.{cat_id}")
        st.session_state[key] = cat_id in chosen
        st.checkbox(label, key=key, on_change=toggle, args=(cat_id,))


# -- frame: progress, navigation, banner, files -----------------------------------------------


def progress(step: str) -> None:
    """Where the user is in the wizard, and how many questions are answered."""
    number = STEP_ORDER.index(step) + 1
    paths = [p for s in STEP_ORDER for p in STEPS[s]]
    answered = sum(is_answered(p) for p in paths)
    st.progress(answered / len(paths),
                text=T("ui_progress", step=number, steps=len(STEP_ORDER), answered=answered,
                       total=len(paths)))


def nav_buttons(page_id: str, can_continue: Callable[[], bool] | None = None) -> None:
    """Back (a link) and Continue (a button) at the foot of a page."""
    index = PAGE_ORDER.index(page_id)
    st.divider()
    back, forward = st.columns(2)
    if index > 0:
        prev_id = PAGE_ORDER[index - 1]
        back.page_link(PAGE_FILE[prev_id], label=T("ui_back"), icon=":material/arrow_back:")
    if index + 1 < len(PAGE_ORDER):
        next_id = PAGE_ORDER[index + 1]
        if forward.button(T("ui_continue"), type="primary", key=f"continue.{page_id}",
                          icon=":material/arrow_forward:", width="stretch"):
            if can_continue is None or can_continue():
                st.session_state[TRIED].discard(page_id)
                st.switch_page(PAGE_FILE[next_id])
            else:
                st.session_state[TRIED].add(page_id)
                st.rerun()


def window_banner() -> None:
    """Say clearly when the edition's application window is closed or not yet open."""
    ed = edition()
    state = window_state(ed, as_of())
    if state == "closed":
        st.warning(T("ui_window_closed", year=ed.year, deadline=date_text(ed.window_closes),
                     as_of=date_text(as_of())), icon=":material/event_busy:")
    elif state == "not_yet_open":
        st.info(T("ui_window_not_open", year=ed.year, opens=date_text(ed.window_opens),
                  as_of=date_text(as_of())),
                icon=":material/schedule:")


def save_button(key: str) -> None:
    """Save: download the answers file (the contract's format)."""
    answers, _ = answers_or_error()
    if answers is None:
        st.caption(T("ui_save_needs_name"))
        return
    st.download_button(T("ui_save"), data=answers.to_json().encode("utf-8"),
                       file_name="hkqaa-ors-answers.json", mime="application/json", key=key,
                       icon=":material/download:", on_click="ignore", help=T("ui_save_help"))


def _on_upload(key: str) -> None:
    """Resume: read an uploaded answers file; a bad file leaves the current answers untouched."""
    uploaded = st.session_state.get(key)
    if uploaded is None:
        return
    size = getattr(uploaded, "size", None) or 0
    try:
        if size > MAX_FILE_BYTES:
            raise AnswersError([("", "err_too_big", {"size": size, "max": MAX_FILE_BYTES})])
        answers = parse_answers(uploaded.getvalue())
    except AnswersError as err:
        st.session_state[UPLOAD_PROBLEMS] = (uploaded.name, err.problems)
        st.session_state[NOTICE] = None
        return
    replace_answers(answers)
    st.session_state[UPLOAD_PROBLEMS] = None
    st.session_state[NOTICE] = ("success", "ui_resumed", {"name": answers.organisation.name})


def resume_uploader(key: str = "resume_upload") -> None:
    st.file_uploader(T("ui_resume_label"), type=["json"], key=key, help=T("ui_resume_help"),
                     on_change=_on_upload, args=(key,))
    problems = st.session_state.get(UPLOAD_PROBLEMS)
    if problems:
        name, items = problems
        errors = AnswersError(items).errors(lang())
        lines = "\n".join(f"- **{md(e.field)}**: {md(e.message)}" for e in errors[:20])
        st.error(T("ui_resume_bad", name=md(name)) + "\n\n" + lines, icon=":material/error:")


def load_sample(stem: str) -> None:
    answers = parse_answers(samples()[stem])
    replace_answers(answers)
    st.session_state[UPLOAD_PROBLEMS] = None
    st.session_state[NOTICE] = ("success", "ui_demo_loaded", {"name": answers.organisation.name})


def show_notice() -> None:
    notice = st.session_state.get(NOTICE)
    if notice:
        kind, key, params = notice
        text = T(key, **{k: md(str(v)) for k, v in params.items()})
        if kind == "success":
            st.success(text, icon=":material/check_circle:")
        else:
            st.info(text)


def needs_name_notice() -> None:
    """Results and timeline need the organisation's name first: say so and link to it."""
    st.info(T("ui_needs_name"), icon=":material/edit:")
    st.page_link(PAGE_FILE["organisation"], label=T("ui_go_organisation"),
                 icon=":material/arrow_forward:")


def answer_text(path: str) -> str:
    """An answer as readable (already Markdown-escaped) text for the check page."""
    value = get_answer(path)
    if path in ("resilience.categories", "carbon.strengths", "esg.sdg_categories"):
        set_id = {"resilience.categories": "resilience_management",
                  "carbon.strengths": "carbon_management",
                  "esg.sdg_categories": "esg_sdg"}[path]
        if value is None:
            return T("not_answered")
        if not value:
            return T("ui_none_chosen")
        return T("list_sep").join(md(category_label(set_id, c)) for c in value)
    if value is None:
        return T("ui_unsure") if path in st.session_state.get(UNSURE, set()) else T("not_answered")
    if isinstance(value, bool):
        return T("answer_yes" if value else "answer_no")
    option_keys = {
        "hygiene_certification": "ui_hygiene_opt_",
        "carbon.certificate_status": "ui_carbon_status_opt_",
        "carbon.certificate_type": "ui_carbon_type_opt_",
        "esg.sr_index": "ui_sr_opt_",
    }
    if path in option_keys:
        return T(option_keys[path] + str(value))
    if path == "esg.sustainability_rating_2021" and value == "none":
        return T("ui_rating_none")
    if path == "planned_submission_date":
        try:
            return date_text(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            return md(str(value))
    if path == "organisation.name" and not str(value).strip():
        return T("not_answered")
    return md(str(value))
