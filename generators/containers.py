"""Container contracts: the AWS images the generated projects run in, as data.

Each ``Contract`` row is one image (framework, version, py_version as
``image_uris.retrieve`` takes them) with what the generated code meets inside it: the
container's Python minor version and the versions of the libraries the code imports, read
from AWS's container sources (repository, file, commit in ``sources``). A library listed in
``unpinned`` is installed without a version by AWS's Dockerfile: its version is whatever the
index served when the image was built, so no source states it.

``images_for(spec)`` is the only place where a project's images are chosen; the templates
read the result from their context (``images``) and hold no image literals.
"""

from __future__ import annotations

from typing import NamedTuple

from generators.container_types import Contract, Serving, Source
from generators.container_types import libs as _libs
from generators.spec import ProjectSpec

__all__ = ["CONTRACTS", "RUN_UNDER_CONTRACT", "Contract", "ProjectImages", "Serving", "Source"]

DLC = "aws/deep-learning-containers"
DLC_HEAD = "e0ecedea6a1c56d6b5914f9cfb2fec5c548e67e0"
SKLEARN_REPO = "aws/sagemaker-scikit-learn-container"
SPARK_REPO = "aws/sagemaker-spark-container"
SPARK_HEAD = "7d90eeb1461f614340475dc4644313a629c3750b"
INFERENCE_TOOLKIT = "aws/sagemaker-inference-toolkit"
INFERENCE_TOOLKIT_HEAD = "f79853d4e307a983ec5d76980be5ed6a9feb8c0e"


# The PyTorch inference image serves through sagemaker-inference's Transformer (via
# sagemaker-pytorch-inference). Both stacks replace a missing or */* Accept with
# SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT.
TOOLKIT_SERVING = Serving(
    stack="sagemaker-inference Transformer",
    default_accept="application/json",
    decoded_types=("application/json", "text/csv"),
    source=Source(
        INFERENCE_TOOLKIT,
        "src/sagemaker_inference/transformer.py",
        INFERENCE_TOOLKIT_HEAD,
        "Accept missing or */* becomes environment.default_accept (environment.py: "
        "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT, default application/json); the body is decoded "
        "to str only when Content-Type is exactly one of content_types.UTF8_TYPES.",
    ),
    client_errors=Source(
        INFERENCE_TOOLKIT,
        "src/sagemaker_inference/transformer.py",
        INFERENCE_TOOLKIT_HEAD,
        "Transformer.transform: a BaseInferenceToolkitError (GenericInferenceToolkitError) "
        "raised by any handler is answered with its status_code and message; anything else "
        "is a 500.",
    ),
)

# The scikit-learn and XGBoost images serve through sagemaker-containers' Flask worker.
CONTAINERS_SERVING = Serving(
    stack="sagemaker-containers worker (sagemaker_sklearn_container/sagemaker_xgboost_container)",
    default_accept="application/json",
    decoded_types=("application/json", "text/csv"),
    source=Source(
        "aws/sagemaker-containers",
        "src/sagemaker_containers/_worker.py",
        "526dda90d636c7fb0c25791e6c57d077bd972000",
        "Request.accept: missing or */* becomes ServingEnv.default_accept (_env.py: "
        "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT, default application/json); Request.content is "
        "str only for a Content-Type in _content_types.UTF8_TYPES, else bytes.",
    ),
    client_errors=Source(
        "aws/sagemaker-containers",
        "src/sagemaker_containers/_transformer.py",
        "526dda90d636c7fb0c25791e6c57d077bd972000",
        "Transformer._default_transform_fn: only _errors.UnsupportedFormatError becomes a 4xx "
        "(415 when input_fn raises it, 406 when output_fn does), answered as JSON with the "
        "error's class and message; any other error, and any error of predict_fn, is a 500.",
    ),
)

SKLEARN_1_9 = Contract(
    framework="sklearn",
    version="1.9-0",
    py_version="py3",
    scopes=("training", "inference", "processing"),
    repository="sagemaker-scikit-learn",
    python="3.12",
    libraries=_libs(scikit_learn="1.9.0", numpy="2.5.1", pandas="2.2.3", joblib="1.5.3"),
    serving=CONTAINERS_SERVING,
    training_toolkit="sagemaker-training==4.8.0",
    sources=(
        Source(
            DLC,
            ".github/config/image/sklearn/sagemaker-1.9-0.yml",
            DLC_HEAD,
            "python_version 3.12; prod_image sagemaker-scikit-learn:1.9-0-cpu-py3",
        ),
        Source(
            DLC,
            "docker/sklearn/1.9-0/pyproject.toml",
            DLC_HEAD,
            "scikit-learn==1.9.0, numpy==2.5.1, pandas==2.2.3, sagemaker-inference==1.5.5, "
            "sagemaker-training==4.8.0",
        ),
        Source(DLC, "docker/sklearn/1.9-0/uv.lock", DLC_HEAD, "joblib 1.5.3"),
    ),
)

