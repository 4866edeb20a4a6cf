// The model panel: the hidden-layer editor and the training settings.
// The first layer's width input keeps the `hidden-units` hook.
import { $, el } from "../dom.js";

// the engine's limits (facts.json), set once the facts are read
const limits = { layers: 1, units: 1 };

export function setLayerLimits(maxLayers, maxUnits) {
  limits.layers = maxLayers;
  limits.units = maxUnits;
}

export function showLayers(widths) {
  const editor = $("layer-editor");
  editor.replaceChildren(
    ...widths.map((width, index) => {
      const id = index === 0 ? "hidden-units" : `hidden-units-${index + 1}`;
      const label = el("label", `Hidden layer ${index + 1} units (1–${limits.units})`, { for: id });
      const input = el("input", null, {
        id, type: "number", min: "1", max: String(limits.units), step: "1",
        "data-testid": index === 0 ? "hidden-units" : `hidden-units-${index + 1}`,
      });
      input.value = String(width);
      const item = el("div", null, { class: "layer" });
      item.append(label, input);
      return item;
    }),
  );
  $("add-layer").disabled = widths.length >= limits.layers;
  $("remove-layer").disabled = widths.length <= 1;
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
