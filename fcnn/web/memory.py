"""Memory checks: a run that cannot fit is refused before it allocates anything.

In the browser the engine lives in 32-bit WebAssembly (2 GB in all); the budget
a run may take is ``settings.BROWSER_MEMORY_BUDGET``, which the worker passes to
the Session. CPython runs without a budget.
"""

from __future__ import annotations

from ..engine.network import EVALUATION_CHUNK_ROWS
from ..errors import ConfigError

OUT_OF_MEMORY = (
    "the engine ran out of memory (in the browser it has at most 2 GB); use a smaller batch size, "
    "fewer or narrower hidden layers, or fewer rows, and train again"
)


def check_memory(experiment, budget):
    """Refuse (ConfigError) a run that would need more than ``budget`` bytes to train; None: no check."""
    if budget is None:
        return
    network, batch = experiment.network, experiment.trainer.batch_size
    rows = max(batch, min(EVALUATION_CHUNK_ROWS, len(experiment.data.x_test)))
    need = network.training_memory_bytes(rows)
    if need <= budget:
        return
    per_row = network.training_memory_bytes(1) - network.training_memory_bytes(0)
    fits = int((budget - network.training_memory_bytes(0)) // per_row)
    advice = (f"use a batch size of at most {fits}, or fewer or narrower hidden layers" if fits >= 1
              else "use fewer or narrower hidden layers")
    raise ConfigError(
        f"this network would need about {_size(need)} of memory to train with batches of {batch} rows, "
        f"more than the {_size(budget)} the engine can use here; {advice}"
    )


def _size(n_bytes):
    return f"{n_bytes / 1e9:.1f} GB" if n_bytes >= 1e9 else f"{n_bytes / 1e6:.0f} MB"
