// A demo folder's page (python -m fcnn demo; facts.demo in facts.json): its table as the first
// sample, its settings under the link's, its notes beside the data and the controls it names hidden.
// The hidden settings still apply: only their controls leave the page.
import { $, el } from "./dom.js";
import { facts } from "./facts.js";
import { showNotes } from "./views/notes-view.js";

// each setting's controls, as ids: the control, its label (label[for]) goes with it
const CONTROLS = {
  target: ["target-select"],
  features: ["feature-list"],
  task: ["task-select", "task-detected"],
  test_fraction: ["test-fraction"],
  scaling: ["scaling-select"],
  hidden_layers: ["layer-editor", "add-layer", "remove-layer"],
  activation: ["activation-select"],
  optimizer: ["optimizer-select"],
  learning_rate: ["learning-rate", "learning-rate-slider", "lr-find"],
  epochs: ["epochs"],
  batch_size: ["batch-size"],
  weight_decay: ["weight-decay"],
  early_stopping: ["early-stopping"],
  seed: ["seed"],
};

export const demo = () => facts.demo || null;

// The demo's settings and sample, for what the hash does not say; a hash naming other data
// (a sample, a lesson or a data link) keeps the demo's table choices (target, features, task) out.
export function demoSettings(otherData) {
  const shown = demo();
  if (!shown) return {};
  const settings = { ...shown.settings, sample: shown.sample };
  if (otherData) for (const key of ["sample", "target", "features", "task"]) delete settings[key];
  return settings;
}

function hideControl(id) {
  const node = id === "feature-list" ? document.querySelector('[data-testid="feature-list"]') : $(id);
  if (!node) return;
  node.hidden = true;
  node.dataset.demoHidden = "true";
  const label = document.querySelector(`label[for="${id}"]`);
  if (label) {
    label.hidden = true;
    label.dataset.demoHidden = "true";
  }
}

// the demo's sample first, in its own group named by the demo's title
function showDemoSample(shown) {
  const select = $("sample-select");
  const sample = facts.samples.find((s) => s.name === shown.sample);
  if (!sample || select.querySelector(`option[value="${CSS.escape(sample.name)}"]`)) return;
  const group = el("optgroup", null, { label: `This lesson's data: ${shown.title}` });
  const option = el("option", sample.label || sample.title);
  option.value = sample.name;
  group.append(option);
  select.insertBefore(group, select.children[1] || null);
}

// After the controls are built: the sample in the list, the notes, the hidden controls.
export function showDemo() {
  const shown = demo();
  if (!shown) return;
  showDemoSample(shown);
  showNotes($("demo-notes"), shown.title, shown.notes);
  for (const name of shown.hide || []) for (const id of CONTROLS[name] || []) hideControl(id);
  document.body.dataset.demo = shown.sample;
}
