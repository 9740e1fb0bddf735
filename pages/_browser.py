"""The browser side of the frame: the draft kept in the tab's sessionStorage, and small behaviours.

One Streamlit custom component (v2: inline JavaScript, no build step) mounted once per run by the
frame. It keeps the draft answers (the answers file's format), the language and the planning
date in the browser tab's ``sessionStorage``: it survives a reload or a restored tab and is gone
when the tab is closed; the server keeps nothing. On the first run of a page load the component
sends what the tab holds back to Python once (``restore``); Python checks it like an uploaded
file before taking any of it. Until that hand-shake is over the component writes nothing, so a
fresh server session can never wipe the tab's copy.

The same script makes a typed date take effect on Enter (Streamlit's date field applies on blur),
and the CSS switches the timeline between its list (narrow screens) and its chart (wide).
Nothing the user typed is ever put into this HTML: it only travels as data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import streamlit as st

MAX_STORED = 256 * 1024  # characters: far above any real draft; anything larger is refused

# Narrow screens (phones, a split window): the timeline shows its list, wide ones its chart.
NARROW_PX = 700

# A list of checkboxes answering one question is drawn in a container keyed with this prefix,
# its label (Markdown) first: the browser makes it a group named by that label.
GROUP_KEY = "choices-"

_JS = """
const KEY = "hkqaa-ors.draft.v1";
// Focus that a rerun dropped to the page's body (the control was redrawn or disabled, or the
// page changed) goes back where the reader was, once the run is over: on a new page to its
// heading (so the next Tab walks the new page from its top, and a screen reader reads where it
// is); on the same page to the control with the same key (the briefing's Next button, redrawn
// with each slide), or the heading where that control is gone or disabled (the last slide's
// Next). Never taken from anything that holds focus, nor where the reader left it on purpose.
function focusHeading() {
  const main = document.querySelector("[data-testid='stMain']");
  const title = main && (main.querySelector("h1") || main.querySelector("h2"));
  if (title) { title.setAttribute("tabindex", "-1"); title.focus({preventScroll: true}); }
}

// Checkboxes answering one question: a group named by the question (or the categories' group
// name) drawn before them, which a screen reader says on entering the first box. Streamlit's
// checkboxes have no group of their own.
function nameGroups() {
  document.querySelectorAll("[class*='st-key-GROUP_KEY']").forEach((box) => {
    const label = box.querySelector("[data-testid='stMarkdownContainer']");
    const key = [...box.classList].find((c) => c.startsWith("st-key-GROUP_KEY"));
    if (!label || !key) return;
    label.id = "ors-" + key;
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", label.id);
  });
}

function keepFocus(w, wanted) {
  const path = w.location.pathname;
  const moved = w.__orsPath !== undefined && w.__orsPath !== path;
  w.__orsPath = path;
  let tries = 0;
  const tick = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (app && app.getAttribute("data-test-script-state") === "running" && tries++ < 100) {
      setTimeout(tick, 100);
      return;
    }
    nameGroups();
    const now = document.activeElement;
    // asked for (a required field left empty, a subject to read on), unless the reader has
    // already gone on to another field: typing there must not land here
    if (wanted && (!now || now === document.body || now.tagName === "BUTTON")) {
      const widget = document.querySelector("." + wanted.cls);
      const field = widget && widget.querySelector("input, textarea");
      if (field && wanted.edit) { field.focus({preventScroll: false}); return; }
      if (widget) {
        widget.setAttribute("tabindex", "-1");
        widget.scrollIntoView({block: "center"});
        widget.focus({preventScroll: true});
        return;
      }
    }
    if (now && now !== document.body) return;
    if (moved) { focusHeading(); return; }
    const was = w.__orsFocusEl;
    if (!was || (was.isConnected && !was.disabled)) return;  // not lost by the rerun
    const keyed = w.__orsFocusKey && document.querySelector("." + w.__orsFocusKey);
    const control = keyed && keyed.querySelector(
      "button:not([disabled]), input:not([disabled]), a[href], [tabindex]");
    if (control) { control.focus({preventScroll: true}); } else { focusHeading(); }
  };
  setTimeout(tick, 100);
}

