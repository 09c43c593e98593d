"""Generated code run the way AWS's containers run it: training started by the real
``sagemaker-training`` toolkit, serving through the real ``sagemaker-inference`` toolkit.

- ``runtime_for(project, row)`` is the ONE place that chooses the interpreter and libraries
  these runs use: the container contract of ``row`` (its Python minor version and pinned
  libraries, ``contracts.contract_venv``) plus the training toolkit version the image carries
  and the sagemaker-inference version the serve command needs. Without an interpreter of that
  Python here (CI without pyenv), this machine's, as the printed ``[contract]`` line says.
  PyTorch is the exception: torch 2.6.0 for Python 3.12 on PyPI is the CUDA build (its nvidia-*
  wheels are several GB), so a PyTorch project runs on this machine's Python with its own
  runtime requirements (CPU torch) and the toolkits' PyPI versions; ``Runtime.contract`` says
  which.
- ``train_with_toolkit`` lays out an ``/opt/ml``-shaped tree under ``SAGEMAKER_BASE_DIR``:
  ``input/config/{hyperparameters,inputdataconfig,resourceconfig}.json`` (host ``localhost``,
  which the toolkit waits to resolve), the ``train`` and ``validation`` channels, and the code as
  each SDK ships it; then runs ``sagemaker_training.trainer.train()`` as the container does.
  The hyperparameters are the ones the SDK wrote into the pipeline definition's training step:
  SDK v2's Framework estimator JSON-encodes every value (``"150"``, ``"\\"train.py\\""``) and
  names the entry point in ``sagemaker_program``; v3's ModelTrainer leaves strings bare
  (``safe_serialize``) and sends no entry point: its jobs start through the SDK's own driver
  script (``ContainerEntrypoint`` sm_train.sh), so here the toolkit gets ``SAGEMAKER_PROGRAM``
  from the environment and the code in ``<base>/code``, as in a container with baked-in code.
- ``serving(...)`` starts the project's own serve command on a free port and yields its URL;
  ``invoke`` sends one request with exactly the headers given (``http.client`` adds only Host,
  Accept-Encoding and Content-Length: no Accept unless asked).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import selectors
import shutil
import subprocess
import tarfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts import contract_venv
from generated import Venv, clean_env, requirements_venv

from generators.containers import (
    LOCAL_SERVING_TOOLKIT,
    LOCAL_TRAINING_TOOLKIT,
    STAND_IN_TRAINING_TOOLKIT,
    Contract,
)

# On this machine's Python (PyTorch): the toolkits' current releases.
TOOLKITS = (LOCAL_TRAINING_TOOLKIT, LOCAL_SERVING_TOOLKIT)
SPLITS = ("train", "validation")
HOST_CONFIG = {
    "current_host": "localhost",
    "hosts": ["localhost"],
    "current_group_name": "homogeneousCluster",
    "current_instance_type": "ml.m5.xlarge",
    "instance_groups": [
        {
            "instance_group_name": "homogeneousCluster",
            "instance_type": "ml.m5.xlarge",
            "hosts": ["localhost"],
        }
    ],
    "network_interface_name": "lo",
}
CHANNEL_CONFIG = {
    "TrainingInputMode": "File",
    "S3DistributionType": "FullyReplicated",
    "RecordWrapperType": "None",
}


def runtime_requirements(project: Path) -> str:
    """The project's runtime requirements (before its ``[aws]`` section) and the toolkits."""
    lines = []
    for line in (project / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# [aws]"):
            break
        if line.strip() and not line.startswith("#"):
            lines.append(line.strip())
    return "\n".join([*lines, *TOOLKITS]) + "\n"


@dataclass(frozen=True)
class Runtime:
    """The venv that trains and serves a project, what its process needs, what it stands for."""

    venv: Venv
    env: dict[str, str]
    contract: str
    built: bool


def toolkits_for(row: Contract) -> tuple[str, str]:
    """The training and serving toolkits installed with ``row``'s libraries."""
    return (row.training_toolkit or STAND_IN_TRAINING_TOOLKIT, LOCAL_SERVING_TOOLKIT)


def prebuild(rows: Iterable[Contract]) -> None:
    """Build the contract venvs of ``rows`` at once, in threads (uv downloads and installs in
    parallel; each venv is locked by its hash). A failure is left to the run that needs it."""
    wanted = [row for row in dict.fromkeys(rows) if row.framework != "pytorch"]
    with ThreadPoolExecutor(max_workers=max(1, len(wanted))) as pool:
        futures = [pool.submit(contract_venv, row, toolkits_for(row)) for row in wanted]
    for future in futures:
        if future.exception() is not None:
            print(f"[contract] prebuild failed: {future.exception()}")


def runtime_for(project: Path, row: Contract) -> Runtime:
    """The interpreter and libraries that train and serve ``project`` (image ``row``)."""
    if row.framework == "pytorch":
        venv = requirements_venv(runtime_requirements(project))
        what = f"this machine's Python, not {row.key}'s {row.python} (torch CUDA-only there)"
        return Runtime(venv, {}, what, venv.built)
    toolkits = toolkits_for(row)
    cv = contract_venv(row, toolkits)
    if cv is None:  # CI without pyenv has no 3.10/3.12: keep the toolkit checks, say so
        venv = requirements_venv(runtime_requirements(project))
        what = f"this machine's Python: no Python {row.python} here for {row.key}"
        print(f"[contract] {what} (pyenv's {row.python} or tools/debian_python.sh gives one)")
        return Runtime(venv, {}, what, venv.built)
    pins = ", ".join(f"{name} {v}" for name, v in sorted(row.libraries.items()))
    what = f"{row.key}: Python {row.python}, {pins}, {', '.join(toolkits)}"
    return Runtime(cv.venv, dict(cv.interpreter.env), what, cv.venv.built)


def split_sample(sample: Path, into: Path, every: int = 5) -> dict[str, Path]:
    """Channel folders: every ``every``-th row of the sample for validation, the rest train."""
    header, *rows = sample.read_text(encoding="utf-8").splitlines()
    parts = {
        "train": [r for i, r in enumerate(rows) if i % every],
        "validation": [r for i, r in enumerate(rows) if not i % every],
    }
    channels = {}
    for name, part in parts.items():
        folder = into / name
        folder.mkdir(parents=True)
        (folder / f"{name}.csv").write_text("\n".join([header, *part]) + "\n", encoding="utf-8")
        channels[name] = folder
    return channels


def serving_environments(definition: dict[str, Any]) -> list[dict[str, str]]:
    """Every container Environment in the definition that runs inference.py (the models)."""
    found: list[dict[str, str]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            env = node.get("Environment")
            if isinstance(env, dict) and env.get("SAGEMAKER_PROGRAM") == "inference.py":
                found.append(env)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(definition)
    return found


def training_hyperparameters(definition: dict[str, Any]) -> dict[str, str]:
    """The HyperParameters of the definition's TrainModel step, exactly as the SDK wrote them."""
    step = next(s for s in definition["Steps"] if s["Name"] == "TrainModel")
    return dict(step["Arguments"]["HyperParameters"])


@dataclass
class TrainingRun:
    """A finished toolkit run: its /opt/ml tree, exit status, output and duration."""

    base: Path
    returncode: int
    output: str
    seconds: float

    @property
    def model_dir(self) -> Path:
        """Where SageMaker collects the model (uploaded as model.tar.gz)."""
        return self.base / "model"

    @property
    def succeeded(self) -> bool:
        """The toolkit's verdict: output/success written, no output/failure."""
        output = self.base / "output"
        return (output / "success").is_file() and not (output / "failure").exists()

    @property
    def metrics(self) -> dict[str, Any]:
        """metrics.json from /opt/ml/output/data (uploaded as output.tar.gz)."""
        data: dict[str, Any] = json.loads(
            (self.base / "output" / "data" / "metrics.json").read_text(encoding="utf-8")
        )
        return data

    def archive(self) -> Path:
        """model.tar.gz as SageMaker packs /opt/ml/model."""
        path = self.base / "model.tar.gz"
        with tarfile.open(path, "w:gz") as tar:
            for item in sorted(self.model_dir.iterdir()):
                tar.add(item, arcname=item.name)
        return path


def opt_ml_tree(
    base: Path, code: Path, channels: dict[str, Path], hyperparameters: dict[str, str], sdk: str
) -> dict[str, str]:
    """Lay out SAGEMAKER_BASE_DIR like /opt/ml; return the container environment to add."""
    config = base / "input" / "config"
    config.mkdir(parents=True)
    for name, source in channels.items():
        shutil.copytree(source, base / "input" / "data" / name)
    env = {"SAGEMAKER_BASE_DIR": str(base)}
    data_config = dict.fromkeys(channels, CHANNEL_CONFIG)
    if sdk == "v2":
        # The SDK uploads sourcedir.tar.gz and names it in sagemaker_submit_directory (S3).
        sourcedir = base / "sourcedir.tar.gz"
        with tarfile.open(sourcedir, "w:gz") as tar:
            for item in sorted(code.iterdir()):
                if item.suffix == ".py":
                    tar.add(item, arcname=item.name)
        submit = {"sagemaker_submit_directory": json.dumps(str(sourcedir))}
        hyperparameters = {**hyperparameters, **submit}
    else:
        # No sagemaker_submit_directory: the toolkit runs SAGEMAKER_PROGRAM from <base>/code.
        shutil.copytree(code, base / "code", ignore=shutil.ignore_patterns("__pycache__"))
        env["SAGEMAKER_PROGRAM"] = "train.py"
    files = {
        "hyperparameters.json": hyperparameters,
        "inputdataconfig.json": data_config,
        "resourceconfig.json": HOST_CONFIG,
    }
    for name, content in files.items():
        (config / name).write_text(json.dumps(content, indent=2), encoding="utf-8")
    return env


def train_with_toolkit(
    runtime: Runtime,
    base: Path,
    code: Path,
    channels: dict[str, Path],
    hyperparameters: dict[str, str],
    sdk: str,
    home: Path,
) -> TrainingRun:
    """Run ``sagemaker_training.trainer.train()`` on an /opt/ml tree under ``base``."""
    venv = runtime.venv
    env = {**clean_env(venv, home), **runtime.env}
    env.update(opt_ml_tree(base, code, channels, hyperparameters, sdk))
    # The toolkit pip-installs a requirements.txt shipped with the code: never from an index
    # here (it would change the shared venv); the run fails instead.
    env["PIP_NO_INDEX"] = "1"
    start = time.perf_counter()
    done = subprocess.run(
        [str(venv.python), "-c", "from sagemaker_training import trainer; trainer.train()"],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - start
    return TrainingRun(base, done.returncode, done.stdout + done.stderr, seconds)


@dataclass
class Answer:
    """One HTTP response."""

    status: int
    content_type: str
    body: str


def invoke(url: str, body: bytes, headers: dict[str, str], path: str = "/invocations") -> Answer:
    """POST ``body`` with exactly ``headers`` (plus Host, Accept-Encoding, Content-Length)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        return Answer(response.status, response.getheader("Content-Type") or "", text)
    finally:
        connection.close()


def ping(url: str) -> int:
    """GET /ping's status."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", "/ping")
        return connection.getresponse().status
    finally:
        connection.close()


SERVING_LINE = re.compile(r"at (http://127\.0\.0\.1:\d+) ")


@contextlib.contextmanager
def serving(
    runtime: Runtime,
    project: Path,
    command: list[str],
    home: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> Iterator[str]:
    """Start ``python COMMAND --port 0`` in ``project`` (``env`` added to a clean environment,
    as a model's environment is to the container's); yield its URL; stop it afterwards."""
    process = subprocess.Popen(
        [str(runtime.venv.python), *command, "--port", "0"],
        cwd=project,
        env={**clean_env(runtime.venv, home), **runtime.env, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield _wait_for_url(process, timeout)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        assert process.stdout and process.stderr
        process.stdout.close()
        process.stderr.close()


def _wait_for_url(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            line = process.stdout.readline()
            found = SERVING_LINE.search(line)
            if found:
                return found.group(1)
            if not line and process.poll() is not None:
                break
    process.kill()
    err = process.stderr.read() if process.stderr else ""
    raise AssertionError(f"the server did not start within {timeout:.0f} s:\n{err[-3000:]}")


def typed(value: str) -> float | str:
    """A CSV cell as JSON would carry it: a number when it parses as one."""
    try:
        return float(value) if "." in value else int(value)
    except ValueError:
        return value


@dataclass
class Rows:
    """Feature rows and labels read from a channel's CSV, in the encodings clients send."""

    names: list[str]
    features: list[list[str]]
    labels: list[int]

    @classmethod
    def read(cls, csv_file: Path, target: str = "target") -> Rows:
        header, *lines = csv_file.read_text(encoding="utf-8").splitlines()
        names = header.split(",")
        where = names.index(target)
        cells = [line.split(",") for line in lines]
        features = [[v for i, v in enumerate(row) if i != where] for row in cells]
        return cls([n for n in names if n != target], features, [int(r[where]) for r in cells])

    def csv(self, columns: slice = slice(None)) -> bytes:
        return "\n".join(",".join(row[columns]) for row in self.features).encode()

    def json(self) -> bytes:
        return json.dumps(
            {"instances": [[typed(v) for v in row] for row in self.features]}
        ).encode()

    def records(self) -> bytes:
        rows = [dict(zip(self.names, map(typed, row), strict=True)) for row in self.features]
        return json.dumps(rows).encode()


def scores_of(answer: Answer) -> list[float]:
    """The probabilities in a 200 answer, CSV or JSON."""
    assert answer.status == 200, f"{answer.status}: {answer.body[:2000]}"
    if answer.content_type == "application/json":
        return [float(p) for p in json.loads(answer.body)["predictions"]]
    assert answer.content_type == "text/csv", answer.content_type
    return [float(line) for line in answer.body.split()]


def rejected(answer: Answer, status: int, words: str) -> None:
    """A 4xx answer whose first line says what was wrong."""
    first_line = answer.body.splitlines()[0] if answer.body else ""
    assert answer.status == status, f"expected {status}, got {answer.status}: {answer.body[:2000]}"
    assert words in first_line, first_line


def assert_endpoint_contract(url: str, rows: Rows, floor: float = 0.7) -> None:
    """Every request shape a client sends gets what a SageMaker endpoint would answer."""
    assert ping(url) == 200
    csv_in = {"Content-Type": "text/csv"}
    json_in = {"Content-Type": "application/json"}
    csv, js = "text/csv", "application/json"
    base = invoke(url, rows.csv(), {**csv_in, "Accept": "text/csv"})
    scores = scores_of(base)
    assert len(scores) == len(rows.labels) and all(0.0 <= s <= 1.0 for s in scores)
    hits = sum((s >= 0.5) == bool(y) for s, y in zip(scores, rows.labels, strict=True))
    assert hits / len(scores) >= floor, f"accuracy {hits / len(scores):.3f} on the served rows"
    same = {
        "no Accept": (rows.csv(), csv_in, csv),
        "Accept */*": (rows.csv(), {**csv_in, "Accept": "*/*"}, csv),
        "CSV with charset": (rows.csv(), {"Content-Type": "text/csv; charset=utf-8"}, csv),
        "CSV in, JSON out": (rows.csv(), {**csv_in, "Accept": js}, js),
        "JSON in and out": (rows.json(), {**json_in, "Accept": js}, js),
        "JSON records": (rows.records(), {**json_in, "Accept": js}, js),
        "JSON in, no Accept": (rows.json(), json_in, csv),
        "Accept list": (rows.csv(), {**csv_in, "Accept": f"{js}, {csv}"}, js),
    }
    for case, (body, headers, answered_as) in same.items():
        answer = invoke(url, body, headers)
        assert answer.content_type == answered_as, f"{case}: {answer.status} {answer.body[:1500]}"
        assert scores_of(answer) == pytest_approx(scores), case
    short = rows.csv(slice(0, -1))
    rejected(invoke(url, short, csv_in), 400, f"expected {len(rows.names)} columns")
    rejected(invoke(url, b"", csv_in), 400, "empty")
    rejected(invoke(url, rows.csv(), {"Content-Type": "application/x-npy"}), 415, "content type")
    rejected(invoke(url, rows.csv(), {**csv_in, "Accept": "image/png"}), 406, "accept type")


def pytest_approx(values: list[float]) -> Any:
    """Equal to 6 decimals, the precision the endpoint writes."""
    import pytest

    return pytest.approx(values, abs=2e-6)
