"""``python -m pipelines serve``: the trained model behind a local SageMaker-style endpoint.

    python -m pipelines local                  # trains; writes the model archive it evaluated
    python -m pipelines serve [--model PATH] [--port N]
    curl -s localhost:8080/invocations -H 'Content-Type: text/csv' --data-binary @rows.csv

It answers SageMaker's inference HTTP contract, ``GET /ping`` and ``POST /invocations``, by
handing each request to the ``sagemaker-inference`` toolkit's Transformer, the handler chain of
AWS's serving containers, with the request's headers and a bytearray body, as the model server
passes them. So it applies the same rules as the endpoint: a missing or ``*/*`` Accept becomes
``$SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT`` (text/csv unless set, as on a deployed model), only
exactly ``text/csv`` and ``application/json`` bodies are decoded to text, and the model
archive's ``code/inference.py`` handles the rest. It serves one request at a time, on 127.0.0.1
unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tarfile
import tempfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = PROJECT / ".work/local/evaluate/processing/model/model.tar.gz"
HOW_TO_TRAIN = "run 'python -m pipelines local' first"
DEFAULT_ACCEPT = "text/csv"  # SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT of a deployed model
MAX_BODY = 6 * 1024 * 1024  # InvokeEndpoint's payload limit for real-time endpoints


class ServeError(Exception):
    """A problem the user can fix (no model, port in use): one line, exit status 2."""


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of the serve command."""
    parser.add_argument(
        "--model",
        type=Path,
        default=DEFAULT_MODEL,
        help="model.tar.gz or an unpacked model folder with code/inference.py "
        "(default: the model.tar.gz of the last 'python -m pipelines local')",
    )
    parser.add_argument("--port", type=int, default=8080, help="TCP port (default 8080; 0: any)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    return parser


def unpack(model: Path, into: Path) -> Path:
    """The model folder: ``model`` itself, or ``model`` (a .tar.gz) unpacked into ``into``."""
    if model.is_dir():
        return model
    if not model.is_file():
        raise ServeError(
            f"no model at {model}; {HOW_TO_TRAIN}, or pass --model with a model.tar.gz or folder."
        )
    try:
        with tarfile.open(model) as tar:
            for member in tar.getmembers():
                inside = (into / member.name).resolve().is_relative_to(into.resolve())
                if not inside or not (member.isfile() or member.isdir()):
                    raise ServeError(f"{model}: unsafe entry {member.name!r}; not unpacked.")
            # Every member was checked above; Python's "data" filter checks again where it exists.
            tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    except tarfile.TarError as err:
        raise ServeError(f"{model} is not a readable model.tar.gz; pass another --model.") from err
    return into


class Context:
    """What the toolkit's Transformer reads from and writes to the model server's context."""

    def __init__(self, model_dir: Path, headers: dict[str, str]) -> None:
        self.system_properties = {"model_dir": str(model_dir)}
        self.request_processor = [Properties(headers)]
        self.status, self.phrase, self.content_type = 200, "OK", "text/plain"

    def set_response_status(self, code: int, phrase: str) -> None:
        """The toolkit reports an error's HTTP status."""
        self.status, self.phrase = code, phrase

    def set_response_content_type(self, index: int, value: str) -> None:
        """The toolkit reports the response's content type."""
        self.content_type = value


class Properties:
    """A request's headers, as the model server hands them to the handler."""

    def __init__(self, headers: dict[str, str]) -> None:
        self._headers = headers

    def get_request_properties(self) -> dict[str, str]:
        """The header names and values, as the client sent them."""
        return self._headers


def load(model_dir: Path) -> Any:
    """The toolkit's Transformer with the model loaded by code/inference.py's model_fn."""
    code = model_dir / "code"
    os.environ.setdefault("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", DEFAULT_ACCEPT)
    os.environ.setdefault("SAGEMAKER_PROGRAM", "inference.py")
    sys.path.insert(0, str(code))
    try:
        from sagemaker_inference.transformer import Transformer
    except ImportError as err:
        message = "sagemaker-inference is not installed; run: pip install -r requirements.txt"
        raise ServeError(message) from err
    transformer = Transformer()
    try:
        transformer.validate_and_initialize(str(model_dir), Context(model_dir, {}))
    except Exception as err:  # the user's model_fn: any failure is reported in one line
        raise ServeError(f"could not load the model in {model_dir}: {err}") from err
    return transformer


def handler(transformer: Any, model_dir: Path) -> type[BaseHTTPRequestHandler]:
    """The request handler: /ping and /invocations through ``transformer``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.answer(200 if self.path == "/ping" else 404, b"", "text/plain")

        def do_POST(self) -> None:
            if self.path != "/invocations":
                self.answer(404, b"POST /invocations\n", "text/plain")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.answer(413, b"the body exceeds InvokeEndpoint's 6 MB limit\n", "text/plain")
                return
            body = bytearray(self.rfile.read(length))
            context = Context(model_dir, dict(self.headers.items()))
            result = transformer.transform([{"body": body}], context)[0]
            data = result.encode("utf-8") if isinstance(result, str) else bytes(result)
            self.answer(context.status, data, context.content_type)

        def answer(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def stop(signum: int, frame: object) -> None:
    """SIGTERM stops the server like Ctrl+C, so the unpacked model is removed."""
    raise KeyboardInterrupt


def listen(host: str, port: int) -> HTTPServer:
    """A server bound to ``host:port`` (0: any free port); its handler is set once loaded."""
    server = HTTPServer((host, port), BaseHTTPRequestHandler, bind_and_activate=False)
    try:
        server.server_bind()
        server.server_activate()
    except OSError as err:
        server.server_close()
        message = f"cannot listen on {host}:{port} ({err.strerror}); pass another --port."
        raise ServeError(message) from err
    return server


def serve(model: Path, host: str, port: int) -> None:
    """Unpack the model, listen, load it, then answer requests until interrupted."""
    with tempfile.TemporaryDirectory(prefix="serve-") as tmp:
        model_dir = unpack(model, Path(tmp))
        if not (model_dir / "code" / "inference.py").is_file():
            raise ServeError(f"{model} has no code/inference.py; train it with this project.")
        with listen(host, port) as server:
            server.RequestHandlerClass = handler(load(model_dir), model_dir)
            url = f"http://{host}:{server.server_address[1]}"
            print(f"Serving {model} at {url} (GET /ping, POST /invocations); Ctrl+C stops")
            sys.stdout.flush()
            signal.signal(signal.SIGTERM, stop)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                print("stopped", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """The serve command: 0 when stopped with Ctrl+C, 2 with one line on a user error."""
    try:
        serve(args.model, args.host, args.port)
    except ServeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
