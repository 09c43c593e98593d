"""Serve the model on a SageMaker endpoint (the sklearn inference container).

The container calls these four functions. A request holds rows of the feature columns in
training order, without the ``target`` column, as ``text/csv`` (no header) or
``application/json`` (``{"instances": [[...], ...]}``, a list of rows, or a list of
``{"column": value}`` records). The answer is one probability of label 1 per row, as
``text/csv`` (one per line) or ``application/json`` (``{"predictions": [...]}``), following the
Accept header; without one, the endpoint's ``SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT`` (text/csv)
applies. Bad requests get a 4xx status and a message. train.py copies this file and
the modules it imports into the model archive's ``code/`` folder (SAGEMAKER_SUBMIT_DIRECTORY).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from features import load_preprocessor, to_matrix
from model import load_model, predict_proba

CSV = "text/csv"
JSON = "application/json"
ANY = "*/*"

try:  # in AWS's serving containers: the toolkit answers its errors with their status code
    from sagemaker_inference.errors import GenericInferenceToolkitError

    class RequestError(GenericInferenceToolkitError, ValueError):
        """A bad request: answered with its 4xx status and message instead of a 500."""

except ImportError:  # without the serving toolkit (a unit test): a ValueError with the message

    class RequestError(ValueError):  # type: ignore[no-redef]
        """A bad request: answered with its 4xx status and message instead of a 500."""

        def __init__(self, status_code: int, message: str) -> None:
            super().__init__(message)
            self.status_code = status_code


def media_type(header: str | None) -> str:
    """The bare media type of a header value: ``text/csv; charset=utf-8`` -> ``text/csv``."""
    return (header or "").split(";")[0].strip().lower()


def model_fn(model_dir: str, context: object = None) -> dict:
    """Load the model and the preprocessor fitted with it."""
    folder = Path(model_dir)
    return {"model": load_model(folder), "preprocessor": load_preprocessor(folder)}


def decode(body: bytes | bytearray | memoryview | str) -> str:
    """The body as text: the serving stack passes str for exactly text/csv, else raw bytes."""
    if isinstance(body, str):
        return body
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError as err:
        raise RequestError(400, f"the body is not UTF-8 text: {err}") from err


def rows_from_json(text: str) -> pd.DataFrame:
    """Rows from ``{"instances": rows}``, ``rows`` or one row; a row is a list or a record."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise RequestError(400, f"the body is not valid JSON: {err}") from err
    if isinstance(data, dict):
        data = data.get("instances", [data])
    if isinstance(data, list) and data and not isinstance(data[0], (list, dict)):
        data = [data]
    if not isinstance(data, list) or not data or not all(isinstance(r, (list, dict)) for r in data):
        raise RequestError(400, 'send JSON rows: {"instances": [[value, ...], ...]}')
    if all(isinstance(r, dict) for r in data):
        return pd.DataFrame.from_records(data)
    return pd.DataFrame(data)


def input_fn(
    body: bytes | bytearray | memoryview | str, content_type: str | None = CSV
) -> pd.DataFrame:
    """Parse the request body (CSV rows without header, or JSON) into a table."""
    kind = media_type(content_type)
    if kind not in (CSV, JSON):
        message = f"unsupported content type {content_type!r}; send {CSV} or {JSON}"
        raise RequestError(415, message)
    text = decode(body)
    if not text.strip():
        raise RequestError(400, "the body is empty; send one or more rows of feature values")
    if kind == JSON:
        return rows_from_json(text)
    try:
        return pd.read_csv(io.StringIO(text), header=None)
    except (pd.errors.ParserError, ValueError) as err:
        raise RequestError(400, f"the body is not CSV rows of equal length: {err}") from err


def named_rows(rows: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The rows with the training column names, in training order; a 400 when they do not fit."""
    expected = f"{len(names)} columns ({', '.join(names)})"
    if all(isinstance(c, str) for c in rows.columns):
        missing = [n for n in names if n not in rows.columns]
        if missing:
            raise RequestError(400, f"records miss {', '.join(missing)}; expected {expected}")
        return rows[names]
    if rows.shape[1] != len(names):
        raise RequestError(400, f"expected {expected}, got {rows.shape[1]}")
    return rows.set_axis(names, axis=1)


def predict_fn(rows: pd.DataFrame, artifacts: dict) -> np.ndarray:
    """Name the columns as in training, encode them and predict."""
    preprocessor = artifacts["preprocessor"]
    rows = named_rows(rows, list(preprocessor.feature_names_in_))
    try:
        matrix = to_matrix(preprocessor, rows)
    except (TypeError, ValueError) as err:
        message = f"the rows do not fit the training columns' types: {err}"
        raise RequestError(400, message) from err
    return predict_proba(artifacts["model"], matrix)


def response_type(accept: str | None) -> str:
    """The first type of the Accept list that this model answers (CSV for ``*/*``)."""
    for entry in (accept or CSV).split(","):
        kind = media_type(entry)
        if kind in (CSV, JSON):
            return kind
        if kind == ANY:
            return CSV
    raise RequestError(406, f"unsupported accept type {accept!r}; ask for {CSV} or {JSON}")


def output_fn(prediction: np.ndarray, accept: str | None = CSV) -> tuple[str, str]:
    """Return the probabilities (one per row) and the response's content type."""
    kind = response_type(accept)
    values = [round(float(p), 6) for p in np.asarray(prediction).ravel()]
    if kind == JSON:
        return json.dumps({"predictions": values}), JSON
    return "".join(f"{p:.6f}\n" for p in values), CSV
