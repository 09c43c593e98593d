"""sm-advisor: decide between a single SageMaker training script and a SageMaker Pipeline.

The public API is deliberately small: score answers, read answers files, and the errors they
raise. Heavy dependencies (rich, jinja2, textual, boto3, sagemaker) are imported only by the
commands that need them, so that ``sm-advisor assess`` starts fast.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
