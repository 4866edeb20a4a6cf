"""The errors fcnn raises on purpose: each message says what is wrong and what to do."""


class FcnnError(Exception):
    """Base class: a problem the user can fix (bad data, bad settings, bad graph)."""


class DataError(FcnnError):
    """The data cannot be used as given (empty file, ragged rows, text in a numeric column…)."""


class ConfigError(FcnnError):
    """A training setting is out of range."""


class GraphError(FcnnError):
    """The node graph cannot be ordered (for example it has a cycle)."""
