"""Optimizers: each updates every weight node at once through the flat
``ParameterSet`` vectors. ``learning_rate`` may be changed between steps.

L2 weight decay adds λ·W to the gradient of every weight (not the biases):
the gradient of (λ/2)·‖W‖².
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError


class Optimizer:
    def __init__(self, parameters, learning_rate, weight_decay=0.0):
        self.parameters = parameters
        self.learning_rate = learning_rate
        self.weight_decay = float(weight_decay)
        self._step_buffer = np.empty(parameters.size)

    @property
    def learning_rate(self):
        return float(self._lr)

    @learning_rate.setter
    def learning_rate(self, value):
        # kept as a 0-d array too: numpy converts a Python float anew on every step (a few µs in Pyodide)
        self._lr = np.array(float(value))

    def gradient(self):
        """dL/dθ, plus λθ on the weights when weight decay is on."""
        p = self.parameters
        if self.weight_decay == 0.0:
            return p.grads
        g = self._step_buffer
        np.multiply(p.values, p.decay_mask, out=g)
        g *= self.weight_decay
        g += p.grads
        return g

    def step(self):
        raise NotImplementedError

    # the state a step changes besides the weights (a trace that only looks restores it)
    _state_arrays = ()

    def save_state(self):
        """A copy of the optimizer's own state (velocity, moments, step count)."""
        return {name: np.copy(getattr(self, name)) for name in self._state_arrays} | {"t": getattr(self, "t", 0)}

    def restore_state(self, saved):
        for name in self._state_arrays:
            np.copyto(getattr(self, name), saved[name])
        if hasattr(self, "t"):
            self.t = saved["t"]

    def swap_state(self, saved):
        """Take ``saved`` (what save_state answered) as the state itself, without copying it, and
        answer the state it replaces in save_state's form: a look at a step undoes it this way
        (an Adam state is two arrays as long as the weights)."""
        current = {name: getattr(self, name) for name in self._state_arrays} | {"t": getattr(self, "t", 0)}
        for name in self._state_arrays:
            setattr(self, name, saved[name])
        if hasattr(self, "t"):
            self.t = saved["t"]
        return current


class SGD(Optimizer):
    """θ ← θ − lr · g"""

    def step(self):
        g = self.gradient()
        np.multiply(g, self._lr, out=self._step_buffer)
        values = self.parameters.values
        np.subtract(values, self._step_buffer, out=values)  # the ufunc itself: `-=` costs a dispatch more


class Momentum(Optimizer):
    """v ← μ v − lr · g;  θ ← θ + v   (heavy-ball momentum, μ = 0.9)."""

    _state_arrays = ("velocity",)

    def __init__(self, parameters, learning_rate, weight_decay=0.0, momentum=0.9):
        super().__init__(parameters, learning_rate, weight_decay)
        self.momentum = float(momentum)
        self._momentum = np.array(self.momentum)  # 0-d, as the learning rate
        self.velocity = np.zeros(parameters.size)

    def step(self):
        g, v, values = self.gradient(), self.velocity, self.parameters.values
        np.multiply(v, self._momentum, out=v)
        np.multiply(g, self._lr, out=self._step_buffer)
        np.subtract(v, self._step_buffer, out=v)
        np.add(values, v, out=values)


class Adam(Optimizer):
    """m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
    θ ← θ − lr · m̂ / (√v̂ + ε), with bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)."""

    _state_arrays = ("m", "v")

    def __init__(self, parameters, learning_rate, weight_decay=0.0, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(parameters, learning_rate, weight_decay)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        # β₁, 1−β₁, β₂, 1−β₂ as 0-d arrays, as the learning rate
        self._betas = tuple(np.array(value) for value in (beta1, 1.0 - beta1, beta2, 1.0 - beta2))
        self.m = np.zeros(parameters.size)
        self.v = np.zeros(parameters.size)
        self.t = 0
        self._scratch = np.empty(parameters.size)

    def step(self):
        g, m, v, s, values = self.gradient(), self.m, self.v, self._scratch, self.parameters.values
        self.t += 1
        b1, one_minus_b1, b2, one_minus_b2 = self._betas
        np.multiply(m, b1, out=m)
        np.multiply(g, one_minus_b1, out=s)
        np.add(m, s, out=m)
        np.multiply(v, b2, out=v)
        np.multiply(g, g, out=s)
        np.multiply(s, one_minus_b2, out=s)
        np.add(v, s, out=v)
        # fold both bias corrections into one step size and one ε
        root_correction = np.sqrt(1.0 - self.beta2**self.t)
        step = self.learning_rate * root_correction / (1.0 - self.beta1**self.t)
        eps = self.eps * root_correction
        np.sqrt(v, out=s)
        np.add(s, eps, out=s)
        np.divide(m, s, out=s)
        np.multiply(s, step, out=s)
        np.subtract(values, s, out=values)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name, parameters, learning_rate, weight_decay=0.0):
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ConfigError(f"optimizer {name!r} is not one of {', '.join(OPTIMIZERS)}") from None
    return cls(parameters, learning_rate, weight_decay)
