// The one-screen workspace: the data, the network and its output side by side, and everything
// else one click away in the side panel, whose sheets keep their state while closed; the
// network's two faces (Neurons and Nodes); on a phone, the tab bar that shows one column at a
// time. Escape closes the side panel; focus goes back to what opened it, without scrolling.
//
// Events: fcnn:sheet {name} when a sheet opens (name null when the panel closes),
//         fcnn:face {face} when the network's face changes.
import { $ } from "./dom.js";
import { emit } from "./events.js";

const TITLES = {
  trace: "Trace one mini-batch",
  node: "The node's formulas",
  preview: "The table",
  results: "Results",
  predict: "Predict",
  inside: "Norms and gradients",
  rate: "Learning rate",
  save: "Save and share",
  units: "Units not drawn",
};

const state = { sheet: null, opener: null };

const panel = () => $("side-panel");
const sheets = () => [...panel().querySelectorAll(".sheet")];

export const openSheet = () => state.sheet;

function focusInside(sheet) {
  const target = sheet.querySelector("button:not(:disabled), input:not(:disabled), select, a[href], summary, [tabindex='0']") || $("side-close");
  target.focus({ preventScroll: true });
}

// Opens the side panel on sheet `name`; with focus, the keyboard moves into it.
export function showSheet(name, { focus = true } = {}) {
  if (!TITLES[name]) throw new Error(`no sheet ${name}`);
  if (state.sheet !== name) state.opener = document.activeElement;
  for (const sheet of sheets()) sheet.hidden = sheet.dataset.sheet !== name;
  panel().hidden = false;
  panel().dataset.sheet = name;
  Object.assign(document.querySelector(".workspace").dataset, { side: "open", sheet: name });
  document.body.dataset.side = "open";
  $("side-panel-title").textContent = TITLES[name];
  for (const button of document.querySelectorAll("[data-open-sheet]")) button.setAttribute("aria-expanded", String(button.dataset.openSheet === name));
  state.sheet = name;
  emit("fcnn:sheet", { name });
  if (focus) focusInside(panel().querySelector(`.sheet[data-sheet="${name}"]`));
}

export function closeSheet() {
  if (!state.sheet) return;
  state.sheet = null;
  panel().hidden = true;
  delete panel().dataset.sheet;
  document.querySelector(".workspace").dataset.side = "closed";
  delete document.querySelector(".workspace").dataset.sheet;
  document.body.dataset.side = "closed";
  for (const button of document.querySelectorAll("[data-open-sheet]")) button.setAttribute("aria-expanded", "false");
  emit("fcnn:sheet", { name: null });
  const back = state.opener;
  state.opener = null;
  if (back && back.isConnected && !back.disabled && back.offsetParent) back.focus({ preventScroll: true });
}

// The network's face: "neurons" (units and weights) or "nodes" (the engine's graph), in the same place.
export function setFace(face) {
  const select = $("network-face");
  if (select.value !== face) select.value = face;
  const stage = $("network-stage");
  if (stage.dataset.face === face) return;
  stage.dataset.face = face;
  $("neurons-face").hidden = face !== "neurons";
  $("graph-view").hidden = face !== "nodes";
  emit("fcnn:face", { face });
}

export const currentFace = () => $("network-stage").dataset.face;

// A phone's tab: the column shown (data, network, output) or the list of everything else (more).
export function setTab(tab) {
  // a sheet is left for another tab; the network's tab keeps a trace or a node's formulas under it
  if (state.sheet && !(tab === "network" && ["trace", "node"].includes(state.sheet))) closeSheet();
  document.body.dataset.tab = tab;
  for (const button of document.querySelectorAll(".tabbar [data-tab]")) button.setAttribute("aria-pressed", String(button.dataset.tab === tab));
  emit("fcnn:tab", { tab });
}

export function wireWorkspace() {
  for (const button of document.querySelectorAll("[data-open-sheet]")) {
    button.setAttribute("aria-controls", "side-panel");
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", () => (state.sheet === button.dataset.openSheet ? closeSheet() : showSheet(button.dataset.openSheet)));
  }
  $("side-close").addEventListener("click", closeSheet);
  $("network-face").addEventListener("change", (event) => setFace(event.target.value));
  for (const button of document.querySelectorAll(".tabbar [data-tab]")) button.addEventListener("click", () => setTab(button.dataset.tab));
  // Escape closes the side panel (a trace open in it is left: trace-panel.js hears the same key)
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.sheet && !event.defaultPrevented) closeSheet();
  });
  // the whole page takes a dropped file, as the drop zone does (app.js loads it)
  document.addEventListener("dragenter", (event) => {
    if ([...(event.dataTransfer?.types || [])].includes("Files")) document.body.classList.add("dragging");
  });
  for (const name of ["drop", "dragend"]) document.addEventListener(name, () => document.body.classList.remove("dragging"));
  document.addEventListener("dragleave", (event) => {
    if (!event.relatedTarget) document.body.classList.remove("dragging");
  });
}