export default function (component) {
  const { data, setTriggerValue } = component;
  const w = window;
  if (!w.__orsHooked) {
    w.__orsHooked = true;
    // A typed date takes effect on Enter: leave the field (Streamlit applies on blur), come back.
    document.addEventListener("keydown", (e) => {
      const el = e.target;
      if (e.key === "Enter" && el && el.closest && el.closest("[data-testid='stDateInputField']")) {
        // after the field has handled the key itself; then back into it for the keyboard user
        // (as Tab then a click elsewhere does: to the field's calendar button, then out)
        const field = el.closest("[data-testid='stDateInputField']");
        const button = field.querySelector("button");
        setTimeout(() => {
          if (button) button.focus();
          setTimeout(() => {
            const main = document.querySelector("[data-testid='stMain']");
            if (main) { main.setAttribute("tabindex", "-1"); main.focus({preventScroll: true}); }
            else { document.activeElement.blur(); }
            setTimeout(() => el.isConnected && el.focus({preventScroll: true}), 300);
          }, 0);
        }, 0);
      }
    }, true);
    // The briefing's slides turn with a presenter's clicker: most send Page Down/Page Up (Streamlit's
    // own shortcuts on Next/Previous take only the arrow keys). And a click on the language switch
    // leaves the focus on its option, where the arrow keys then changed the language instead of
    // the slide: on this page a language chosen by a pointer lets go of the focus (from the
    // keyboard the arrows still choose the language, as in any group of options).
    document.addEventListener("keydown", (e) => {
      if (!w.location.pathname.endsWith("/briefing") || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key !== "PageDown" && e.key !== "PageUp") return;
      const el = e.target;
      if (el && el.closest && el.closest("input:not([type=radio]), textarea, select")) return;
      const which = e.key === "PageDown" ? "next" : "prev";
      const button = document.querySelector(`.st-key-brief-${which} button:not([disabled])`);
      e.preventDefault();
      if (button) button.click();
    }, true);
    document.addEventListener("click", (e) => {
      const el = e.target;
      if (!w.location.pathname.endsWith("/briefing") || e.detail === 0) return;  // 0: from keys
      if (el && el.closest && el.closest(".st-key-w-lang")) {
        setTimeout(() => { const now = document.activeElement; if (now && now.blur) now.blur(); }, 0);
      }
    }, true);
    // Where the keyboard was: the keyed control (Streamlit's st-key-… class) last focused.
    document.addEventListener("focusin", (e) => {
      const keyed = e.target && e.target.closest && e.target.closest("[class*='st-key-']");
      w.__orsFocusKey = keyed ? [...keyed.classList].find((c) => c.startsWith("st-key-")) : null;
      w.__orsFocusEl = e.target;
    }, true);
  }
  if (!data) return;
  // The page's language, for screen readers' voices and the browser's hyphenation and fonts.
  if (data.htmlLang) document.documentElement.lang = data.htmlLang;
  keepFocus(w, data.focus);
  if (!data.ready) {
    if (w.__orsAsked !== data.session) {
      w.__orsAsked = data.session;
      let stored = "";
      try { stored = w.sessionStorage.getItem(KEY) || ""; } catch (err) { stored = ""; }
      setTriggerValue("restore", stored);
    }
    return;
  }
  // Only ever move forward: a stale copy of an earlier run (re-mounted while the page
  // rebuilds) must never overwrite what a later run wrote.
  if (w.__orsSeq && w.__orsSeq.session === data.session && w.__orsSeq.seq >= data.seq) return;
  w.__orsSeq = { session: data.session, seq: data.seq };
  try {
    if (data.state === null) { w.sessionStorage.removeItem(KEY); }
    else { w.sessionStorage.setItem(KEY, data.state); }
  } catch (err) { /* storage full or disabled: the session still works, it just won't survive */ }
}
""".replace("GROUP_KEY", GROUP_KEY)

_CSS = f"""
@media (max-width: {NARROW_PX}px) {{ .st-key-timeline-chart {{ display: none !important; }}
  /* a table's long words (a column id, an e-mail) break on a phone: unbroken, they pushed the
     last column off the screen and squeezed a name to one character a line */
  [data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td *,
  [data-testid="stTable"] th * {{ white-space: normal !important;
    overflow-wrap: anywhere !important; word-break: normal !important; }} }}
@media (min-width: {NARROW_PX + 1}px) {{ .st-key-timeline-list {{ display: none !important; }} }}
.st-key-ors-browser {{ display: none !important; }}
/* An upload box's own line ("Drag and drop file here · 1MB per file • JSON") is Streamlit's, in
   English whatever the page's language; every uploader's label says the type and the limit. */
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none !important; }}
/* Captions in the theme's muted grey fall short of 4.5:1 on white: a darker grey passes. */
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; color: #4a5663 !important; }}
*:focus-visible {{ outline: 3px solid #1c4f9c !important; outline-offset: 2px; }}
/* a heading the script focused (after a page change) is a starting point, not a control: no
   ring round it (it showed on the projector's slide title at every arrow key) */
h1[tabindex="-1"]:focus-visible, h2[tabindex="-1"]:focus-visible {{ outline: none !important; }}
/* A radio's or checkbox's own input is visually hidden (clipped), and its outline with it: the
   focus showed only as a faint tint of the option (1.2:1). The option's line takes the outline,
   where the keyboard put the focus (React Aria's data-focus-visible): not after a click or tap. */
[data-testid="stRadio"] label[data-focus-visible],
[data-testid="stCheckbox"] label[data-focus-visible] {{
  outline: 3px solid #1c4f9c !important; outline-offset: 2px; border-radius: 4px; }}
/* Every heading's "Link to heading" anchor was a Tab stop (21 of Results' 48), in English
   whatever the page's language: nobody here shares a link to a heading. */
[data-testid="stHeaderActionElements"] > a[href^="#"] {{ display: none !important; }}
/* A button's label longer than the button wraps onto a second line: Streamlit cut it with "…"
   ("Template (Excel, with the columns expl…" at 200 % zoom), hiding what the button does. */
button [data-testid="stMarkdownContainer"], button [data-testid="stMarkdownContainer"] p {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
/* A collapsed sidebar is off screen but its links stayed in the Tab order (a keyboard user on a
   phone went through every page link, unseen, before the page): hidden, it takes no focus. A
   field's help button sets its own visibility, hence every descendant and !important. */
[data-testid="stSidebar"][data-collapsed="true"],
[data-testid="stSidebar"][data-collapsed="true"] * {{ visibility: hidden !important; }}
/* On a touch screen each option a finger's width high (the options were 21-22 px, stacked with
   no gap: under WCAG 2.5.8's 24 px), the whole line tappable. */
@media (pointer: coarse) {{
  [data-testid="stRadio"] label[data-baseweb="radio"],
  [data-testid="stCheckbox"] label {{ min-height: 28px; align-items: center; margin-bottom: 0; }} }}
"""

_component = None


def _mount():
    global _component  # the registered component definition: read-only, same for every session
    if _component is None:
        _component = st.components.v2.component("hkqaa_ors_browser", js=_JS, css=_CSS,
                                                isolate_styles=False)
    return _component


# The page's language as <html lang> says it (BCP 47): Traditional Chinese as written in Hong Kong.
HTML_LANG = {"zh": "zh-Hant-HK", "en": "en", "zh-hans": "zh-Hans"}


def sync(state: dict | None, ready: bool, session: str, seq: int, on_restore, lang: str = "zh",
         focus: tuple[str, bool] | None = None) -> None:
    """Mount the component: send the state to keep (``None`` clears the tab's copy), the
    page's language, and the widget to put the focus on once this run is drawn (its key, and
    whether in its field to type).

    ``seq`` grows with every run of the session, so the browser never lets an older run's copy
    replace a newer one."""
    payload = {"ready": ready, "session": session, "seq": seq, "htmlLang": HTML_LANG[lang],
               # Streamlit's class for a widget's key (st-key-…, other characters as "-")
               "focus": None if focus is None else {
                   "cls": "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", focus[0].strip()), "edit": focus[1]},
               "state": None if state is None else json.dumps(state, ensure_ascii=False)}
    with st.container(key="ors-browser"):
        _mount()(key="ors_browser", data=payload, on_restore_change=on_restore,
                 height=0, width="stretch")


def read_stored(text: Any, langs, date_min: dt.date, date_max: dt.date,
                check_answers) -> dict | None:
    """What the tab held, checked like an upload: ``None`` when any part of it is not right.

    Returns ``{"answers": dict, "lang": str | None, "as_of": date | None, "unsure": [paths]}``.
    ``check_answers(dict) -> dict | None`` validates the draft as an answers file.
    """
    if not isinstance(text, str) or not text or len(text) > MAX_STORED:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    answers = check_answers(data.get("answers"))
    if answers is None:
        return None
    lang = data.get("lang")
    lang = lang if isinstance(lang, str) and lang in langs else None
    as_of = None
    if isinstance(data.get("as_of"), str):
        try:
            day = dt.date.fromisoformat(data["as_of"])
            as_of = day if date_min <= day <= date_max else None
        except ValueError:
            as_of = None
    unsure = data.get("unsure")
    unsure = [p for p in unsure if isinstance(p, str)][:64] if isinstance(unsure, list) else []
    return {"answers": answers, "lang": lang, "as_of": as_of, "unsure": unsure}
