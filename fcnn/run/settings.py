"""The settings of a run, and the facts the page and the engine share.

DEFAULTS, LIMITS, CHOICES and SAMPLES are written here once; the page reads them
from ``static/vendor/facts.json`` (see ``fcnn.web.facts``), the CLI, the Session
and the bench from here, so the defaults cannot drift apart. Each sample carries
the settings the page applies when it is chosen, and the outcome they reach.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

from ..engine.network import TASKS
from ..engine.nodes import ACTIVATIONS
from ..engine.optimizers import OPTIMIZERS
from ..errors import ConfigError

# The page's defaults, chosen with ``python -m fcnn.bench``; "sample" and "target" start unchosen.
DEFAULTS = {
    "sample": "", "target": "", "features": None, "task": "auto", "test_fraction": 0.3,
    "scaling": "standard", "hidden_layers": [8], "activation": "relu", "optimizer": "adam",
    "learning_rate": 0.003, "epochs": 200, "batch_size": 16, "weight_decay": 0.0,
    "early_stopping": 30, "seed": 20,
}

# In the browser the engine lives in 32-bit WebAssembly: at most 2 GB in all.
# A run may take half of it for training; the data and Python need the rest.
BROWSER_MEMORY_BUDGET = 1_000_000_000

LIMITS = {
    "max_layers": 10, "max_units": 512, "max_epochs": 100_000, "min_batch_size": 1,
    "max_learning_rate": 10, "max_test_fraction": 0.9, "memory_budget_bytes": BROWSER_MEMORY_BUDGET,
    # "Link with the data": the table after compression, so that links still paste into chats
    "max_data_link_bytes": 32 * 1024,
    # the Neurons face draws this many units of a layer (the first ones) and a "+N more" marker;
    # the neuron maps and the weights it draws are sent for these units only
    "units_drawn": 12,
}
MAX_LAYERS, MAX_UNITS, MAX_EPOCHS = LIMITS["max_layers"], LIMITS["max_units"], LIMITS["max_epochs"]
MAX_WEIGHT_DECAY = 10.0
MAX_VALIDATION_FRACTION = 0.5
MAX_SEED = 2**32 - 1


def _in_page_order(page_order, engine_table):
    """The engine's own names, in the order the page lists them; a name one side lacks is a bug here."""
    if sorted(page_order) != sorted(engine_table):
        raise AssertionError(f"the page's order {page_order} does not name the engine's {list(engine_table)}")
    return list(page_order)


CHOICES = {
    "task": ["auto", *TASKS],
    "activation": _in_page_order(("relu", "sigmoid", "tanh", "identity"), ACTIVATIONS),
    "optimizer": list(OPTIMIZERS),
    "scaling": ["standard", "minmax"],
}
MISSING_CHOICES = ("impute", "drop")  # not on the page: rows with blanks are always imputed there


# The settings a sample carries: DEFAULTS' keys that shape a run (not the data's: sample, target, features).
SAMPLE_SETTING_KEYS = ("hidden_layers", "activation", "optimizer", "learning_rate", "epochs", "batch_size",
                       "weight_decay", "early_stopping", "seed", "test_fraction", "scaling")


def _solved_by(**chosen):
    """A sample's whole settings: DEFAULTS for SAMPLE_SETTING_KEYS, then ``chosen`` ("task" too, when needed)."""
    unknown = sorted(set(chosen) - {*SAMPLE_SETTING_KEYS, "task"})
    if unknown:
        raise AssertionError(f"a sample's settings name {unknown}, which are not among {SAMPLE_SETTING_KEYS}")
    settings = {key: DEFAULTS[key] for key in SAMPLE_SETTING_KEYS}
    settings.update(chosen)
    return {key: list(value) if isinstance(value, list) else value for key, value in settings.items()}


@dataclass(frozen=True)
class Sample:
    """A data set the page offers: a real file in static/data, or a toy set made in code (file None).

    ``settings`` are the settings the page applies when the sample is chosen: every key of
    SAMPLE_SETTING_KEYS (as DEFAULTS names them), picked so the sample is solved in a few
    seconds in the browser. ``expect`` is the outcome a run with them reaches on the page's
    default split (split seed = seed; toy sets made with seed 0, the page's TOY_DATA_SEED),
    in the vocabulary of lessons.EXPECTATIONS: accuracy_at_least, or r2_at_least for a
    regression. tests/run/test_samples.py trains every sample in CPython and checks it.
    """

    name: str
    title: str
    label: str  # the text of the page's option
    group: str  # "real" or "toy"
    file: str | None
    target: str
    task: str
    settings: dict = field(default_factory=dict, hash=False)
    expect: dict = field(default_factory=dict, hash=False)

    def to_dict(self):
        return asdict(self)  # a deep copy: the catalogue's dicts stay as written


