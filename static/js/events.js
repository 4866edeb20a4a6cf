// The page's own events, dispatched on `document` as things happen, for views and tests:
//   fcnn:progress       {epochs: [{epoch, loss, val_loss}], finished, stopped_reason, layer_norms}, once per progress report
//                       (layer_norms: the engine's [[epoch, [‖W‖ per layer], [‖dL/dW‖ per layer]], ...], output layer last)
//   fcnn:run-state      {state, previous}: every transition of the run controller
//   fcnn:engine-state   {state: loading | ready | crashed | restarting}
//   fcnn:charts-settled {}: the charts finished a resize and fit their panels

export function emit(name, detail = {}) {
  document.dispatchEvent(new CustomEvent(name, { detail }));
}

// one progress report: the epochs an engine answer added ([epoch, loss, val_loss] triples)
export function emitProgress(epochs, finished, stoppedReason = null, layerNorms = null) {
  emit("fcnn:progress", {
    layer_norms: layerNorms || [],
    epochs: epochs.map(([epoch, loss, val]) => ({ epoch, loss, val_loss: val ?? null })),
    finished: Boolean(finished),
    stopped_reason: stoppedReason || null,
  });
}

let engineState = null;

export function emitEngineState(state) {
  engineState = state;
  emit("fcnn:engine-state", { state });
}

export const currentEngineState = () => engineState;
