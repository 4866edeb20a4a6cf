// The model panel: the hidden-layer editor (on the drawing) and the training settings.
// The first layer's width input keeps the `hidden-units` hook.
import { $, el } from "../dom.js";

// the engine's limits (facts.json), set once the facts are read
const limits = { layers: 1, units: 1 };

export function setLayerLimits(maxLayers, maxUnits) {
  limits.layers = maxLayers;
  limits.units = maxUnits;
}

// The layer editor is the head row of the Neurons face (neurons-view.js): a head for the inputs,
// one for each hidden layer (its units, with − and + as TensorFlow Playground has them) and one
// for the outputs, in the drawing's own columns. Locked while a run trains or is paused: the
// layers are the run's until it is stopped or reset.
let locked = false;

function unitButton(text, label, testid, change) {
  const button = el("button", text, { type: "button", class: "secondary small", "aria-label": label, "data-testid": testid });
  button.addEventListener("click", () => change());
  return button;
}

// a width typed or stepped: kept in range, and announced as typing would (the share link, the drawing)
function setWidth(input, width) {
  input.value = String(Math.max(1, Math.min(limits.units, width)));
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

function layerHead(width, index) {
  const n = index + 1;
  const id = index === 0 ? "hidden-units" : `hidden-units-${n}`;
  const input = el("input", null, {
    id, type: "number", min: "1", max: String(limits.units), step: "1", "data-testid": id,
    "aria-label": `Hidden layer ${n} units (1–${limits.units})`,
  });
  input.value = String(width);
  const step = (by) => () => setWidth(input, (Number(input.value) || 1) + by);
  const units = el("span", null, { class: "layer-units" });
  units.append(
    unitButton("−", `One unit fewer in hidden layer ${n}`, `remove-unit-${n}`, step(-1)),
    input,
    unitButton("+", `One unit more in hidden layer ${n}`, `add-unit-${n}`, step(1)),
  );
  const head = el("div", null, { class: "layer-head layer", "data-layer": String(n) });
  head.append(el("label", `layer ${n}`, { for: id, class: "layer-title" }), units);
  return head;
}

export function showLayers(widths) {
  $("layer-editor").replaceChildren(
    el("div", null, { class: "layer-head", id: "layer-head-in" }),
    ...widths.map(layerHead),
    el("div", null, { class: "layer-head", id: "layer-head-out" }),
  );
  lockLayers(locked);
}

// While a run trains or is paused its layers cannot change (Stop or Reset frees them).
export function lockLayers(lock) {
  locked = lock;
  const count = layerWidths().length;
  for (const control of $("layer-editor").querySelectorAll("input, button")) control.disabled = lock;
  $("add-layer").disabled = lock || count >= limits.layers;
  $("remove-layer").disabled = lock || count <= 1;
  const why = lock ? "Stop or reset the run to change its layers" : "";
  for (const id of ["add-layer", "remove-layer"]) $(id).title = why;
}

export function layerWidths() {
  return [...$("layer-editor").querySelectorAll("input")].map((input) => input.value);
}

export function addLayer() {
  const widths = layerWidths();
  if (widths.length < limits.layers) showLayers([...widths, widths[widths.length - 1] || 8]);
}

export function removeLayer() {
  const widths = layerWidths();
  if (widths.length > 1) showLayers(widths.slice(0, -1));
}

// The slider is log10 of the rate, so 1e-5 … 1 spread evenly.
export function linkLearningRate() {
  const box = $("learning-rate");
  const slider = $("learning-rate-slider");
  const fromBox = () => {
    const rate = Number(box.value);
    if (rate > 0) slider.value = String(Math.log10(rate));
  };
  slider.addEventListener("input", () => {
    box.value = String(Number((10 ** Number(slider.value)).toPrecision(2)));
    box.dispatchEvent(new Event("change"));
  });
  box.addEventListener("input", fromBox);
  fromBox();
}

export function readModelSettings() {
  return {
    hidden_layers: layerWidths(),
    activation: $("activation-select").value,
    optimizer: $("optimizer-select").value,
    learning_rate: $("learning-rate").value,
    epochs: $("epochs").value,
    batch_size: $("batch-size").value,
    weight_decay: $("weight-decay").value,
    early_stopping: $("early-stopping").value,
    seed: $("seed").value,
  };
}

export function applyModelSettings(config) {
  if (config.hidden_layers) showLayers(config.hidden_layers.slice(0, limits.layers));
  const fields = {
    activation: "activation-select", optimizer: "optimizer-select", learning_rate: "learning-rate", epochs: "epochs",
    batch_size: "batch-size", weight_decay: "weight-decay", early_stopping: "early-stopping", seed: "seed",
    task: "task-select", test_fraction: "test-fraction", scaling: "scaling-select",
  };
  for (const [key, id] of Object.entries(fields)) if (config[key] !== undefined) $(id).value = String(config[key]);
  const rate = Number($("learning-rate").value);
  if (rate > 0) $("learning-rate-slider").value = String(Math.log10(rate));
}
