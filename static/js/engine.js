// The page's handle on the Python engine running in the PyScript worker.
// Every call returns the parsed JSON answer: {ok: true, ...} or {ok: false, error}.
//
// The session answers every Python exception itself, so a call that *rejects*
// means the worker's Pyodide is gone (a fatal error such as a memory access out
// of bounds; after one, every later call rejects too). Such a call answers
// {ok: false, crashed: true, error} and `onCrash` is told once; the page then
// starts a new worker with `replaceEngineScript` and connects to it again.
//
// A worker can also stop answering without failing (an endless loop, a step of
// a huge network). No answer can tell those apart, so the page is told when a
// call has been waiting SLOW_CALL_MS (`onSlow`), and the user decides: wait, or
// `abandon` the engine, which then counts as crashed.

const WORKER_SELECTOR = 'script[type="py"][worker][name="engine"]';
const MAX_MEASURES = 1000;
// Long enough for a 50 MB file or a big network's step; the browser tests set a
// shorter one on `window` before the page loads.
const SLOW_CALL_MS = Number(globalThis.fcnnSlowCallMs) || 30_000;

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
// onSlow({name, begun}): the call waiting longest, once it has waited SLOW_CALL_MS; onSlow(null) when none is.
export async function connectEngine(onStage = () => {}, onCrash = () => {}, onSlow = () => {}) {
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
  let crash = null;
  let measured = 0;
  const fail = (error) => {
    if (crash) return; // told once; a call still waiting on an abandoned worker may settle later
    crash = error;
    onCrash(error);
  };
  // calls waiting longer than SLOW_CALL_MS; the page is shown the one waiting longest
  const slowCalls = new Set();
  const tellSlow = () => onSlow([...slowCalls].sort((a, b) => a.begun - b.begun)[0] || null);
  // the calls waiting for an answer, on <html data-engine-calls>: tests that break the engine
  // on purpose wait until the views' own calls are answered, so they know which call fails first
  let inFlight = 0;
  const countCall = (change) => { inFlight += change; document.documentElement.dataset.engineCalls = String(inFlight); };
  const call = async (name, ...args) => {
    if (!crash) {
      countCall(1);
      const begun = performance.now();
      const waiting = { name, begun };
      const timer = setTimeout(() => {
        slowCalls.add(waiting);
        tellSlow();
      }, SLOW_CALL_MS);
      try {
        const text = await api[name](...args);
        if (crash) throw crash; // abandoned while it ran: the answer is from the old worker
        const answered = performance.now();
        const answer = JSON.parse(text);
        // One user-timing entry per call, read by DevTools' Performance panel and
        // scripts/bench_scale.py: the round trip to the worker, the time the page
        // then took to read the answer, and the engine's own time when the answer
        // tells it (engine_ms: scripts/bench_trace.py). The browser keeps every entry, and
        // a long run makes thousands of calls: start afresh now and then.
        if (++measured % MAX_MEASURES === 0) performance.clearMeasures();
        performance.measure(`fcnn ${name}`, { start: begun, end: answered, detail: { parseMs: performance.now() - answered, engineMs: answer.engine_ms ?? null } });
        return answer;
      } catch (error) {
        fail(error);
      } finally {
        countCall(-1);
        clearTimeout(timer);
        if (slowCalls.delete(waiting) && !crash) tellSlow();
      }
    }
    const reason = String(crash.message || crash).split("\n")[0];
    return { ok: false, crashed: true, error: `the engine stopped (${reason}); it is being restarted` };
  };
  await call("sample_names"); // the first real call: the session answers
  return {
    numpyVersion,
    // the user gave up on a call that does not answer: the engine counts as crashed
    abandon: (reason) => fail(new Error(reason)),
    // how many calls wait for an answer now (the slice loop keeps slices short while others wait)
    callsWaiting: () => inFlight,
    // data: CSV text (a fetched sample) or a file's bytes (Uint8Array); the engine decodes bytes
    loadCsv: (data, name) => call("load_csv", data, name),
    loadSample: (name, seed) => call("load_sample", name, seed),
    describeTarget: (name) => call("describe_target", name),
    start: (config) => call("start", JSON.stringify(config)),
    trainFor: (milliseconds) => call("train_for", milliseconds),
    step: () => call("step"),
    setLearningRate: (rate) => call("set_learning_rate", rate),
    results: () => call("results"),
    modelJson: () => call("model_json"),
    // the model as one numpy-only .py file: {text, file_name}
    modelPython: () => call("model_python"),
    loadModel: (data) => call("load_model", data),
    predictCsv: (data, name) => call("predict_csv", data, name),
    predictRow: (values) => call("predict_row", JSON.stringify(values)),
    gradientReport: () => call("gradient_report"),
    networkView: () => call("network_view"),
    grid: (size) => call("grid", size),
    // the trace (views/trace-panel.js): look at the next mini-batch in parts (trace_begin answers the
    // first and the trace's number, trace_more the next until `done`), take its step, check a node's gradient
    traceBegin: () => call("trace_begin"),
    traceMore: (trace) => call("trace_more", trace),
    takeTracedStep: () => call("take_traced_step"),
    checkTraceGradient: (name, rows) => call("check_trace_gradient", name, JSON.stringify(rows)),
    // the node graph of the network these settings build (Session.graph_view): the Graph view's
    graphView: (config) => call("graph_view", JSON.stringify(config)),
    // the learning-rate range test for these settings; starts and changes no run
    findLearningRate: (config) => call("find_learning_rate", JSON.stringify(config)),
    neuronMaps: (size) => call("neuron_maps", size),
    // the Output column while a run trains: predicted against actual on the test rows
    outputView: () => call("output_view"),
    // a wide layer's units, each with its bias and incoming weight norm ("+N more")
    layerUnits: (layer) => call("layer_units", layer),
  };
}

// A new worker in place of a broken one: PyScript starts every <script type="py">
// added to the page, so a fresh copy of the tag is a fresh engine.
export function replaceEngineScript() {
  const old = document.querySelector(WORKER_SELECTOR);
  try {
    old.xworker?.terminate();
  } catch (_) {
    // already gone
  }
  const fresh = document.createElement("script");
  for (const { name, value } of old.attributes) fresh.setAttribute(name, value);
  old.replaceWith(fresh);
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