SKLEARN_1_2 = Contract(
    framework="sklearn",
    version="1.2-1",
    py_version="py3",
    scopes=("training", "inference", "processing"),
    repository="sagemaker-scikit-learn",
    python="3.9",
    libraries=_libs(scikit_learn="1.2.1", numpy="1.24.1", pandas="1.1.3"),
    unpinned=("joblib",),
    serving=CONTAINERS_SERVING,
    training_toolkit="sagemaker-training==4.8.0",
    sources=(
        Source(
            SKLEARN_REPO,
            "docker/1.2-1/base/Dockerfile.cpu",
            "b440c40d318284336acb57b2dd554f7fa1e39fe0",
            "Miniconda CONDA_PY_VERSION=39, PYTHON_VERSION=3.9",
        ),
        Source(
            SKLEARN_REPO,
            "requirements.txt",
            "b440c40d318284336acb57b2dd554f7fa1e39fe0",
            "branch 1.2-1: scikit-learn==1.2.1, numpy==1.24.1, pandas==1.1.3, "
            "sagemaker-inference==1.2.0, sagemaker-training==4.8.0; joblib not pinned",
        ),
    ),
)

XGBOOST_3_2 = Contract(
    framework="xgboost",
    version="3.2-0",
    py_version="py3",
    scopes=("training", "inference"),
    repository="sagemaker-xgboost",
    tag_format="{version}",
    python="3.12",
    libraries=_libs(
        xgboost="3.2.0", numpy="2.1.0", pandas="2.2.3", scikit_learn="1.8.0", joblib="1.5.3"
    ),
    serving=CONTAINERS_SERVING,
    notes="Script mode starts through sagemaker-containers, sagemaker-training's predecessor "
    "(same /opt/ml layout and SM_* environment); the local toolkit runs use sagemaker-training "
    "4.8.0, the scikit-learn images' version, in its place.",
    sources=(
        Source(
            DLC,
            ".github/config/image/xgboost/sagemaker.yml",
            DLC_HEAD,
            "python_version 3.12; prod_image sagemaker-xgboost:3.2-0-cpu-py3",
        ),
        Source(
            DLC,
            "docker/xgboost/pyproject.toml",
            DLC_HEAD,
            "xgboost==3.2.0, numpy==2.1.0, pandas==2.2.3, scikit-learn==1.8.0, "
            "sagemaker-containers==2.8.6.post2 (script mode and serving), "
            "sagemaker-inference==1.5.5; no sagemaker-training",
        ),
        Source(DLC, "docker/xgboost/uv.lock", DLC_HEAD, "joblib 1.5.3"),
    ),
)

XGBOOST_3_0 = Contract(
    framework="xgboost",
    version="3.0-5",
    py_version="py3",
    scopes=("training", "inference"),
    repository="sagemaker-xgboost",
    tag_format="{version}",
    python="3.10",
    libraries=_libs(xgboost="3.0.5", numpy="2.1.0", pandas="2.2.3", scikit_learn="1.5.2"),
    unpinned=("joblib",),
    serving=CONTAINERS_SERVING,
    notes="Script mode starts through sagemaker-containers, sagemaker-training's predecessor "
    "(same /opt/ml layout and SM_* environment); the local toolkit runs use sagemaker-training "
    "4.8.0, the scikit-learn images' version, in its place.",
    sources=(
        Source(
            DLC,
            ".github/config/image/xgboost/sagemaker-3.0.yml",
            DLC_HEAD,
            "python_version 3.10; prod_image sagemaker-xgboost:3.0-5-cpu-py3",
        ),
        Source(
            DLC,
            "docker/xgboost/3.0-5/requirements.txt",
            DLC_HEAD,
            "numpy==2.1.0, pandas==2.2.3, scikit-learn==1.5.2; joblib not pinned",
        ),
        Source(DLC, "docker/xgboost/3.0-5/Dockerfile", DLC_HEAD, "XGBOOST_VERSION=3.0.5"),
    ),
)

