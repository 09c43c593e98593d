"""Estimate the compute cost of one run of each option from a dated price table.

The model is deliberately simple and printed in full in the report, so a reviewer can argue
with it. One run trains every candidate (``candidate_models``), each with ``tuning_trials``
trials when tuning is automated, on an instance chosen by data size:

* **script**: each training job preprocesses the data itself, so every trial pays for every
  processing stage again;
* **pipeline**: each processing stage runs once as its own job, then the training jobs, then
  one evaluation job per candidate. Orchestration itself is free; with step caching a rerun on
  unchanged data skips the processing steps (shown as the cached rerun).

Hours per job are data size ÷ the tier's throughput (× ``training_passes`` for training), and
never less than ``min_job_hours`` (start-up, download and upload are billed too).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import UserError
from advisor.questions import Value
from generators import untrusted
from generators.message_text import clip

SHIPPED = Path(__file__).with_name("prices.json")
Option = Literal["script", "pipeline"]


class PricesError(UserError):
    """A --prices file is missing, malformed or lacks a price the estimate needs."""


@dataclass(frozen=True)
class Tier:
    """The instance used for data up to ``up_to_gb`` (None: any size) and its throughput."""

    up_to_gb: float | None
    instance: str
    gb_per_hour: float


@dataclass(frozen=True)
class Prices:
    """A dated price table plus the assumptions that turn answers into instance-hours."""

    source: str
    as_of: str
    note: str
    region: str
    currency: str
    usd_per_hour: dict[str, float]
    tiers: tuple[Tier, ...]
    evaluation_instance: str
    min_job_hours: float
    training_passes: float
    tuning_trials: int
    origin: str

    def price(self, instance: str) -> float:
        """Price per hour of an instance type, or a PricesError naming what to add."""
        if instance not in self.usd_per_hour:
            raise PricesError(
                f"{self.origin}: no price for {clip(instance)}; add it under 'usd_per_hour'."
            )
        return self.usd_per_hour[instance]

    def tier(self, gb: float) -> Tier:
        """The tier whose ``up_to_gb`` covers ``gb`` (the last tier covers everything)."""
        return next(
            (t for t in self.tiers if t.up_to_gb is None or gb <= t.up_to_gb), self.tiers[-1]
        )


def load_prices(path: str | None = None) -> Prices:
    """Load the shipped table, with ``path`` (JSON) layered over it when given.

    An override must name its own ``source`` and ``as_of`` so that a report never shows the
    shipped date next to someone else's prices; ``usd_per_hour`` and ``assumptions`` are merged.
    """
    base = json.loads(SHIPPED.read_text(encoding="utf-8"))
    if path is None:
        return _parse(base, "the shipped price table")
    override = _read(Path(path))
    where = untrusted.shown_path(path)
    missing = [k for k in ("source", "as_of") if not isinstance(override.get(k), str)]
    if missing:
        raise PricesError(
            f"{where}: missing {' and '.join(missing)}; say where the prices come from."
        )
    merged = {**base, **override, "note": override.get("note", "")}
    for key in ("usd_per_hour", "assumptions"):
        layer = override.get(key, {})
        if not isinstance(layer, dict):
            raise PricesError(
                f"{where}: {key}: expected a JSON object; follow the shipped prices.json."
            )
        merged[key] = {**base[key], **layer}
    return _parse(merged, where)


def _read(path: Path) -> dict[str, Any]:
    """Read a --prices file as bounded, untrusted JSON (see ``generators.untrusted``)."""
    where = untrusted.shown_path(path)
    try:
        data = untrusted.load_json(untrusted.read_text(path), where)
    except untrusted.MissingFile:
        raise PricesError(f"{where}: no such file; check the path given to --prices.") from None
    except untrusted.InputError as err:
        raise PricesError(f"{err} Give a JSON price table like the shipped prices.json.") from None
    if not isinstance(data, dict):
        raise PricesError(f"{where}: expected a JSON object like the shipped prices.json.")
    return data


# JSON numbers only (never a string or a boolean), finite, and within bounds far beyond any real
# table, so that no estimate can overflow (see ``estimate``).
_Strict = Field(strict=True, allow_inf_nan=False)
Price = Annotated[float, _Strict, Field(gt=0, le=1_000_000)]
Throughput = Annotated[float, _Strict, Field(ge=0.001, le=1e9)]
Gigabytes = Annotated[float, _Strict, Field(gt=0, le=1e12)]
Hours = Annotated[float, _Strict, Field(ge=0, le=1000)]
Passes = Annotated[float, _Strict, Field(gt=0, le=1000)]
Trials = Annotated[int, Field(strict=True, ge=1, le=100_000)]
Name = Annotated[str, Field(strict=True, min_length=1, max_length=100)]


class _Tier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    up_to_gb: Gigabytes | None
    instance: Name
    gb_per_hour: Throughput


class _Assumptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tiers: list[_Tier] = Field(min_length=1, max_length=100)
    evaluation_instance: Name
    min_job_hours: Hours
    training_passes: Passes
    tuning_trials: Trials


class _PriceTable(BaseModel):
    """The JSON shape of prices.json (and of a --prices override after merging)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: Annotated[str, Field(strict=True, max_length=1000)]
    as_of: Annotated[str, Field(strict=True, max_length=100)]
    note: Annotated[str, Field(strict=True, max_length=5000)] = ""
    region: Annotated[str, Field(strict=True, max_length=100)] = ""
    currency: Annotated[str, Field(strict=True, min_length=1, max_length=10)] = "USD"
    usd_per_hour: dict[Name, Price] = Field(max_length=10_000)
    assumptions: _Assumptions


