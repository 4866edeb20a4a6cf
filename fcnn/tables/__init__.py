"""Table handling: reading CSV text, column types, the task, features, targets, the split.

Everything outside this folder imports from here, not from its modules:

* ``decode``: bytes → text (encodings, binary files refused);
* ``records``: text → records (delimiter, quotes, blank lines, line numbers);
* ``header``: header row or data, column names, decimal commas;
* ``table``: ``read_csv_text`` → ``Table``, whose columns are typed once;
* ``cells``: one cell's rules (missing, number, label) and message words;
* ``columns``: ``Column`` (numbers + missing mask, text labels + codes), ``ColumnInfo``;
* ``task``: which task a target calls for, and why;
* ``scalers``: scalers, the largest usable number, ``numeric_matrix``;
* ``feature_columns``, ``features``: one feature's encoding, the ``FeaturePipeline``;
* ``left_out``: the columns that are no features unless chosen (ids, row numbers, free text);
* ``targets``: the target encoders;
* ``split``: shuffled and stratified splits;
* ``saved``: the header shared by saved pipelines and encoders;
* ``prepare``: all of it for a table and a target.
"""

from .cells import MISSING_TOKENS, is_missing
from .columns import Column, ColumnInfo, infer_columns, mixed_column_notes
from .feature_columns import MAX_CATEGORIES
from .features import FeaturePipeline, FitReport
from .left_out import left_out_by_default
from .prepare import PreparationReport, PreparedData, prepare
from .scalers import MinMaxScaler, TargetScaler, numeric_matrix
from .split import stratified_split, train_test_split
from .table import Table, read_csv_text
from .targets import TargetEncoder
from .task import TASKS, explain_task, resolve_task
