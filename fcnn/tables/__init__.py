"""Table handling: reading CSV text, column types, the task, features, targets, the split.

Everything outside this folder imports from here, not from its modules.
"""

from .data import (
    MinMaxScaler,
    TargetScaler,
    TASKS,
    Table,
    explain_task,
    infer_columns,
    is_missing,
    mixed_column_notes,
    numeric_matrix,
    read_csv_text,
    train_test_split,
)
from .preprocess import (
    MAX_CATEGORIES,
    FeaturePipeline,
    TargetEncoder,
    left_out_by_default,
    prepare,
    resolve_task,
    stratified_split,
)
