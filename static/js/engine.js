// The page's handle on the Python engine running in the PyScript worker.
// Every call returns the parsed JSON answer: {ok: true, ...} or {ok: false, error}.

const WORKER_SELECTOR = 'script[type="py"][worker][name="engine"]';

function waitFor(check, intervalMs = 20) {
  return new Promise((resolve) => {
    const poll = () => {
      const value = check();
      if (value) resolve(value);
      else setTimeout(poll, intervalMs);
    };
    poll();
  });
}

// onStage(text) names each loading stage as it begins, for the progress indicator.
export async function connectEngine(onStage = () => {}) {
  onStage("Loading the runtime (PyScript and Pyodide)");
  const script = document.querySelector(WORKER_SELECTOR);
  // PyScript attaches `xworker` once it has processed the script tag.
  const xworker = await waitFor(() => script.xworker);
  const api = xworker.sync;
  onStage("Loading numpy and the fcnn package in the worker");
  // The worker's own readiness events never reach the main thread without
  // SharedArrayBuffer, so ask it: `ping` answers once numpy and fcnn imported.
  const numpyVersion = await waitForPing(api);
  onStage("Starting the engine");
  const call = async (name, ...args) => JSON.parse(await api[name](...args));
  await call("sample_names"); // the first real call: the session answers
  return {
    numpyVersion,
    // data: CSV text (a fetched sample) or a file's bytes (Uint8Array); the engine decodes bytes
    loadCsv: (data, name) => call("load_csv", data, name),
    loadSample: (name, seed) => call("load_sample", name, seed),
    start: (config) => call("start", JSON.stringify(config)),
    trainFor: (milliseconds) => call("train_for", milliseconds),
    step: () => call("step"),
    setLearningRate: (rate) => call("set_learning_rate", rate),
    results: () => call("results"),
    modelJson: () => call("model_json"),
    loadModel: (data) => call("load_model", data),
    predictCsv: (data, name) => call("predict_csv", data, name),
    predictRow: (values) => call("predict_row", JSON.stringify(values)),
    gradientReport: () => call("gradient_report"),
    networkView: () => call("network_view"),
    grid: (size) => call("grid", size),
  };
}

async function waitForPing(api) {
  for (;;) {
    if (typeof api.ping === "function") {
      try {
        return await api.ping();
      } catch (_) {
        // not exported yet: the worker is still importing
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
