// Recovery from a broken engine: when the worker's Pyodide has failed (see
// engine.js), a new worker is started and what the page held is given back to
// it — the data set and the last trained or loaded model, as the page keeps
// them in `held` — so the user trains again without a reload and loses nothing
// but the run that was in progress.
import { connectEngine, replaceEngineScript } from "./engine.js";

// What the worker holds, as the page can give it back: filled in by app.js
// after each successful load, finished (or paused) run and model file.
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

// A new engine with the held data and model loaded into it.
// Answers {engine, dataBack, modelBack}: modelBack is load_model's answer (or null).
export async function restartEngine(onStage, onCrash, onSlow) {
  replaceEngineScript();
  const engine = await connectEngine(onStage, onCrash, onSlow);
  let dataBack = false;
  let modelBack = null;
  if (held.data) {
    const { kind, payload, name, seed } = held.data;
    const answer = kind === "toy" ? await engine.loadSample(name, seed) : await engine.loadCsv(payload, name);
    dataBack = answer.ok;
  }
  if (held.modelText) {
    const answer = await engine.loadModel(held.modelText);
    if (answer.ok) modelBack = answer;
  }
  return { engine, dataBack, modelBack };
}
