// The run's configuration as the controls hold it, and the links that reopen it: the plain
// link holds a sample's name and its column choices, never anything from a user's file; the
// data link ("Link with the data", data-link.js) carries the loaded table in its fragment.
import { $ } from "./dom.js";
import { facts } from "./facts.js";
import { held } from "./held.js";
import { app } from "./page.js";
import { toHash } from "./state.js";
import { dataHash, packTable } from "./data-link.js";
import * as dataPanel from "./views/data-panel.js";
import * as modelPanel from "./views/model-panel.js";

export function readConfig() {
  return {
    target: $("target-select").value,
    features: dataPanel.chosenFeatures(),
    task: $("task-select").value,
    test_fraction: $("test-fraction").value,
    scaling: $("scaling-select").value,
    ...modelPanel.readModelSettings(),
  };
}

export function shareHash() {
  const config = readConfig();
  if (!app.sample) {
    delete config.target;
    delete config.features;
  }
  // a lesson's link names it (lessons.js), its variation with try=1
  const lesson = app.lesson ? { lesson: app.lesson, try: app.lessonTried ? "1" : "" } : {};
  return toHash({ ...lesson, sample: app.sample, ...config });
}

export function updateShareLink() {
  $("share-link").href = shareHash();
  updateDataLink();
}

// the packed table of the data the page holds: packed once per loaded table
let packing = { source: null, result: null };

function packedHeld() {
  const data = held.data;
  if (data?.kind !== "csv") return null;
  if (packing.source !== data) packing = { source: data, result: packTable(data.payload, facts.limits.max_data_link_bytes) };
  return packing.result;
}

const KB = 1024;

async function updateDataLink() {
  const link = $("data-link"), note = $("data-link-note");
  const packed = packedHeld();
  if (!packed) {
    link.removeAttribute("href");
    link.dataset.state = "none";
    note.textContent = held.data?.kind === "toy"
      ? "(a generated sample: the link above reopens it, no data needed)" : "(load a table first)";
    return;
  }
  const source = held.data;
  const { packed: text, compressedBytes } = await packed;
  if (held.data !== source) return; // another table came while this one was packed
  const limit = facts.limits.max_data_link_bytes;
  if (text === null) { // packing stopped once the compressed table passed the limit
    link.removeAttribute("href");
    link.dataset.state = "too-big";
    note.textContent = `(this table is over ${limit / KB} KB compressed, too big for a link: at most ` +
      `${limit / KB} KB, so that links still paste into chats and course pages. Share a demo folder instead: ` +
      "python -m fcnn demo, see the README)";
    return;
  }
  link.href = dataHash(toHash(readConfig()), text, source.name); // with the data, its target and features too
  link.dataset.state = "ready";
  link.dataset.bytes = String(compressedBytes);
  note.textContent = `(${Math.ceil(compressedBytes / KB)} KB compressed; the table rides in the part after #, ` +
    "which the browser never sends to a server)";
}
