// What the worker holds, as the page can give it back to a new worker if this one fails
// (recovery.js): the data set and the last trained or loaded model. Filled in after each
// successful load, finished (or paused) run and model file.
export const held = { data: null, modelText: null };

export function holdCsv(payload, name) {
  held.data = { kind: "csv", payload, name };
}

export function holdToySample(name, seed) {
  held.data = { kind: "toy", name, seed };
}

export function holdModel(text) {
  held.modelText = text;
}
