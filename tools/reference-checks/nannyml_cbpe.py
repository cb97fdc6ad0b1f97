"""Accuracy estimated before labels arrive, as NannyML's CBPE computes it: the reference the
estimated-accuracy capability is checked against.

Run with the pinned packages (not installed by the test command: the install is ~2 min and several
hundred MB; the output is committed, with the versions that produced it):

    python3 -m venv /tmp/nml && /tmp/nml/bin/pip install nannyml==0.13.1 pandas==3.1.1 \
        scikit-learn==1.9.1 statsmodels==0.15.0
    NML_DISABLE_USAGE_LOGGING=1 /tmp/nml/bin/python tools/reference-checks/nannyml_cbpe.py \
        > test/fixtures/nannyml-cbpe.json

NML_DISABLE_USAGE_LOGGING=1 keeps NannyML from trying to reach the internet.

Input: NannyML's bundled synthetic binary-classification (work-from-home) dataset — a reference
period with labels and an analysis period whose labels NannyML keeps apart. CBPE is fitted on the
reference (accuracy, chunks of 5,000 rows) and estimates each analysis chunk from its scores alone.

Output: per analysis chunk, NannyML's estimate, its sampling error and confidence bounds, the
realized accuracy from the withheld labels, and the chunk's counts per (score, predicted label) —
what a model would report as a window histogram. The reference's counts and positives per score
make the calibration section of a baseline. Scores in this dataset carry two decimals (at most 101
distinct values), so one bin per value loses nothing: isotonic regression over the rows and
pool-adjacent-violators over those bins fit the same calibration. Checked when the output was
written (2026-12-06): scikit-learn's IsotonicRegression weighted by the calibration counts, applied
to each chunk's histogram (mean probability of each prediction being right), gives NannyML's
estimate for all 10 chunks to 5 decimals.
"""

import json
import os
from importlib.metadata import version

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")

import nannyml as nml  # noqa: E402

CHUNK = 5000
reference, analysis, analysis_targets = nml.load_synthetic_binary_classification_dataset()
analysis = analysis.merge(analysis_targets, on="id")

estimator = nml.CBPE(
    y_pred_proba="y_pred_proba",
    y_pred="y_pred",
    y_true="work_home_actual",
    timestamp_column_name="timestamp",
    metrics=["accuracy"],
    chunk_size=CHUNK,
    problem_type="classification_binary",
)
estimator.fit(reference)
estimated = estimator.estimate(analysis.drop(columns=["work_home_actual"])).filter(period="analysis")
frame = estimated.to_df(multilevel=False)


def score_key(p: float) -> str:
    return f"{p:.2f}"


def histogram(rows) -> dict:
    """Counts per score (two decimals) and predicted label."""
    out: dict = {}
    for (p, y), n in rows.groupby(["y_pred_proba", "y_pred"]).size().items():
        out.setdefault(score_key(p), {"0": 0, "1": 0})[str(int(y))] = int(n)
    return dict(sorted(out.items()))


chunks = []
for i, row in frame.iterrows():
    start, end = int(row["chunk_start_index"]), int(row["chunk_end_index"])
    rows = analysis.iloc[start : end + 1]
    chunks.append(
        {
            "index": int(row["chunk_index"]),
            "rows": [start, end],
            "timeRange": [str(rows["timestamp"].min()), str(rows["timestamp"].max())],
            "estimated": float(row["accuracy_value"]),
            "samplingError": float(row["accuracy_sampling_error"]),
            "lowerBound": float(row["accuracy_lower_confidence_boundary"]),
            "upperBound": float(row["accuracy_upper_confidence_boundary"]),
            "realized": float((rows["y_pred"] == rows["work_home_actual"]).mean()),
            "histogram": histogram(rows),
        }
    )

calibration = {}
for p, group in reference.groupby("y_pred_proba"):
    calibration[score_key(p)] = {
        "count": int(len(group)),
        "positives": int(group["work_home_actual"].sum()),
    }

print(
    json.dumps(
        {
            "tool": {"nannyml": version("nannyml"), "pandas": version("pandas")},
            "dataset": "nannyml.load_synthetic_binary_classification_dataset()",
            "chunkSize": CHUNK,
            "distinctScores": int(reference["y_pred_proba"].nunique()),
            "referenceAccuracy": float(
                (reference["y_pred"] == reference["work_home_actual"]).mean()
            ),
            "calibration": dict(sorted(calibration.items())),
            "chunks": chunks,
        },
        indent=1,
    )
)
