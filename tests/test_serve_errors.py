"""The serve command's user errors: one line on stderr, exit status 2, nothing written outside
its temporary folder (fast: no model is loaded, so this process's Python runs it).

The served answers themselves are checked, model by model, in ``test_container_toolkits.py``.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from generated import generate
from pipeline_variants import options

COMMANDS = {"pipeline": ["-m", "pipelines", "serve"], "script": ["serve.py"]}


@pytest.fixture(scope="module", params=sorted(COMMANDS))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    kind = request.param
    root = tmp_path_factory.mktemp(kind)
    if kind == "pipeline":
        return generate(root / "demo", "--name", "demo", *options("sklearn", "plain"))
    return generate(root / "demo", "--name", "demo", "--kind", "script", "--framework", "sklearn")


def serve(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    kind = "pipeline" if (project / "pipelines").is_dir() else "script"
    return subprocess.run(
        [sys.executable, *COMMANDS[kind], *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_missing_model_says_how_to_train(project: Path) -> None:
    train = "python -m pipelines local" if (project / "pipelines").is_dir() else "python train.py"
    one_line_error(serve(project), "no model at", train, "--model")
    one_line_error(serve(project, "--model", str(project / "nope.tar.gz")), "nope.tar.gz")


def test_a_file_that_is_not_an_archive(project: Path) -> None:
    done = serve(project, "--model", str(project / "README.md"))
    one_line_error(done, "not a readable model.tar.gz")


def test_an_archive_escaping_its_folder_is_refused(project: Path, tmp_path: Path) -> None:
    archive = tmp_path / "inside" / "model.tar.gz"
    archive.parent.mkdir()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    one_line_error(serve(project, "--model", str(archive)), "unsafe entry", "escaped.txt")
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not list(Path("/tmp").glob("escaped.txt"))


def test_a_model_without_inference_code(project: Path, tmp_path: Path) -> None:
    (tmp_path / "model.joblib").write_bytes(b"")
    one_line_error(serve(project, "--model", str(tmp_path)), "no code/inference.py")


def test_a_port_in_use(project: Path, tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "inference.py").write_text("")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = serve(project, "--model", str(tmp_path), "--port", port)
    one_line_error(done, f"cannot listen on 127.0.0.1:{port}", "--port")
