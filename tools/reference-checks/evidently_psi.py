"""PSI as Evidently computes it, for the cases Fulcrum's drift-math spec compares against.

Run with the pinned packages (not installed by the test command: the install is ~40 s and several
hundred MB for four numbers; the output is committed, with the version that produced it):

    python3 -m venv /tmp/evidently && /tmp/evidently/bin/pip install evidently==0.7.23 pandas==2.2.3
    /tmp/evidently/bin/python tools/reference-checks/evidently_psi.py > test/fixtures/evidently-psi.json

Each case is a reference and a current histogram (counts per bin). The bins are handed to
Evidently as categorical values so that its own binning does not re-cut them: what is compared is
the PSI formula and how each tool floors an empty bin, on identical shares.
"""

import json
from importlib.metadata import version

import pandas as pd
from evidently.legacy.calculations.stattests.psi import _psi
from evidently.legacy.core import ColumnType

CASES = [
    # Every non-empty share is above 1e-4: both tools floor an empty bin at 1e-4.
    {"name": "one empty current bin", "reference": [1000] * 10, "current": [1100] * 9 + [0]},
    {"name": "shifted, no empty bin", "reference": [1000] * 10, "current": [500] * 5 + [1500] * 5},
    {"name": "empty reference bin", "reference": [1250] * 8 + [0, 0], "current": [900] * 10},
    # A non-empty share of 1/15,000 = 6.7e-5 <= 1e-4: Evidently floors the empty bin at
    # (that share / 1e6) instead of 1e-4, which raises its PSI.
    {
        "name": "empty bin beside a share of 6.7e-5",
        "reference": [1000] * 10,
        "current": [1] + [1875] * 7 + [1874, 0],
    },
]


def series(counts):
    values = []
    for i, n in enumerate(counts):
        values.extend([f"b{i:02d}"] * n)
    return pd.Series(values)


def main():
    out = {"package": "evidently", "version": version("evidently"), "cases": []}
    for case in CASES:
        ref, cur = case["reference"], case["current"]
        # The categorical path keys bins by value; pad both sides to the same bins.
        n = max(len(ref), len(cur))
        value, _ = _psi(series(ref), series(cur), ColumnType.Categorical, 0.1)
        out["cases"].append({**case, "bins": n, "psi": float(value)})
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
