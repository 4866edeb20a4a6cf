"""Kept for old imports: the settings moved to ``fcnn.run.settings``, the run to ``fcnn.run.experiment``."""

from .experiment import Experiment  # noqa: F401
from .settings import TrainingConfig  # noqa: F401
