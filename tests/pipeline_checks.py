"""Check a SageMaker pipeline definition: AWS's JSON schema step by step, then its wiring.

The schema (``../shared/spec/pipeline-definition.schema.json``, from
aws-sagemaker-mlops/sagemaker-model-building-pipeline-definition-JSON-schema) lags the SDK, and
one ``oneOf`` over every step type gives unreadable errors. So:

- the top level is validated with ``Steps`` emptied;
- every step, including those in condition branches, is validated against the definition of its
  own ``Type`` (a ConditionStep with its branches emptied), and each branch step's type is
  checked against the types the schema allows in branches;
- each error becomes ``(where, path, message)`` (one per unexpected property; a ``Get`` or
  ``Std:*`` function rejected by a oneOf/anyOf reads "<function> not allowed") and is matched
  against an allow-list of the schema's known lags (``tests/data/schema_allowlist_<sdk>.json``,
  fnmatch patterns, each entry saying why). Anything else is an unexpected error.

``structural_errors`` checks what the schema cannot: unique names, every ``Get`` resolving to a
declared parameter, an execution variable or an *earlier* step (property files included), and
``DependsOn`` naming earlier steps.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT.parent / "shared" / "spec" / "pipeline-definition.schema.json"
DATA = Path(__file__).resolve().parent / "data"

# Step Type -> schema definition. EndpointConfigStep exists but declares Type enum ["Endpoint"]
# (a schema bug, allow-listed), so its body is still validated against it.
TYPE_TO_DEFINITION = {
    "Condition": "ConditionStep",
    "Training": "TrainingStep",
    "Processing": "ProcessingStep",
    "Transform": "TransformStep",
    "Model": "CreateModelStep",
    "RegisterModel": "RegisterModelStep",
    "Lambda": "LambdaStep",
    "Callback": "CallbackStep",
    "Tuning": "TuningStep",
    "ClarifyCheck": "ClarifyCheckStep",
    "QualityCheck": "QualityCheckStep",
    "EMR": "EMRStep",
    "Fail": "FailStep",
    "AutoML": "AutoMLStep",
    "Endpoint": "EndpointStep",
    "EndpointConfig": "EndpointConfigStep",
}
EXECUTION_VARIABLES = {
    "PipelineExecutionId",
    "PipelineExecutionArn",
    "PipelineName",
    "PipelineArn",
    "CurrentDateTime",
    "StartDateTime",
}


@dataclass(frozen=True)
class SchemaError:
    """One schema error: where ("<top>" or "<Type>:<Name>"), the JSON path, a stable message."""

    where: str
    path: str
    message: str

    @property
    def step_type(self) -> str:
        return self.where.split(":", 1)[0]

    def __str__(self) -> str:
        return f"{self.where} @ {self.path or '.'}: {self.message}"


def load_allowlist(sdk: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        (DATA / f"schema_allowlist_{sdk}.json").read_text(encoding="utf-8")
    )["allow"]
    return entries


def _is_function(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 1
        and ("Get" in value or next(iter(value)).startswith("Std:"))
    )


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """Descend into oneOf/anyOf to the best-matching branch (a rejected function stays whole)."""
    if error.context and not _is_function(error.instance):
        by_branch: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            by_branch.setdefault(sub.schema_path[0], []).append(sub)
        best = max(by_branch.values(), key=lambda errs: max(len(e.absolute_path) for e in errs))
        for sub in best:
            yield from _leaves(sub)
    else:
        yield error


def _reduce(error: ValidationError, where: str) -> Iterator[SchemaError]:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for prop in sorted(set(error.instance) - allowed):
            yield SchemaError(where, f"{path}.{prop}".lstrip("."), "unexpected property")
    elif error.validator in ("oneOf", "anyOf", "type"):
        kind = next(iter(error.instance)) if _is_function(error.instance) else None
        yield SchemaError(where, path, f"{kind or type(error.instance).__name__} not allowed")
    else:
        yield SchemaError(where, path, error.message[:160])


def _validate(
    part: dict[str, Any], schema: dict[str, Any], instance: Any, where: str
) -> set[SchemaError]:
    validator = Draft7Validator({**part, "definitions": schema["definitions"]})
    return {
        reduced
        for error in validator.iter_errors(instance)
        for leaf in _leaves(error)
        for reduced in _reduce(leaf, where)
    }


def _branch_types(schema: dict[str, Any]) -> set[str]:
    arguments = schema["definitions"]["ConditionStep"]["properties"]["Arguments"]
    refs = arguments["properties"]["IfSteps"]["items"]["oneOf"]
    names = {ref["$ref"].rsplit("/", 1)[1] for ref in refs}
    return {t for t, d in TYPE_TO_DEFINITION.items() if d in names}


def schema_errors(definition: dict[str, Any], schema: dict[str, Any]) -> list[SchemaError]:
    """Every schema error of the definition, step by step."""
    top = {**definition, "Steps": []}
    errors = _validate(
        {k: v for k, v in schema.items() if k != "definitions"}, schema, top, "<top>"
    )
    branch_types = _branch_types(schema)
    for step, in_branch in walk(definition.get("Steps", [])):
        kind, where = step.get("Type", "?"), f"{step.get('Type')}:{step.get('Name')}"
        if in_branch and kind not in branch_types:
            errors.add(
                SchemaError(where, "", f"step type {kind} not allowed in a condition branch")
            )
        name = TYPE_TO_DEFINITION.get(kind)
        if name is None:
            errors.add(SchemaError(where, "Type", f"unknown step type {kind}"))
            continue
        body = copy.deepcopy(step)
        if kind == "Condition":
            body["Arguments"]["IfSteps"], body["Arguments"]["ElseSteps"] = [], []
        errors |= _validate(schema["definitions"][name], schema, body, where)
    return sorted(errors, key=str)


def walk(
    steps: list[dict[str, Any]], in_branch: bool = False
) -> Iterator[tuple[dict[str, Any], bool]]:
    """Steps in execution-declaration order: a condition step, then its if and else branches."""
    for step in steps:
        yield step, in_branch
        if step.get("Type") == "Condition":
            arguments = step.get("Arguments", {})
            yield from walk(arguments.get("IfSteps", []), True)
            yield from walk(arguments.get("ElseSteps", []), True)


def own_arguments(step: dict[str, Any]) -> dict[str, Any]:
    """A step's arguments without its condition branches (those steps are checked on their own)."""
    arguments = dict(step.get("Arguments", {}))
    if step.get("Type") == "Condition":
        arguments.pop("IfSteps", None)
        arguments.pop("ElseSteps", None)
    return arguments


