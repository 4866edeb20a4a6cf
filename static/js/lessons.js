// Lessons (fcnn/run/lessons.json → facts.lessons): a sample, settings and a few sentences on
// what to watch, and a variation to try. Each is a link too: #lesson=NAME (and &try=1 for its
// variation); the page's share link of a lesson names it (share-link.js reads app.lesson).
import { $, el } from "./dom.js";
import { facts } from "./facts.js";
import * as loading from "./data-loading.js";
import { app } from "./page.js";
import { shareHash, updateShareLink } from "./share-link.js";
import { pushUrlState } from "./url-state.js";
import * as modelPanel from "./views/model-panel.js";

const lessonNamed = (name) => (facts.lessons || []).find((lesson) => lesson.name === name) || null;

// The lesson (and whether its variation) a link names, or null.
export function lessonFromHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const lesson = lessonNamed(params.get("lesson"));
  return lesson ? { lesson, tried: params.get("try") === "1" } : null;
}

// A lesson's settings over the defaults (as tests/run/test_lessons.py trains them), its variation's over those.
export function lessonSettings(lesson, tried) {
  return { ...facts.defaults, ...lesson.settings, ...(tried ? lesson.try.settings : {}), sample: lesson.sample };
}

function showLessonText(lesson) {
  const box = $("lesson-text");
  const tryButton = el("button", "Try this", { type: "button", class: "secondary", "data-testid": "lesson-try" });
  tryButton.addEventListener("click", () => tryVariation(lesson));
  box.replaceChildren(
    el("p", lesson.text),
    el("p", lesson.try.text, { "data-testid": "lesson-try-text" }),
    tryButton,
  );
  box.hidden = false;
}

function tryVariation(lesson) {
  modelPanel.applyModelSettings(lesson.try.settings);
  app.lessonTried = true;
  // the controls changed: the share link and the planned graph follow (app.js listens on main)
  document.querySelector("main").dispatchEvent(new Event("change", { bubbles: true }));
  $("lesson-text").dataset.tried = "true";
}

// Shows a lesson chosen (or opened by a link) whose settings are already on the controls.
export function showLesson(lesson, tried) {
  $("lesson-select").value = lesson.name;
  app.lesson = lesson.name;
  app.lessonTried = tried;
  showLessonText(lesson);
  $("lesson-text").dataset.tried = String(tried);
}

function openLesson(lesson) {
  modelPanel.applyModelSettings(lessonSettings(lesson, false));
  showLesson(lesson, false);
  $("sample-select").value = lesson.sample;
  document.querySelector("main").dispatchEvent(new Event("change", { bubbles: true }));
  // the lesson is a history entry of its own (once its sample is loaded): Back returns to what was before it
  loading.requestSample(lesson.sample, { task: lesson.settings.task || null }).then(() => {
    updateShareLink();
    if (app.lesson === lesson.name) pushUrlState(shareHash());
  });
}

export function forgetLesson() {
  app.lesson = "";
  app.lessonTried = false;
  $("lesson-text").hidden = true;
  $("lesson-text").replaceChildren();
}

// The select, filled from the facts; choosing a lesson opens it, another sample leaves it.
export function wireLessons() {
  const select = $("lesson-select");
  const none = el("option", "— choose a lesson —");
  none.value = "";
  const options = (facts.lessons || []).map((lesson) => {
    const option = el("option", lesson.title);
    option.value = lesson.name;
    return option;
  });
  select.replaceChildren(none, ...options);
  select.addEventListener("change", () => {
    const lesson = lessonNamed(select.value);
    if (lesson) openLesson(lesson);
    else forgetLesson();
  });
  $("sample-select").addEventListener("change", (e) => {
    const lesson = lessonNamed(app.lesson);
    if (lesson && e.target.value !== lesson.sample) {
      select.value = "";
      forgetLesson();
    }
  });
}
