"""Write the sample data shipped in every generated project: ``templates/common/data/sample.csv``.

A synthetic customer-churn table (numeric and categorical features, a 0/1 ``target``) drawn
from a fixed seed with the standard library's ``random`` only, so the file is byte-identical on
every run and Python version. The label follows a noisy logistic model, so a reasonable
classifier reaches about 0.8-0.9 accuracy: enough signal for tests to check that training
learned something, enough noise that a perfect score would signal a leak.

Usage: ``python tools/make_sample_data.py [--check]`` (``--check`` compares instead of writing).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from dataclasses import astuple, dataclass
from pathlib import Path

ROWS = 800
SEED = 20261125
TARGET = Path(__file__).resolve().parent.parent / "templates" / "common" / "data" / "sample.csv"
COLUMNS = [
    "tenure_months",
    "monthly_charges",
    "support_calls",
    "age",
    "contract",
    "internet_service",
    "payment_method",
    "paperless_billing",
    "target",
]


@dataclass(frozen=True)
class Customer:
    """One row of the sample, in column order (``target`` is drawn last, from the others)."""

    tenure_months: int
    monthly_charges: float
    support_calls: int
    age: int
    contract: str
    internet_service: str
    payment_method: str
    paperless_billing: str


def draw_customer(rng: random.Random) -> Customer:
    """Draw one customer's features; the categorical ones lean on tenure like real data does."""
    tenure = max(1, min(72, int(rng.triangular(1, 72, 8))))
    long_term = tenure / 72
    contract = rng.choices(
        ["month-to-month", "one-year", "two-year"],
        weights=[0.7 - 0.5 * long_term, 0.2 + 0.2 * long_term, 0.1 + 0.3 * long_term],
    )[0]
    internet = rng.choices(["fiber", "dsl", "none"], weights=[0.45, 0.35, 0.2])[0]
    base = {"fiber": 75.0, "dsl": 50.0, "none": 22.0}[internet]
    charges = round(max(18.0, base + rng.gauss(0, 12)), 2)
    return Customer(
        tenure_months=tenure,
        monthly_charges=charges,
        support_calls=sum(rng.random() < 0.18 for _ in range(10)),
        age=int(rng.uniform(18, 80)),
        contract=contract,
        internet_service=internet,
        payment_method=rng.choice(["electronic-check", "card", "bank-transfer"]),
        paperless_billing=rng.choice(["yes", "no"]),
    )


def churn_logit(c: Customer) -> float:
    """Return the log-odds of churn: short tenure, monthly contracts and support calls drive it."""
    logit = -1.2 - 0.11 * c.tenure_months + 1.4 * c.support_calls
    logit += 0.055 * (c.monthly_charges - 60)
    logit += {"month-to-month": 3.0, "one-year": 0.0, "two-year": -2.9}[c.contract]
    logit += 1.3 if c.payment_method == "electronic-check" else 0.0
    logit += 1.0 if c.internet_service == "fiber" else 0.0
    return logit - 0.025 * (c.age - 45)


def render(rows: int = ROWS, seed: int = SEED) -> str:
    """Return the CSV text for ``rows`` customers drawn from ``seed``."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for _ in range(rows):
        customer = draw_customer(rng)
        p = 1 / (1 + math.exp(-churn_logit(customer)))
        writer.writerow([*astuple(customer), int(rng.random() < p)])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the shipped sample CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date; run python tools/make_sample_data.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
