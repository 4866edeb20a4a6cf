// The run's configuration as the controls hold it, and the link that reopens it.
// The hash holds a sample's name and its column choices, never anything from a user's file.
import { $ } from "./dom.js";
import { app } from "./page.js";
import { toHash } from "./state.js";
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
  return toHash({ sample: app.sample, ...config });
}

export function updateShareLink() {
  $("share-link").href = shareHash();
}