def references(value: Any) -> Iterator[str]:
    """Every ``{"Get": "..."}`` reference inside a JSON value."""
    if isinstance(value, dict):
        if isinstance(value.get("Get"), str):
            yield value["Get"]
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def _reference_problem(
    ref: str, params: set[str], earlier: dict[str, dict[str, Any]]
) -> str | None:
    head, _, rest = ref.partition(".")
    target = re.split(r"[.\[]", rest, maxsplit=1)[0]
    if head == "Parameters":
        return None if target in params else f"unknown parameter {ref}"
    if head == "Execution":
        return None if target in EXECUTION_VARIABLES else f"unknown execution variable {ref}"
    if head != "Steps":
        return f"unknown reference {ref}"
    if target not in earlier:
        return f"{ref} is not an earlier step"
    match = re.match(r"[^.]+\.PropertyFiles\.([^.\[]+)", rest)
    declared = {p.get("PropertyFileName") for p in earlier[target].get("PropertyFiles", [])}
    if match and match.group(1) not in declared:
        return f"{ref}: {target} declares no such property file"
    return None


def structural_errors(definition: dict[str, Any]) -> list[str]:
    """Problems the schema cannot see: names, references, dependencies, property files."""
    problems: list[str] = []
    names = [p.get("Name") for p in definition.get("Parameters", [])]
    params = set(names)
    if len(params) != len(names):
        problems.append(f"duplicate parameter names in {names}")
    earlier: dict[str, dict[str, Any]] = {}
    for step, _ in walk(definition.get("Steps", [])):
        name = step.get("Name", "?")
        if name in earlier:
            problems.append(f"duplicate step name {name}")
        for ref in references(own_arguments(step)):
            problem = _reference_problem(ref, params, earlier)
            if problem:
                problems.append(f"{name}: {problem}")
        problems += [
            f"{name}: DependsOn {d} is not an earlier step"
            for d in step.get("DependsOn", [])
            if d not in earlier
        ]
        outputs = {
            o.get("OutputName")
            for o in step.get("Arguments", {}).get("ProcessingOutputConfig", {}).get("Outputs", [])
        }
        for pf in step.get("PropertyFiles", []):
            if pf.get("OutputName") not in outputs:
                problems.append(f"{name}: property file output {pf.get('OutputName')} missing")
        earlier[name] = step
    return problems


