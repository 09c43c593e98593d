"""Settings of the demo pipeline, as plain data.

Both the SageMaker definition (pipeline.py) and the local run (``python -m pipelines local``)
read them, so a change here reaches both. Importing this module needs no SDK.
"""

PIPELINE_NAME = "demo"
# Job names are "<prefix>-<step>-<timestamp>": SageMaker allows 63 characters.
BASE_JOB_PREFIX = "demo"
MODEL_PACKAGE_GROUP = "demo-models"
FRAMEWORK = "sklearn"

# Container images (sagemaker.core.image_uris). Training and evaluation use the framework's
# image; preprocessing uses the scikit-learn image; serving uses its inference image.
TRAINING_IMAGE = {
    "framework": "sklearn",
    "version": "1.9-0",
    "py_version": "py3",
}
INFERENCE_IMAGE = {
    "framework": "sklearn",
    "version": "1.9-0",
    "py_version": "py3",
}
PROCESSING_IMAGE = {
    "framework": "sklearn",
    "version": "1.9-0",
    "py_version": "py3",
}

# Instance defaults (pipeline parameters: override them per execution). See README.md for costs.
PROCESSING_INSTANCE_TYPE = "ml.m5.xlarge"
TRAINING_INSTANCE_TYPE = "ml.m5.xlarge"
ENDPOINT_INSTANCE_TYPE = "ml.m5.large"

# Passed to train.py as "--name value" flags (train.py --help lists them).
HYPERPARAMETERS = {
    "n-estimators": 150,
    "max-depth": 2,
    "learning-rate": 0.05,
    "subsample": 0.8,
    "seed": 42,
}

# train.py prints "validation:accuracy=0.8250"; SageMaker reads these metrics from the log.
OBJECTIVE_METRIC = "validation:accuracy"
METRIC_DEFINITIONS = {
    "validation:accuracy": r"validation:accuracy=([0-9\.]+)",
    "validation:auc": r"validation:auc=([0-9\.]+)",
    "validation:f1": r"validation:f1=([0-9\.]+)",
}

# evaluate.py writes evaluation.json in the model registry's format; the model is registered
# only when the test accuracy at this path reaches the MinAccuracy parameter.
EVALUATION_METRIC_PATH = "binary_classification_metrics.accuracy.value"
MIN_ACCURACY = 0.7

# Step caching: a step whose arguments did not change reuses its earlier result.
CACHE_EXPIRE_AFTER = "P30D"  # ISO 8601 duration