# Each sample with the settings that solve it, over DEFAULTS (Adam, seed 20, a 0.3 test share,
# standard scaling). The margins over ``expect`` are in the comments: test score with seed 20;
# tests/run/test_samples.py asserts ``expect``; each trains in under 1 s in CPython.
SAMPLES = (
    # R² 0.85; L2 and no early stopping: the 15 % held out of ~350 rows is too noisy to stop on
    Sample("boston", "Boston housing", "Boston housing (506 rows, predict MEDV)", "real", "boston.csv", "MEDV", "regression",
           _solved_by(hidden_layers=[32, 16], activation="relu", learning_rate=0.003, epochs=100, batch_size=32,
                      weight_decay=0.01, early_stopping=0),
           {"r2_at_least": 0.8}),
    # accuracy 1.0
    Sample("iris", "Iris", "Iris (150 rows, 3 species)", "real", "iris.csv", "species", "multiclass",
           _solved_by(hidden_layers=[8], activation="tanh", learning_rate=0.01, epochs=100, batch_size=16,
                      weight_decay=0.0, early_stopping=0),
           {"accuracy_at_least": 0.9}),
    # accuracy 0.96 (2 of 53 test rows wrong)
    Sample("wine", "Wine", "Wine (178 rows, 3 classes)", "real", "wine.csv", "class", "multiclass",
           _solved_by(hidden_layers=[16], activation="relu", learning_rate=0.01, epochs=100, batch_size=16,
                      weight_decay=0.0, early_stopping=0),
           {"accuracy_at_least": 0.9}),
    # accuracy 0.99
    Sample("breast_cancer", "Breast cancer", "Breast cancer (569 rows, 2 classes)", "real", "breast_cancer.csv",
           "diagnosis", "binary",
           _solved_by(hidden_layers=[16], activation="relu", learning_rate=0.003, epochs=50, batch_size=32,
                      weight_decay=0.01, early_stopping=0),
           {"accuracy_at_least": 0.95}),
    # R² 0.52: a noisy target, where a small, regularised network is as good as it gets
    Sample("diabetes", "Diabetes", "Diabetes (442 rows, regression)", "real", "diabetes.csv", "progression", "regression",
           _solved_by(hidden_layers=[8], activation="relu", learning_rate=0.003, epochs=100, batch_size=32,
                      weight_decay=0.01, early_stopping=0),
           {"r2_at_least": 0.4}),
    # accuracy 1.0
    Sample("xor", "XOR", "XOR (2 classes)", "toy", None, "label", "binary",
           _solved_by(hidden_layers=[8], activation="relu", learning_rate=0.01, epochs=200, batch_size=16,
                      weight_decay=0.0, early_stopping=0),
           {"accuracy_at_least": 0.95}),
    # accuracy 1.0: DEFAULTS already solve it
    Sample("circles", "Circles", "Circles (2 classes)", "toy", None, "label", "binary",
           _solved_by(hidden_layers=[8], activation="relu", learning_rate=0.003, epochs=200, batch_size=16,
                      weight_decay=0.0, early_stopping=30),
           {"accuracy_at_least": 0.95}),
    # accuracy 0.99; the arms need depth (lessons.json's "spirals-need-depth" tries the same network)
    Sample("spirals", "Two spirals", "Two spirals (2 classes)", "toy", None, "label", "binary",
           _solved_by(hidden_layers=[16, 16, 16], activation="relu", learning_rate=0.01, epochs=300, batch_size=16,
                      weight_decay=0.0, early_stopping=0),
           {"accuracy_at_least": 0.95}),
    # accuracy 1.0
    Sample("blobs", "Gaussian blobs", "Gaussian blobs (3 classes)", "toy", None, "label", "multiclass",
           _solved_by(hidden_layers=[8], activation="relu", learning_rate=0.01, epochs=100, batch_size=16,
                      weight_decay=0.0, early_stopping=30),
           {"accuracy_at_least": 0.95}),
    # R² 0.99; tanh for a smooth surface
    Sample("surface", "2-D regression surface", "2-D regression surface", "toy", None, "y", "regression",
           _solved_by(hidden_layers=[16, 16], activation="tanh", learning_rate=0.01, epochs=200, batch_size=16,
                      weight_decay=0.0, early_stopping=0),
           {"r2_at_least": 0.9}),
)
TOY_SAMPLES = {s.name: s for s in SAMPLES if s.group == "toy"}


def _default(name):
    value = DEFAULTS[name]
    if isinstance(value, list):
        return field(default_factory=lambda: list(value))
    return value