# The toolkits of the local runs in sm-advisor's tests (tests/toolkit_runs.py reads these):
# the serve command runs inference.py through sagemaker-inference's Transformer (the generated
# requirements ask for >=1.10); the XGBoost images have no sagemaker-training, so the
# scikit-learn images' version stands in; PyTorch runs on the test machine's Python with the
# toolkits' current releases.
LOCAL_SERVING_TOOLKIT = "sagemaker-inference==1.10.1"
STAND_IN_TRAINING_TOOLKIT = "sagemaker-training==4.8.0"
LOCAL_TRAINING_TOOLKIT = "sagemaker-training==5.1.4"


def _spelled(requirement: str) -> str:
    """``name==1.2`` as ``name 1.2``, for prose."""
    return requirement.replace("==", " ")


_TORCH_UNPINNED = ("numpy", "pandas", "scikit-learn", "joblib")

PYTORCH_TRAINING_2_6 = Contract(
    framework="pytorch",
    version="2.6.0",
    py_version="py312",
    scopes=("training", "processing"),
    repository="pytorch-training",
    python="3.12",
    libraries=_libs(torch="2.6.0"),
    unpinned=_TORCH_UNPINNED,
    processors=("cpu", "gpu"),
    sources=(
        Source(
            DLC,
            "pytorch/training/docker/2.6/py3/Dockerfile.cpu",
            "dd3ba4642def128f9644025522d722cec3b713e9",
            "PYTHON_VERSION=3.12.8; torch-2.6.0+cpu cp312; pandas, scikit-learn unpinned "
            "(file removed from the repository's HEAD; read at its last commit's parent)",
        ),
        Source(
            DLC,
            "docs/src/data/pytorch-training/2.6-cpu-sagemaker.yml",
            DLC_HEAD,
            "python py312, tag 2.6.0-cpu-py312",
        ),
    ),
)

PYTORCH_INFERENCE_2_6 = Contract(
    framework="pytorch",
    version="2.6.0",
    py_version="py312",
    scopes=("inference",),
    repository="pytorch-inference",
    python="3.12",
    libraries=_libs(torch="2.6.0"),
    unpinned=_TORCH_UNPINNED,
    processors=("cpu", "gpu"),
    serving=TOOLKIT_SERVING,
    notes="sagemaker-pytorch-inference==2.0.25 on TorchServe 0.12.0; it pip-installs "
    "code/requirements.txt from the model before loading it.",
    sources=(
        Source(
            DLC,
            "pytorch/inference/docker/2.6/py3/Dockerfile.cpu",
            "a70e18c87888b7398c1ba66de77c0c5dc4e61614",
            "PYTHON_VERSION=3.12.12; torch-2.6.0+cpu cp312; scikit-learn, pandas unpinned",
        ),
        Source(
            DLC,
            "pytorch/inference/docker/2.6/py3/Dockerfile.sagemaker.cpu.core_packages.json",
            "a70e18c87888b7398c1ba66de77c0c5dc4e61614",
            "torch==2.6.0+cpu, sagemaker-pytorch-inference==2.0.25, torchserve==0.12.0",
        ),
        Source(
            INFERENCE_TOOLKIT,
            "src/sagemaker_inference/model_server.py",
            INFERENCE_TOOLKIT_HEAD,
            "installs code/requirements.txt when present",
        ),
    ),
)

SPARK_3_5 = Contract(
    framework="spark",
    version="3.5",
    py_version="py312",
    scopes=("processing",),
    repository="sagemaker-spark-processing",
    python="3.12",
    libraries=_libs(pyspark="3.5.*"),
    container_version="1.3",
    notes="Spark comes from EMR 7.12.0's yum repository; the repository names no 3.5.x patch "
    "release, so the local pyspark is pinned to the 3.5 series only.",
    sources=(
        Source(
            SPARK_REPO,
            "spark/processing/3.5/py3/docker/py312/Dockerfile.cpu",
            SPARK_HEAD,
            "python3.12 from dnf, linked as /usr/local/bin/python3",
        ),
        Source(
            SPARK_REPO,
            "spark/processing/3.5/py3/yum/emr-apps.repo",
            SPARK_HEAD,
            "EMR apps repository emr-7.12.0 (spark-core)",
        ),
        Source(
            SPARK_REPO,
            "new_images.yml",
            SPARK_HEAD,
            "spark 3.5, python [py312], sm_version 1.3 (the image tag's -v1.3)",
        ),
    ),
)

CONTRACTS: tuple[Contract, ...] = (
    SKLEARN_1_9,
    SKLEARN_1_2,
    XGBOOST_3_2,
    XGBOOST_3_0,
    PYTORCH_TRAINING_2_6,
    PYTORCH_INFERENCE_2_6,
    SPARK_3_5,
)


