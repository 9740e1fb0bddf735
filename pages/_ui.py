"""Shared view helpers for the wizard's pages: session state, questions, navigation, texts.

The answers live in ONE plain dict in ``st.session_state["answers"]`` (the answers file's shape,
so a draft without an organisation name can be held), written only by widget callbacks.
Widgets never own an answer: each widget's value is rebuilt from that dict on every run, so
answers survive moving between pages in any order. Pages only ask and show; the engine decides.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import streamlit as st

from pages import _applies, _browser
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
from scheme.i18n import LANGS, pick, t
from scheme.render import date_words
from scheme.result import Result

ANSWERS = "answers"  # the one answers object (a dict in the answers file's shape)
LANG = "lang"
AS_OF = "as_of"
UNSURE = "_unsure"  # yes/no questions answered "not sure yet" (stored as null in the answers)
NOTICE = "_notice"  # one-off message after loading a file: (kind, message id, params)
UPLOAD_PROBLEMS = "_upload_problems"  # problems of the last refused file, shown until replaced
TRIED = "_tried"  # pages whose Continue was pressed with something required missing
READY = "_browser_ready"  # the tab's stored copy has been offered (and taken if it was right)
SESSION = "_session_id"  # this session's id, so the browser asks once per session
FROM_CHECK = "_from_check"  # a "Change" link was followed: the page leads back to the check page
CUT = "_cut"  # text answers cut to their length: {path: limit}, said next to the field
FROM_BRIEFING = "_from_briefing"  # a demo opened from the presenter view: Results leads back
GO = "_go"  # a page move asked by a button's callback, made at the start of the next run
FOCUS = "_focus"  # the field the browser puts the focus on after this run (a required one left empty)

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
                 # in the edition's (the brochure's) order, as the Nominees page asks them
                 "commitments.leader_video", "commitments.publication_sharing",
                 "commitments.training"),
}
STEP_ORDER = tuple(STEPS)
ALL_PATHS: tuple[str, ...] = tuple(p for s in STEP_ORDER for p in STEPS[s])
PATH_STEP = {p: s for s in STEP_ORDER for p in STEPS[s]}

# Each question's own short words (shown on the check page and in messages, never the path).
LABELS = {
    "organisation.name": "ui_field_org_name", "organisation.sector": "ui_field_org_sector",
    "organisation.premises": "ui_org_premises", "planned_submission_date": "ui_field_org_planned",
    "hygiene_certification": "ui_check_hygiene", "resilience.categories": "ui_check_resilience",
    "carbon.certificate_status": "ui_check_carbon_status", "carbon.certificate_type": "ui_check_carbon_type",
    "carbon.strengths": "ui_check_carbon_strengths", "carbon.period": "ui_check_carbon_period",
    "esg.sr_index": "ui_check_sr", "esg.sustainability_rating_2021": "ui_check_rating",
    "esg.sdg_categories": "ui_check_sdg",
    "nominees.resilience_leader": "ui_check_resilience_leader",
    "nominees.resilience_frontline": "ui_check_resilience_frontline",
    "nominees.carbon_leader": "ui_check_carbon_leader", "nominees.esg_leader": "ui_check_esg_leader",
    "climate_risk_disclosure": "ui_check_climate",
    "commitments.training": "ui_check_training", "commitments.leader_video": "ui_check_leader_video",
    "commitments.publication_sharing": "ui_check_publication",
    "sr_self_assessment": "ui_page_sr_check",
}

# Status as icon + word (never colour alone); material icons ship with Streamlit's own font.
STATUS_ICON = {"eligible": ":material/check_circle:", "conditional": ":material/error:",
               "not_eligible": ":material/cancel:"}
STATUS_BADGE = {"eligible": "green", "conditional": "orange", "not_eligible": "gray",
                "not_applying": "gray"}
STATUS_ICON["not_applying"] = ":material/do_not_disturb_on:"


# -- cached read-only data -------------------------------------------------------------------


@st.cache_resource
def edition() -> Edition:
    """The scheme edition (frozen, read-only: safe to share between sessions)."""
    return load_edition(DEFAULT_EDITION)


def _favicon_data_url() -> str:
    import base64

    png = (APP_SCRIPT.parent / "assets" / "favicon.png").read_bytes()
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# The favicon as a data: URL (this host's own file, no other host: the CSP allows data: images).
# Streamlit passes a URL through as it is; a file path it read, decoded and stored again on
# every run of every session (py-spy: ~5 % of the server's CPU under load).
FAVICON = _favicon_data_url()


@functools.lru_cache(maxsize=len(LANGS))
def _page_templates(lang: str) -> tuple:
    return tuple(st.Page(path, title=t(title_key, lang), icon=icon, default=page_id == "start")
                 for page_id, path, icon, title_key, _section in PAGES)


def page(page_id: str):
    """The page ``page_id`` to link or move to (``st.page_link``, ``st.switch_page``), in the
    session's language: given a file path instead, Streamlit resolves it on the disk on every
    call (py-spy: ~10 % of a script run's CPU under load, with a Back link on every page)."""
    return _page_templates(lang())[PAGE_ORDER.index(page_id)]


def navigation_pages() -> list:
    """The wizard's pages for ``st.navigation``, in the session's language.

    ``st.Page`` resolves its file's path on the disk each time it is made (py-spy: ~15 % of the
    server's CPU under load, 13 pages on every run): they are made once per language and process,
    and each run gets its own shallow copies, because ``st.navigation`` marks the copy it is about
    to run (a flag that must never be shared between sessions)."""
    return [copy.copy(template) for template in _page_templates(lang())]


@st.cache_data
def samples() -> dict[str, str]:
    """The demo organisations: file stem -> answers file text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SAMPLES_DIR.glob("*.json"))}


@functools.cache
def demo_names() -> tuple[tuple[str, str], ...]:
    """The demo organisations' (file stem, organisation name), read once per process: the
    start page listed them by reading and checking all eight files on every run of the page
    (~6 % of a room opening the app at once)."""
    return tuple((stem, parse_answers(text).organisation.name) for stem, text in samples().items())


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
    ss.setdefault(CUT, {})
    if SESSION not in ss:
        import uuid

        ss[SESSION] = uuid.uuid4().hex


def start_over() -> None:
    """Forget every answer, the planning date and the tab's stored copy (the language stays)."""
    ss = st.session_state
    ss[ANSWERS] = blank_draft()
    ss[AS_OF] = dt.date.today()
    for key in (UNSURE, TRIED, "_touched"):
        ss[key] = set()
    ss[CUT] = {}
    for key in (NOTICE, UPLOAD_PROBLEMS, FROM_CHECK, FROM_BRIEFING):
        ss[key] = None
    ss["_started_over"] = True


def _check_stored_answers(data: Any) -> dict | None:
    """A stored draft checked like an uploaded file (a draft may lack its name: that alone is fine)."""
    if not isinstance(data, dict):
        return None
    trial = copy.deepcopy(data)
    org = trial.get("organisation")
    unnamed = isinstance(org, dict) and isinstance(org.get("name"), str) and not org["name"].strip()
    if unnamed:
        org["name"] = "-"
    try:
        answers = parse_answers_data(trial)
    except (AnswersError, RecursionError, TypeError, ValueError):
        return None
    out = json.loads(answers.to_json())
    if unnamed:
        out["organisation"]["name"] = ""
    return out


def _on_restore() -> None:
    ss = st.session_state
    if ss.get(READY):
        return
    ss[READY] = True
    value = ss.get("ors_browser")
    text = getattr(value, "restore", None)
    if text is None and isinstance(value, dict):
        text = value.get("restore")
    stored = _browser.read_stored(text, LANGS, DATE_MIN, DATE_MAX, _check_stored_answers)
    if stored is None:
        if text:
            ss[NOTICE] = ("info", "ui_restore_refused", {}, "frame")
        return
    ss[ANSWERS] = stored["answers"]
    ss[UNSURE] = {p for p in stored["unsure"] if p in PATH_STEP}
    if stored["lang"]:
        ss[LANG] = stored["lang"]
    if stored["as_of"]:
        ss[AS_OF] = stored["as_of"]


def stored_state() -> dict:
    """What the tab keeps: the draft in the answers file's format, the language and the date."""
    return {"answers": effective_draft(), "lang": lang(), "as_of": as_of().isoformat(),
            "unsure": sorted(p for p in st.session_state.get(UNSURE, set()) if applies(p))}


def browser_sync() -> None:
    """Keep the tab's copy up to date (after the first hand-shake), or offer it back once."""
    ss = st.session_state
    ready = bool(ss.get(READY))
    state = None if (not ready or ss.pop("_started_over", False)) else stored_state()
    ss["_sync_seq"] = ss.get("_sync_seq", 0) + 1
    _browser.sync(state, ready, ss[SESSION], ss["_sync_seq"], _on_restore, lang(), ss.pop(FOCUS, None))


def start_over_control() -> None:
    """Start over: asks first, then clears the answers, the date and the tab's stored copy."""
    with st.popover(T("ui_start_over"), icon=":material/restart_alt:"):
        st.markdown(T("ui_start_over_ask"))
        if st.button(T("ui_start_over_confirm"), key="start_over.confirm", type="primary",
                     icon=":material/delete:"):
            start_over()
            st.switch_page(page("start"))


def _back_to_briefing() -> None:
    st.session_state[FROM_BRIEFING] = None
    go_to("briefing")  # moved by the frame at the next run, before this page is drawn again


def briefing_return() -> None:
    """For a demo opened from the presenter view: the way back to it, and on a big screen (a
    projector at 1920x1080) the page at a size a room can read, as the presenter view is."""
    if not st.session_state.get(FROM_BRIEFING):
        return
    st.html("""<style>
@media (min-width: 1600px) and (min-height: 1000px) {
  [data-testid="stMainBlockContainer"] { zoom: 1.35; } }
</style>""")
    st.button(T("ui_back_to_briefing"), key="results.back_to_briefing", icon=":material/co_present:",
              on_click=_back_to_briefing)


# The language of the run being drawn, read once (``one_language``): Results asked the session
# state for it ~300 times a run (12 µs each through Streamlit's proxy: 5-10 % of the page's script
# time). A context variable is the script thread's own (one session's), and holds it only while
# the frame draws, when nothing changes it (the language switch and a restored draft change it in
# their callbacks, before a run); elsewhere lang() reads the session state.
_RUN_LANG: contextvars.ContextVar[str | None] = contextvars.ContextVar("ors_run_lang", default=None)


def lang() -> str:
    known = _RUN_LANG.get()
    return known if known is not None else st.session_state.get(LANG, "zh")


@contextlib.contextmanager
def one_language() -> Iterator[None]:
    """While the frame draws a run: the session's language, read once."""
    token = _RUN_LANG.set(st.session_state.get(LANG, "zh"))
    try:
        yield
    finally:
        _RUN_LANG.reset(token)


def T(key: str, **params: object) -> str:
    """A UI message in the session's language."""
    return t(key, lang(), **params)


def P(text: Any) -> str:
    """An edition text (``Text``/``Benefit``/``Category``: zh and en) in the session's language."""
    return pick(text.zh, text.en, lang())


def scheme_dates() -> str:
    """The scheme's dates as a Markdown list, each with whom it concerns where not everyone
    (edition texts only: nothing of the user's)."""
    lines = []
    for m in edition().milestones:
        line = f"- **{P(m.when)}** — {P(m.label)}"
        if m.applies_to is not None:
            line += T("ui_milestone_applies_to", who=P(m.applies_to))
        lines.append(line)
    return "\n".join(lines)


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
    notice = st.session_state.get(NOTICE)
    if notice and notice[3] == "frame":
        st.session_state[NOTICE] = None  # said until the user carries on


def replace_answers(answers: Answers) -> None:
    """Take a whole answers file (resume, demo): the draft becomes exactly its contents."""
    st.session_state[ANSWERS] = json.loads(answers.to_json())
    st.session_state[UNSURE] = set()
    st.session_state[TRIED] = set()
    st.session_state[FROM_BRIEFING] = None  # the briefing's demos set it again after this


def _derived() -> dict:
    """What follows from the draft (which questions apply, the pruned draft, its check), worked
    out once per version of the draft: every change replaces the draft dict, never mutates it,
    so its identity says whether anything changed (a click that changes nothing costs nothing)."""
    ss = st.session_state
    current = draft()
    memo = ss.get("_derived")
    if memo is not None and memo["draft"] is current:
        return memo
    ed = edition()
    memo = {"draft": current, "applies": {p: _applies.applies(ed, current, p) for p in ALL_PATHS}}
    memo["effective"] = _applies.prune(ed, current, ALL_PATHS)
    try:
        memo["answers"], memo["error"] = parse_answers_data(memo["effective"]), None
    except AnswersError as err:
        memo["answers"], memo["error"] = None, err
    ss["_derived"] = memo
    return memo


def applies(path: str) -> bool:
    """Does this question apply, given the other answers? (the rules: ``pages/_applies.py``)"""
    known = _derived()["applies"]
    return known[path] if path in known else _applies.applies(edition(), draft(), path)


def applicable(paths) -> list[str]:
    return [p for p in paths if applies(p)]


def effective_draft() -> dict:
    """The draft without the answers that no longer apply (what the verdict and files see)."""
    return _derived()["effective"]


def answers_or_error() -> tuple[Answers | None, AnswersError | None]:
    """The draft (without answers that no longer apply) checked like an answers file."""
    memo = _derived()
    return memo["answers"], memo["error"]


def field_errors(paths: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Problems with the given answers, by path, in the session's language."""
    _, err = answers_or_error()
    if err is None:
        return {}
    out: dict[str, str] = {}
    for (field, _key, _params), shown in zip(err.problems, err.errors(lang()), strict=True):
        for path in paths:
            if field == path or field.startswith(path + "[") or field.startswith(path + "."):
                out.setdefault(path, inert(shown.message))  # may quote what was typed
    return out


def field_words(field: str) -> str:
    """A problem's field in the question's own words (never the dotted path)."""
    base = re.split(r"[\[]", field or "", maxsplit=1)[0]
    while base and base not in LABELS:
        base = base.rpartition(".")[0]
    if base:
        return T(LABELS[base])
    return inert(field) if field else T("ui_whole_file")  # a key of the user's own file


def is_answered(path: str) -> bool:
    if not applies(path):
        return False
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


def set_as_of(day: dt.date) -> None:
    st.session_state[AS_OF] = day


# -- text helpers -----------------------------------------------------------------------------

# Characters that steer how a line reads but are not text: bidi embeddings, overrides, isolates
# and marks, and every other control or line/paragraph separator.
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\u2028\u2029"
                        "\x00-\x1f\x7f-\x9f]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'@^%;/])")
_WJ = "\u2060"  # WORD JOINER: invisible, and no shortcode, link or e-mail pattern runs across it
# Patterns Streamlit's Markdown turns into something else even when escaped: icon and emoji
# shortcodes (":name:"), autolinked addresses (``www.``, ``scheme://``, ``user@host``).
# A joiner after every ":" that something other than a space follows (a shortcode or a scheme
# starts there; before a space none can, and a joiner there went along into every copied
# "Commitment: …"), after every "@", and after each "w" that two more follow, so that no three
# run together however many there are ("Wwww." once kept "www." whole).
_BREAK = re.compile(r":(?=\S)|w(?=ww)|@", re.IGNORECASE)


def inert(text: object, limit: int | None = None) -> str:
    """User text made inert for any Markdown Streamlit renders (labels, messages, tables' cells).

    One line (line breaks and controls become spaces), no bidi overrides or marks, every Markdown
    character escaped, and shortcodes and autolinks broken by an invisible word joiner, so a name
    reads exactly as typed: never bold, a link, an icon, an emoji, HTML or reversed. ``limit``
    cuts it to that many characters first (with an ellipsis).
    """
    value = str(text)
    if limit is not None and len(value) > limit:
        value = value[:limit] + "…"
    value = _INVISIBLE.sub(" ", value)
    value = _BREAK.sub(lambda m: m.group(0) + _WJ, value)
    return _MD_SPECIAL.sub(r"\\\1", value)


def verdict_text(text: str) -> str:
    """A reason or action (the engine's words, which may quote what the user typed) made inert,
    with HKQAA's own e-mail address and website given back whole: ``inert`` puts an invisible
    word joiner into any address, which stopped a link forming but went along when the address
    was copied into a mail program."""
    out = inert(text)
    contact = edition().contact
    for trusted in (contact.email, contact.website):
        out = out.replace(inert(trusted), trusted)
    return out


def date_text(day: dt.date | None) -> str:
    if day is None:
        return T("ui_no_date")
    return date_words(day, lang())


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
    limit = st.session_state.get(CUT, {}).get(path)
    if limit:
        st.info(T("ui_text_cut", limit=limit), icon=":material/content_cut:")


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
        # A longer paste keeps its first ``max_chars`` characters, and says so next to the field
        # (the widget has no limit of its own: it would drop a longer paste without a word).
        v = (v or "").strip()
        cut = st.session_state.setdefault(CUT, {})
        if len(v) > max_chars:
            v = v[:max_chars].strip()
            cut[path] = max_chars
        else:
            cut.pop(path, None)
        return v if (v or required) else None

    st.text_input(label, key=key, help=help, placeholder=placeholder,
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


def category_checkboxes(path: str, choices: list[tuple[str, str]], order: tuple[str, ...],
                        label: str) -> None:
    """Several categories (one checkbox each): the answer is the list of checked ids.

    ``label`` (Markdown: the question, or the name of a group of categories) is drawn first, and
    the browser makes the list a group named by it (pages/_browser.py: ``role="group"``), so that
    a screen reader moving into the first checkbox says what the boxes are for."""
    chosen = list(get_answer(path) or [])

    def toggle(cat_id: str) -> None:
        current = set(get_answer(path) or [])
        if st.session_state[_key(f"{path}.{cat_id}")]:
            current.add(cat_id)
        else:
            current.discard(cat_id)
        set_answer(path, [c for c in order if c in current] + sorted(current - set(order)))
        _mark_touched(path)

    with st.container(key=f"{_browser.GROUP_KEY}{path}-{choices[0][0]}"):
        st.markdown(label)
        for cat_id, text in choices:
            key = _key(f"{path}.{cat_id}")
            st.session_state[key] = cat_id in chosen
            st.checkbox(text, key=key, on_change=toggle, args=(cat_id,))


# -- frame: progress, navigation, banner, files -----------------------------------------------


def progress(step: str) -> None:
    """Where the user is in the wizard, and how many questions are answered."""
    number = STEP_ORDER.index(step) + 1
    paths = applicable(ALL_PATHS)  # only the questions that apply count
    answered = sum(is_answered(p) for p in paths)
    # "Not sure yet" is an answer to the wizard, but the verdict still waits for it (Results
    # asks it again): say how many, so that "all answered" and Results agree
    unsure = sum(get_answer(p) is None and p in st.session_state.get(UNSURE, set()) for p in paths)
    text = T("ui_progress", step=number, steps=len(STEP_ORDER), answered=answered, total=len(paths))
    if unsure:
        text += T("ui_progress_unsure", count=unsure)
    st.progress(answered / max(len(paths), 1), text=text)


def nav_buttons(page_id: str, required: str | None = None) -> None:
    """Back (a link) and Continue (a button) at the foot of a page; ``required``: the answer
    (a text) without which Continue stays on the page, says why, and puts the focus there."""
    index = PAGE_ORDER.index(page_id)
    can_continue = (lambda: bool((get_answer(required) or "").strip())) if required else None
    move = {"check": can_continue, "tried": page_id, "focus": required}
    st.divider()
    if st.session_state.get(FROM_CHECK) not in (None, page_id):
        st.session_state[FROM_CHECK] = None  # went elsewhere: the round trip is over
    if st.session_state.get(FROM_CHECK) == page_id:
        # Came here through a "Change" link on the check page: go straight back there.
        st.button(T("ui_back_to_check"), type="primary", key=f"to_check.{page_id}",
                  icon=":material/checklist:", width="stretch", on_click=go_to,
                  args=("check",), kwargs=move)
        return
    back, forward = st.columns(2)
    if index > 0:
        prev_id = PAGE_ORDER[index - 1]
        back.page_link(page(prev_id), label=T("ui_back"), icon=":material/arrow_back:")
    if index + 1 < len(PAGE_ORDER):
        next_id = PAGE_ORDER[index + 1]
        forward.button(T("ui_continue"), type="primary", key=f"continue.{page_id}",
                       icon=":material/arrow_forward:", width="stretch", on_click=go_to,
                       args=(next_id,), kwargs=move)


def go_to(page_id: str, check: Callable[[], bool] | None = None, tried: str | None = None,
          focus: str | None = None) -> None:
    """A button's callback: go to ``page_id`` (when ``check()`` agrees) at the very start of the
    run the click causes, before the page the button is on is drawn again (``follow_go``).

    With ``if st.button(...): st.switch_page(...)`` that page ran, and was sent to the browser,
    once more for nothing before the next one: about half of every Continue click's messages.
    The check runs there too, once every callback of the click (a field typed just before
    Continue) has changed the answers. ``tried``: the page whose missing answers are then shown;
    ``focus``: the answer whose field then takes the focus.
    """
    st.session_state[GO] = (page_id, check, tried, focus)


def follow_go() -> None:
    """The frame calls this first: a move asked by a button's callback (``go_to``)."""
    go = st.session_state.get(GO)
    if go is None:
        return
    st.session_state[GO] = None
    page_id, check, tried, focus = go
    if check is None or check():
        if tried:
            st.session_state[TRIED].discard(tried)
        if page_id == "check":
            st.session_state[FROM_CHECK] = None  # back from a "Change": the round trip is over
        st.switch_page(page(page_id))
    elif tried:
        st.session_state[TRIED].add(tried)
        if focus:
            focus_on(_key(focus), edit=True)


def focus_on(widget_key: str, edit: bool = False) -> None:
    """Once the next run is drawn, the browser scrolls to this widget and puts the focus there:
    in its field where the reader must type (``edit``: on a phone that opens the keyboard),
    else on the widget itself, from where the next Tab goes on."""
    st.session_state[FOCUS] = (widget_key, edit)


def window_banner() -> None:
    """Say clearly when the edition's application window is closed or not yet open."""
    ed = edition()
    state = window_state(ed, as_of())
    if state == "open":
        return
    with st.container(horizontal=True, vertical_alignment="center", key="window-line", gap="small"):
        if state == "closed":
            st.markdown(":material/event_busy: " + T("ui_window_closed_line", year=ed.year,
                                                       deadline=date_text(ed.window_closes)),
                        width="content")
        else:
            st.markdown(":material/schedule: " + T("ui_window_not_open_line", year=ed.year,
                                                     opens=date_text(ed.window_opens)),
                        width="content")
        with st.popover(T("ui_window_details"), icon=":material/info:"):
            if state == "closed":
                st.markdown(T("ui_window_closed", year=ed.year, deadline=date_text(ed.window_closes),
                              as_of=date_text(as_of())))
            else:
                st.markdown(T("ui_window_not_open", year=ed.year, opens=date_text(ed.window_opens),
                              as_of=date_text(as_of())))
            inside = ed.window_opens
            st.button(T("ui_window_try_open", day=date_text(inside)), key="window.try_open",
                      on_click=set_as_of, args=(inside,), icon=":material/event_available:")


def save_button(key: str) -> None:
    """Save: download the answers file (the contract's format)."""
    answers, _ = answers_or_error()
    if answers is None:
        st.caption(T("ui_save_needs_name"))
        return
    # made when clicked (a deferred download), not stored again on every run of every page
    st.download_button(T("ui_save"), data=lambda: answers.to_json().encode("utf-8"),
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
    st.session_state[NOTICE] = ("success", "ui_resumed", {"name": answers.organisation.name}, "upload")


def resume_uploader(key: str = "resume_upload") -> None:
    st.file_uploader(T("ui_resume_label"), type=["json"], key=key, help=T("ui_resume_help"),
                     on_change=_on_upload, args=(key,))
    if st.session_state.get(key) is None:  # the file is gone from the box (another page, or
        st.session_state[UPLOAD_PROBLEMS] = None  # removed): so is what was wrong with it
    problems = st.session_state.get(UPLOAD_PROBLEMS)
    if problems:
        name, items = problems
        errors = AnswersError(items).errors(lang())
        lines = "\n".join(f"- **{field_words(e.field)}**{T('label_sep')}{inert(e.message)}"
                          for e in errors[:20])
        st.error(T("ui_resume_bad", name=inert(name, 120)) + "\n\n" + lines, icon=":material/error:")
    show_notice("upload")


def load_sample(stem: str) -> None:
    answers = parse_answers(samples()[stem])
    replace_answers(answers)
    st.session_state[UPLOAD_PROBLEMS] = None
    st.session_state[NOTICE] = ("success", "ui_demo_loaded", {"name": answers.organisation.name}, "demo")


def show_notice(where: str) -> None:
    """The one-off message for the control at ``where``, right under it, with the next step."""
    notice = st.session_state.get(NOTICE)
    if not notice or notice[3] != where:
        return
    kind, key, params, _ = notice
    text = T(key, **{k: inert(v) for k, v in params.items()})
    with st.container(key=f"notice-{where}"):
        if kind == "success":
            st.success(text, icon=":material/check_circle:")
            if st.button(T("ui_see_results"), key=f"notice.results.{where}", type="primary",
                         icon=":material/emoji_events:"):
                st.session_state[NOTICE] = None
                st.switch_page(page("results"))
        else:
            st.info(text, icon=":material/info:")


def needs_name_notice() -> None:
    """Results and timeline need the organisation's name first: say so and link to it."""
    st.info(T("ui_needs_name"), icon=":material/edit:")
    st.page_link(page("organisation"), label=T("ui_go_organisation"),
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
        return T("list_sep").join(inert(category_label(set_id, c)) for c in value)
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
            return inert(str(value))
    if path == "organisation.name" and not str(value).strip():
        return T("not_answered")
    return inert(str(value))
