# resolve messages (en). Keys here must not repeat those of other files.
# `nigehban resolve dedupe|link`: record linkage of any person list (crates/cli/src/resolve.rs).
# Where a problem is comes from sheet-located-* (sheets.en.ftl).

# The command line.
resolve-field-syntax = “{ $value }” is not COLUMN:KIND: give a column of the file and its kind, for example --field "Name:full_name".
resolve-unknown-kind = “{ $value }”: “{ $kind }” is not a kind of field. The kinds are: { $kinds }.
resolve-field-twice = Column “{ $column }” is given twice (as { $first } and as { $second }): give each column once, with the kind that fits it.
resolve-too-many-fields = { $count } fields are given; at most { $max } can be compared.
resolve-threshold = The threshold “{ $value }” is not a probability between 0 and 1 (both excluded), for example 0.9.

# The files.
resolve-cannot-read = The file cannot be read ({ $detail }).
resolve-missing-id-column = No column “{ $column }” for the ids (--id). The columns of this file are: { $headers }.
resolve-missing-column = No column “{ $column }” (given with --field as { $kind }). The columns of this file are: { $headers }.
resolve-no-records = The file has a header but no records below it.
resolve-empty-id = The id is empty: every record needs its own id.
resolve-duplicate-id = The id “{ $id }” is also the id of row { $earlier }: every record needs its own id.
resolve-huge-field = This value is { $length } characters long; at most { $max } are read. A whole document pasted into one cell?
resolve-kind-mismatch = Column “{ $column }” was given as { $kind }, but { $unreadable } of its { $present } values are not, for example row { $row }: “{ $example }”. Check the column, or give the kind that fits it.
resolve-unreadable-values = { $unreadable } of the { $present } values of column “{ $column }” are not { $kind } (for example row { $row }: “{ $example }”); they are compared as missing.
resolve-empty-column = Column “{ $column }” is empty in every record: it is not compared.

# Labels and models.
resolve-labels-columns = The labels file needs the columns id_a, id_b and is_match; missing: { $missing }.
resolve-labels-unknown-id = The id “{ $id }” is not in { $list }.
resolve-labels-value = “{ $value }” is not a label: write 1 for the same person and 0 for different persons (or yes / no, true / false).
resolve-model-unreadable = The model cannot be used: { $detail }
resolve-model-fields = The model was trained on other fields ({ $fields }): give the same --field arguments, or train a new model.
resolve-nothing-written = Nothing was written. Correct the problems above and run the command again.

# The summary.
resolve-summary-records = Records: { $records } ({ $file })
resolve-summary-records-link = Records: { $left } in { $left_file }, { $right } in { $right_file }
resolve-summary-comparisons = Comparisons (pairs sharing a blocking key): { $pairs }
resolve-summary-skipped = Blocking keys skipped as too common (held by more than { $max } records): { $keys }, held by { $records } records in all
resolve-summary-pairs = Pairs with a match probability of at least { $threshold }: { $pairs }, written to { $file }
resolve-summary-clusters = Clusters (a record alone counts as one): { $clusters }, the largest of { $largest } records, written to { $file }
resolve-summary-model-used = Scored with the model { $file } (no training).
resolve-summary-training = Trained without labels unless given ({ $labels } labelled pairs): u from { $u_pairs } random pairs, m and λ by EM in { $iterations } iterations ({ $converged }).
resolve-summary-converged = converged
resolve-summary-not-converged = not converged: the figures may be rough
resolve-summary-lambda = λ, the probability that two records picked at random are the same person: { $lambda } (prior match weight { $prior })
resolve-summary-weights = Learned weights (m: share among pairs of the same person; u: among different persons; weight = log2(m/u)):
resolve-column-field = field
resolve-column-level = level
resolve-column-weight = weight
resolve-summary-explain = Explanations of every pair written to { $file }
resolve-summary-model-out = Model written to { $file }
resolve-summary-time = Done in { $seconds } s (seconds per stage: { $stages }).