class ProjectImages(NamedTuple):
    """The images of one project, by role; ``processing`` runs preprocess.py (or Spark)."""

    training: Contract
    inference: Contract
    processing: Contract
    extra: tuple[Contract, ...] = ()

    def checked(self, trained: str, preprocessing: bool = True) -> list[str]:
        """One Markdown line per image: its contract and how sm-advisor's tests checked it.

        ``trained`` names what runs in the training image (``"train.py"``); ``preprocessing``
        says whether the project has a preprocessing step (in the processing image).
        """
        lines = []
        for row in self.all:
            pins = ", ".join(f"{name} {v}" for name, v in row.libraries.items())
            loose = f"; {', '.join(row.unpinned)} unpinned by AWS" if row.unpinned else ""
            how = self._how(row, trained, preprocessing)
            lines.append(
                f"- `{row.repository}:{row.tag()}`: Python {row.python}, {pins}{loose}: {how}."
            )
        return lines

    def _how(self, row: Contract, trained: str, preprocessing: bool) -> str:
        """What ran under ``row``'s contract in sm-advisor's tests, with which toolkits."""
        if row.key not in RUN_UNDER_CONTRACT:
            return (
                "static check only (vermin at that Python version); the code ran, trained by "
                f"{_spelled(LOCAL_TRAINING_TOOLKIT)} and served through "
                f"{_spelled(LOCAL_SERVING_TOOLKIT)}, on the test machine's Python (3.11) with "
                "CPU torch: torch 2.6.0 for Python 3.12 on PyPI is CUDA-only"
            )
        ran = []
        if preprocessing and row is self.processing:
            ran.append("the Spark step" if row.framework == "spark" else "preprocessing")
        if row is self.training:
            toolkit = _spelled(row.training_toolkit or STAND_IN_TRAINING_TOOLKIT)
            if not row.training_toolkit:
                toolkit += ", standing in for the image's own launcher"
            ran.append(f"{trained} (started by {toolkit})")
        done = [f"{', '.join(ran)} ran on that Python with those versions, on the sample data"]
        if row is self.inference:
            done.append(f"the model was served through {_spelled(LOCAL_SERVING_TOOLKIT)}")
        return "; ".join(done if ran else done[1:])

    @property
    def all(self) -> tuple[Contract, ...]:
        """Every distinct image the project uses."""
        found: list[Contract] = []
        for row in (self.training, self.inference, self.processing, *self.extra):
            if row not in found:
                found.append(row)
        return tuple(found)


# The rows whose Python and libraries tests/test_container_toolkits.py (preprocessing,
# toolkit training, evaluation, serving) and test_container_runs.py (Spark) run under; a test
# holds this equal to what they run. PyTorch: torch 2.6.0 for Python 3.12 on PyPI is the CUDA
# build (several GB of nvidia-* wheels), too big for the tests.
RUN_UNDER_CONTRACT = frozenset(
    row.key for row in (SKLEARN_1_9, SKLEARN_1_2, XGBOOST_3_2, XGBOOST_3_0, SPARK_3_5)
)

# SDK v3 (sagemaker 3.27.0) and SDK v2 (2.257.7) know different image versions; each framework
# takes the newest version its SDK has for both training and inference, so one library version
# fits, evaluates and serves the model.
_BY_SDK: dict[str, dict[str, tuple[Contract, Contract]]] = {
    "v3": {
        "sklearn": (SKLEARN_1_9, SKLEARN_1_9),
        "xgboost": (XGBOOST_3_2, XGBOOST_3_2),
        "pytorch": (PYTORCH_TRAINING_2_6, PYTORCH_INFERENCE_2_6),
    },
    "v2": {
        "sklearn": (SKLEARN_1_2, SKLEARN_1_2),
        "xgboost": (XGBOOST_3_0, XGBOOST_3_0),
        "pytorch": (PYTORCH_TRAINING_2_6, PYTORCH_INFERENCE_2_6),
    },
}
_PROCESSING = {"v3": SKLEARN_1_9, "v2": SKLEARN_1_2}


def images_for(spec: ProjectSpec) -> ProjectImages:
    """Choose the images of a project: framework and SDK pick the rows, Spark adds its own."""
    if spec.kind == "script":  # train.py only: one image
        training = _BY_SDK["v3"][spec.framework][0]
        return ProjectImages(training=training, inference=training, processing=training)
    training, inference = _BY_SDK[spec.sdk][spec.framework]
    processing = SPARK_3_5 if spec.has("spark") else _PROCESSING[spec.sdk]
    return ProjectImages(training=training, inference=inference, processing=processing)