def _parse(data: dict[str, Any], origin: str) -> Prices:
    """Validate a price table with pydantic; the first problem becomes a one-line error."""
    try:
        table = _PriceTable.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = clip(".".join(str(part) for part in first["loc"])) or "the table"
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        raise PricesError(
            f"{origin}: {where}: {first['msg'].lower()}{more}; follow the shipped prices.json."
        ) from None
    a = table.assumptions
    return Prices(
        source=table.source,
        as_of=table.as_of,
        note=table.note,
        region=table.region,
        currency=table.currency,
        usd_per_hour=dict(table.usd_per_hour),
        tiers=tuple(Tier(t.up_to_gb, t.instance, t.gb_per_hour) for t in a.tiers),
        evaluation_instance=a.evaluation_instance,
        min_job_hours=a.min_job_hours,
        training_passes=a.training_passes,
        tuning_trials=a.tuning_trials,
        origin=origin,
    )


@dataclass(frozen=True)
class CostLine:
    """One kind of job in a run: how many, on what, for how long, at what price."""

    step: str
    instance: str
    jobs: int
    hours_per_job: float
    usd_per_hour: float
    cached: bool = False

    @property
    def cost(self) -> float:
        """Jobs × hours × price."""
        return self.jobs * self.hours_per_job * self.usd_per_hour


@dataclass(frozen=True)
class OptionCost:
    """The estimated cost of one run of one option."""

    option: Option
    lines: tuple[CostLine, ...]

    @property
    def total(self) -> float:
        """Sum of the lines."""
        return sum(line.cost for line in self.lines)

    @property
    def cached_rerun(self) -> float:
        """A rerun on unchanged data: cacheable (processing) steps are skipped."""
        return sum(line.cost for line in self.lines if not line.cached)


def estimate(answers: Mapping[str, Value], prices: Prices) -> tuple[OptionCost, OptionCost]:
    """Return the (script, pipeline) cost of one run for these answers."""
    gb = float(answers["data_size_gb"])
    stages, candidates = int(answers["processing_steps"]), int(answers["candidate_models"])
    trials = prices.tuning_trials if answers["tuning"] == "automated" else 1
    tier = prices.tier(gb)
    rate = prices.price(tier.instance)
    one_pass = gb / tier.gb_per_hour
    train = prices.training_passes * one_pass
    jobs = candidates * trials
    what = f"{_count(candidates, 'candidate')} × {_count(trials, 'trial')}"

    def hours(h: float) -> float:
        return max(prices.min_job_hours, h)

    script = OptionCost(
        "script",
        (CostLine(f"Training job with inline processing, {what}", tier.instance, jobs,
                  hours(stages * one_pass + train), rate),),
    )  # fmt: skip
    evaluation = prices.evaluation_instance
    pipeline = OptionCost(
        "pipeline",
        (
            CostLine(f"Processing steps, {_count(stages, 'stage')}", tier.instance, stages,
                     hours(one_pass), rate, cached=True),
            CostLine(f"Training steps, {what}", tier.instance, jobs, hours(train), rate),
            CostLine("Evaluation steps, one per candidate", evaluation, candidates,
                     prices.min_job_hours, prices.price(evaluation)),
        ),
    )  # fmt: skip
    return script, pipeline


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