@dataclass
class TrainingConfig:
    """Everything that decides a run. The defaults are DEFAULTS, the page's."""

    target: str
    features: list | None = None  # None: every other usable column
    task: str = _default("task")  # auto, regression, binary, multiclass
    hidden_layers: list = _default("hidden_layers")
    activation: str = _default("activation")
    optimizer: str = _default("optimizer")
    learning_rate: float = _default("learning_rate")
    epochs: int = _default("epochs")
    batch_size: int = _default("batch_size")
    weight_decay: float = _default("weight_decay")
    early_stopping: int = _default("early_stopping")  # patience in epochs; 0 turns it off
    validation_fraction: float = 0.15  # of the training rows, held out only when early stopping is on
    seed: int = _default("seed")
    split_seed: int | None = None  # the train/test split's own seed; None: the same as seed
    test_fraction: float = _default("test_fraction")
    scaling: str = _default("scaling")  # standard, minmax
    missing: str = "impute"  # impute, drop

    @classmethod
    def from_dict(cls, values):
        """From a JSON object; unknown keys are refused so typos do not pass silently."""
        values = dict(values)
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}; the settings are: {', '.join(sorted(names))}")
        if "target" not in values:
            raise ConfigError("no target column is chosen; choose the column to predict")
        return cls(**values)

    def validated(self):
        """A copy with every number checked and coerced, or ConfigError naming the setting to fix."""
        self._check_choices()
        return TrainingConfig(
            target=str(self.target),
            features=None if self.features is None else [str(f) for f in self.features],
            task=self.task,
            hidden_layers=_layer_widths(self.hidden_layers),
            activation=self.activation,
            optimizer=self.optimizer,
            learning_rate=_as_float("learning rate", self.learning_rate, 0.0, LIMITS["max_learning_rate"],
                                    low_open=True, example="0.003"),
            epochs=_as_int("epochs", self.epochs, 1, MAX_EPOCHS),
            batch_size=_as_int("batch size", self.batch_size, LIMITS["min_batch_size"], None),
            weight_decay=_as_float("L2 weight decay", self.weight_decay, 0.0, MAX_WEIGHT_DECAY, example="0.0001"),
            early_stopping=_as_int("early-stopping patience", self.early_stopping, 0, MAX_EPOCHS),
            validation_fraction=_as_float("validation fraction", self.validation_fraction, 0.0,
                                          MAX_VALIDATION_FRACTION, example="0.15"),
            seed=_as_int("seed", self.seed, 0, MAX_SEED),
            split_seed=None if self.split_seed is None else _as_int("split seed", self.split_seed, 0, MAX_SEED),
            test_fraction=_as_float("test fraction", self.test_fraction, 0.0, LIMITS["max_test_fraction"],
                                    low_open=True, example="0.3"),
            scaling=self.scaling,
            missing=self.missing,
        )

    def _check_choices(self):
        choice = {
            "task": (self.task, CHOICES["task"]),
            "activation": (self.activation, CHOICES["activation"]),
            "optimizer": (self.optimizer, CHOICES["optimizer"]),
            "scaling": (self.scaling, CHOICES["scaling"]),
            "missing": (self.missing, MISSING_CHOICES),
        }
        for label, (value, allowed) in choice.items():
            if value not in allowed:
                raise ConfigError(f"{label} {value!r} is not one of: {', '.join(allowed)}")

    def to_dict(self):
        return asdict(self)


def _layer_widths(layers):
    """Hidden layer widths from a list, or from text such as "32, 16"."""
    if isinstance(layers, (int, float, str)):
        layers = [p for p in str(layers).replace(" ", "").split(",") if p]
    layers = [_as_int(f"hidden layer {i} units", v, 1, MAX_UNITS) for i, v in enumerate(layers, start=1)]
    if len(layers) > MAX_LAYERS:
        raise ConfigError(f"{len(layers)} hidden layers is too many; use at most {MAX_LAYERS}")
    return layers


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _as_int(label, value, low, high):
    if _is_blank(value):
        raise ConfigError(f"{label} is empty; enter a whole number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{label} {value!r} is not a number; enter a whole number") from None
    if not math.isfinite(number) or number != int(number):
        raise ConfigError(f"{label} {value!r} is not a whole number; enter a whole number")
    number = int(number)
    if number < low or (high is not None and number > high):
        bound = f"at least {low}" if high is None else f"from {low} to {high}"
        raise ConfigError(f"{label} {number} is out of range; use a whole number {bound}")
    return number


def _as_float(label, value, low, high, low_open=False, example="1"):
    if _is_blank(value):
        raise ConfigError(f"{label} is empty; enter a number such as {example}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{label} {value!r} is not a number; enter a number such as {example}") from None
    too_low = number <= low if low_open else number < low
    if not math.isfinite(number) or too_low or number > high:
        side = "above" if low_open else "at least"
        raise ConfigError(f"{label} {value!r} is out of range; use a number {side} {low:g} and at most {high:g}, such as {example}")
    return number