def allowed_by(error: SchemaError, allowlist: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first allow-list entry whose patterns match the error, if any."""
    for entry in allowlist:
        if (
            fnmatch.fnmatchcase(error.step_type, entry.get("step_type", "*"))
            and fnmatch.fnmatchcase(error.path, entry.get("path", "*"))
            and fnmatch.fnmatchcase(error.message, entry.get("message", "*"))
        ):
            return entry
    return None


@dataclass
class Report:
    """The outcome of ``check``: allowed errors with their entry ids, and what fails."""

    allowed: list[tuple[SchemaError, str]]
    unexpected: list[SchemaError]
    structural: list[str]

    def problems(self) -> list[str]:
        unexpected = [f"UNEXPECTED {e}" for e in self.unexpected]
        return unexpected + [f"STRUCTURE {p}" for p in self.structural]


def check(
    definition: dict[str, Any], schema: dict[str, Any], allowlist: list[dict[str, Any]]
) -> Report:
    """Validate and split the errors into allowed and unexpected; add the structural checks."""
    report = Report([], [], structural_errors(definition))
    for error in schema_errors(definition, schema):
        entry = allowed_by(error, allowlist)
        if entry is None:
            report.unexpected.append(error)
        else:
            report.allowed.append((error, entry["id"]))
    return report


def s3_locations(value: Any) -> Iterator[str]:
    """Every S3 location in a definition: plain strings, and ``Std:Join``s of ``s3:/`` parts
    with each non-string part shown as ``{…}``. JSON-encoded hyperparameters are unquoted."""
    if isinstance(value, dict):
        join = value.get("Std:Join")
        if isinstance(join, dict) and join.get("Values", [None])[0] == "s3:/":
            parts = [v if isinstance(v, str) else "{…}" for v in join["Values"]]
            yield join.get("On", "").join(parts)
            return
        for item in value.values():
            yield from s3_locations(item)
    elif isinstance(value, list):
        for item in value:
            yield from s3_locations(item)
    elif isinstance(value, str) and "s3://" in value:
        yield value.strip('"')


def outside_project_prefix(definition: dict[str, Any]) -> list[str]:
    """The S3 locations not under ``s3://<bucket>/<prefix>/``, the prefix of ``InputDataUrl``'s
    default (where the project keeps its data): a role scoped to that prefix must suffice."""
    data = next(p for p in definition["Parameters"] if p["Name"] == "InputDataUrl")
    bucket, prefix = data["DefaultValue"].removeprefix("s3://").split("/")[:2]
    root = f"s3://{bucket}/{prefix}/"
    return sorted({uri for uri in s3_locations(definition) if not uri.startswith(root)})
