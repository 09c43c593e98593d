"""The demo SageMaker Pipeline, built with the SageMaker Python SDK v3.

    PreprocessData   processing job: steps/preprocess.py -> train/validation/test
    TrainModel       ModelTrainer: steps/train.py in the sklearn image
    EvaluateModel    processing job: steps/evaluate.py -> evaluation.json (a PropertyFile)
    CheckAccuracy    test accuracy >= MinAccuracy ? RegisterModel : AccuracyTooLow (fails)
    CheckDeploy      accuracy OK and Deploy == true ? CreateModel -> CreateEndpointConfig
                     -> DeployEndpoint (left out by get_pipeline(with_deploy=False))

Every job is described with ``step_args`` on a ``PipelineSession``: building the pipeline
uploads the code in steps/ to S3 but starts nothing. ``python -m pipelines definition`` prints
the definition offline; ``python -m pipelines upsert`` creates or updates it in SageMaker.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sagemaker.core import image_uris
from sagemaker.core.helper.session_helper import production_variant
from sagemaker.core.model_metrics import MetricsSource, ModelMetrics
from sagemaker.core.processing import FrameworkProcessor
from sagemaker.core.shapes import (
    MetricDefinition,
    ProcessingInput,
    ProcessingOutput,
    ProcessingS3Input,
    ProcessingS3Output,
)
from sagemaker.core.training.configs import Compute, InputData, OutputDataConfig, SourceCode
from sagemaker.core.workflow.conditions import ConditionEquals, ConditionGreaterThanOrEqualTo
from sagemaker.core.workflow.execution_variables import ExecutionVariables
from sagemaker.core.workflow.functions import Join, JsonGet
from sagemaker.core.workflow.parameters import (
    ParameterBoolean,
    ParameterFloat,
    ParameterInteger,
    ParameterString,
)
from sagemaker.core.workflow.pipeline_context import PipelineSession
from sagemaker.core.workflow.properties import PropertyFile
from sagemaker.mlops.workflow.condition_step import ConditionStep
from sagemaker.mlops.workflow.endpoint_step import EndpointConfigStep, EndpointStep
from sagemaker.mlops.workflow.fail_step import FailStep
from sagemaker.mlops.workflow.model_step import ModelStep
from sagemaker.mlops.workflow.pipeline import Pipeline
from sagemaker.mlops.workflow.steps import (
    CacheConfig,
    ProcessingStep,
    TrainingStep,
)
from sagemaker.serve.model_builder import ModelBuilder
from sagemaker.train import ModelTrainer

from . import settings

STEPS_DIR = Path(__file__).resolve().parent / "steps"
SPLITS = ("train", "validation", "test")
# image_uris needs a concrete instance type to choose the CPU image; the jobs' own instance
# types stay pipeline parameters.
IMAGE_LOOKUP_INSTANCE = "ml.m5.xlarge"
# train.py copies inference.py into model.tar.gz under code/; the serving container runs it.
# Without an Accept header (or with */*) the serving stacks answer in the default accept type,
# application/json unless set: say text/csv, the format of the rows the endpoint is sent.
# InputFingerprint's value when an execution is not started by ``python -m pipelines start``.
NO_FINGERPRINT = "not-computed"
INFERENCE_ENV = {
    "SAGEMAKER_PROGRAM": "inference.py",
    "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
    "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv",
}


@dataclass
class Build:
    """What every step needs: where, as whom, with which parameters and cache settings."""

    region: str
    role: str
    bucket: str
    prefix: str
    session: PipelineSession
    params: dict[str, Any]
    cache: CacheConfig

    def s3(self, *parts: Any) -> Join:
        """s3://<bucket>/<prefix>/<execution id>/<parts>: a fresh prefix per execution."""
        values = ["s3:/", self.bucket, self.prefix, ExecutionVariables.PIPELINE_EXECUTION_ID]
        return Join(on="/", values=[*values, *parts])

    def uri(self, *parts: str) -> str:
        """s3://<bucket>/<prefix>/<parts>: where code and models go, fixed across executions."""
        return "/".join(["s3:/", self.bucket, self.prefix, *parts])

    def image(self, spec: dict[str, str], scope: str) -> str:
        """Look up an AWS container image URI (no network call: the SDK ships the table)."""
        return image_uris.retrieve(
            region=self.region, instance_type=IMAGE_LOOKUP_INSTANCE, image_scope=scope, **spec
        )


def get_session(region: str, default_bucket: str | None = None) -> PipelineSession:
    """Return a PipelineSession for ``region`` (AWS credentials come from the environment)."""
    import boto3

    return PipelineSession(
        boto_session=boto3.Session(region_name=region), default_bucket=default_bucket
    )


def code_job_name(prefix: str) -> str:
    """A job name that hashes the code, so the code's S3 key changes only when the code does.

    FrameworkProcessor uploads steps/ under s3://<bucket>/<job name>/source/; its default job
    name holds a timestamp, which would change the step's arguments on every build and defeat
    step caching. (The SDK's own code hash includes the folder's absolute path, so it differs
    between machines.) The job name itself is left out of the pipeline definition.
    """
    digest = hashlib.sha256()
    for path in sorted(STEPS_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(STEPS_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return f"{prefix}-{digest.hexdigest()[:16]}"


def s3_input(name: str, uri: Any, local_path: str) -> ProcessingInput:
    """A processing input copied from S3 to ``local_path`` before the script starts."""
    return ProcessingInput(
        input_name=name,
        s3_input=ProcessingS3Input(
            s3_uri=uri, local_path=local_path, s3_data_type="S3Prefix", s3_input_mode="File"
        ),
    )


def s3_output(name: str, uri: Any, local_path: str) -> ProcessingOutput:
    """A processing output uploaded from ``local_path`` to S3 when the job ends."""
    return ProcessingOutput(
        output_name=name,
        s3_output=ProcessingS3Output(s3_uri=uri, local_path=local_path, s3_upload_mode="EndOfJob"),
    )


def parameters(bucket: str, prefix: str, with_deploy: bool) -> dict[str, Any]:
    """Pipeline parameters: set per execution (``start --param Name=Value``)."""
    params: list[Any] = [
        ParameterString(
            name="ProcessingInstanceType", default_value=settings.PROCESSING_INSTANCE_TYPE
        ),
        ParameterInteger(name="ProcessingInstanceCount", default_value=1),
        ParameterString(name="TrainingInstanceType", default_value=settings.TRAINING_INSTANCE_TYPE),
        ParameterInteger(name="TrainingInstanceCount", default_value=1),
        ParameterString(name="InputDataUrl", default_value=f"s3://{bucket}/{prefix}/data/"),
        # A digest of InputDataUrl's listing, set by ``python -m pipelines start``: it enters
        # PreprocessData's arguments, so a cached step is only reused for the same data.
        ParameterString(name="InputFingerprint", default_value=NO_FINGERPRINT),
        ParameterString(name="ModelApprovalStatus", default_value="PendingManualApproval"),
        ParameterFloat(name="MinAccuracy", default_value=settings.MIN_ACCURACY),
    ]
    if with_deploy:
        params += [
            ParameterBoolean(name="Deploy", default_value=False),
            ParameterString(
                name="EndpointInstanceType", default_value=settings.ENDPOINT_INSTANCE_TYPE
            ),
            ParameterString(name="EndpointName", default_value=f"{prefix}-endpoint"),
        ]
    return {p.name: p for p in params}


def preprocess_step(build: Build) -> tuple[ProcessingStep, dict[str, Any]]:
    """PreprocessData: steps/preprocess.py in the scikit-learn image; returns each split's URI."""
    p = build.params
    processor = FrameworkProcessor(
        image_uri=build.image(settings.PROCESSING_IMAGE, "training"),
        command=["python3"],
        role=build.role,
        instance_type=p["ProcessingInstanceType"],
        instance_count=p["ProcessingInstanceCount"],
        base_job_name=f"{build.prefix}-preprocess",
        code_location=build.uri("code"),
        sagemaker_session=build.session,
    )
    step_args = processor.run(
        code="preprocess.py",
        source_dir=str(STEPS_DIR),
        arguments=["--input-fingerprint", p["InputFingerprint"]],
        job_name=code_job_name(f"{build.prefix}-preprocess"),
        inputs=[s3_input("input", p["InputDataUrl"], "/opt/ml/processing/input")],
        outputs=[
            s3_output(name, build.s3("preprocess", name), f"/opt/ml/processing/{name}")
            for name in SPLITS
        ],
    )
    step = ProcessingStep(name="PreprocessData", step_args=step_args, cache_config=build.cache)
    outputs = step.properties.ProcessingOutputConfig.Outputs
    return step, {name: outputs[name].S3Output.S3Uri for name in SPLITS}


def model_trainer(build: Build) -> ModelTrainer:
    """The training job: steps/train.py in the sklearn image, default hyperparameters."""
    p = build.params
    return ModelTrainer(
        training_image=build.image(settings.TRAINING_IMAGE, "training"),
        source_code=SourceCode(source_dir=str(STEPS_DIR), entry_script="train.py"),
        compute=Compute(
            instance_type=p["TrainingInstanceType"], instance_count=p["TrainingInstanceCount"]
        ),
        hyperparameters=dict(settings.HYPERPARAMETERS),
        base_job_name=f"{build.prefix}-train",
        # Code and models stay under s3://<bucket>/<prefix>/ (a role scoped to it suffices).
        input_s3_key_prefix=f"{build.prefix}/training",
        output_data_config=OutputDataConfig(s3_output_path=build.uri("training")),
        role=build.role,
        sagemaker_session=build.session,
    )


def train_step(
    build: Build, splits: dict[str, Any], depends_on: list[Any] | None
) -> tuple[TrainingStep, Any]:
    """TrainModel: one training job; returns the step and its model.tar.gz S3 URI."""
    trainer = model_trainer(build).with_metric_definitions(
        [
            MetricDefinition(name=name, regex=regex)
            for name, regex in settings.METRIC_DEFINITIONS.items()
        ]
    )
    inputs = [InputData(channel_name=n, data_source=splits[n]) for n in ("train", "validation")]
    step = TrainingStep(
        name="TrainModel",
        step_args=trainer.train(input_data_config=inputs),
        cache_config=build.cache,
        depends_on=depends_on,
    )
    return step, step.properties.ModelArtifacts.S3ModelArtifacts


def evaluate_step(
    build: Build, model_data: Any, test_data: Any, depends_on: list[Any] | None
) -> tuple[ProcessingStep, PropertyFile]:
    """EvaluateModel: steps/evaluate.py on the test split; evaluation.json as a PropertyFile."""
    report = PropertyFile(name="EvaluationReport", output_name="evaluation", path="evaluation.json")
    processor = FrameworkProcessor(
        image_uri=build.image(settings.TRAINING_IMAGE, "training"),
        command=["python3"],
        role=build.role,
        instance_type=build.params["ProcessingInstanceType"],
        instance_count=1,
        base_job_name=f"{build.prefix}-evaluate",
        code_location=build.uri("code"),
        sagemaker_session=build.session,
    )
    step_args = processor.run(
        code="evaluate.py",
        source_dir=str(STEPS_DIR),
        job_name=code_job_name(f"{build.prefix}-evaluate"),
        inputs=[
            s3_input("model", model_data, "/opt/ml/processing/model"),
            s3_input("test", test_data, "/opt/ml/processing/test"),
        ],
        outputs=[s3_output("evaluation", build.s3("evaluation"), "/opt/ml/processing/evaluation")],
    )
    step = ProcessingStep(
        name="EvaluateModel",
        step_args=step_args,
        property_files=[report],
        cache_config=build.cache,
        depends_on=depends_on,
    )
    return step, report


def model_builder(build: Build, model_data: Any) -> ModelBuilder:
    """The serving model: the inference image, the trained artifact and inference.py."""
    return ModelBuilder(
        image_uri=build.image(settings.INFERENCE_IMAGE, "inference"),
        s3_model_data_url=model_data,
        env_vars=dict(INFERENCE_ENV),
        role_arn=build.role,
        sagemaker_session=build.session,
        log_level=logging.WARNING,  # the default, DEBUG, is noisy
    )


def register_step(
    build: Build, model_data: Any, step_eval: ProcessingStep, group: str
) -> ModelStep:
    """RegisterModel: a new version in the model package group, with evaluation.json attached."""
    outputs = step_eval.properties.ProcessingOutputConfig.Outputs
    evaluation = Join(on="/", values=[outputs["evaluation"].S3Output.S3Uri, "evaluation.json"])
    return ModelStep(
        name="RegisterModel",
        step_args=model_builder(build, model_data).register(
            model_package_group_name=group,
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=[settings.ENDPOINT_INSTANCE_TYPE, "ml.m5.xlarge"],
            transform_instances=["ml.m5.xlarge"],
            approval_status=build.params["ModelApprovalStatus"],
            model_metrics=ModelMetrics(
                model_statistics=MetricsSource(content_type="application/json", s3_uri=evaluation)
            ),
        ),
    )


def deploy_steps(build: Build, model_data: Any) -> list[Any]:
    """CreateModel -> CreateEndpointConfig -> DeployEndpoint (creates or updates EndpointName)."""
    p = build.params
    create_model = ModelStep(name="CreateModel", step_args=model_builder(build, model_data).build())
    endpoint_config = EndpointConfigStep(
        name="CreateEndpointConfig",
        step_args=build.session.create_endpoint_config(
            # A config name must be new each time; the execution id is, and the schema accepts
            # it as a bare Get (a Join would not pass).
            name=ExecutionVariables.PIPELINE_EXECUTION_ID,
            production_variants=[
                production_variant(
                    model_name=create_model.properties.ModelName,
                    instance_type=p["EndpointInstanceType"],
                    initial_instance_count=1,
                )
            ],
        ),
    )
    endpoint = EndpointStep(
        name="DeployEndpoint",
        step_args=build.session.create_endpoint(
            endpoint_name=p["EndpointName"],
            config_name=endpoint_config.properties.EndpointConfigName,
        ),
    )
    return [create_model, endpoint_config, endpoint]


def get_pipeline(
    region: str,
    role: str,
    default_bucket: str,
    pipeline_name: str = settings.PIPELINE_NAME,
    base_job_prefix: str = settings.BASE_JOB_PREFIX,
    sagemaker_session: PipelineSession | None = None,
    model_package_group_name: str = settings.MODEL_PACKAGE_GROUP,
    enable_caching: bool = True,
    with_deploy: bool = True,
) -> Pipeline:
    """Build the pipeline (nothing runs; the code in steps/ is uploaded to ``default_bucket``).

    Args:
        region: AWS region of the pipeline and its container images.
        role: ARN of the IAM role the jobs run as.
        default_bucket: S3 bucket for code, data splits, models and reports.
        pipeline_name: Name of the pipeline in SageMaker.
        base_job_prefix: Prefix of job names and S3 keys.
        sagemaker_session: A PipelineSession; by default one for ``region``.
        model_package_group_name: Model registry group that receives the models.
        enable_caching: Reuse a step's earlier result when its arguments did not change.
        with_deploy: Add the CheckDeploy branch (it deploys only when Deploy is true).
    """
    session = sagemaker_session or get_session(region, default_bucket)
    if not session.default_bucket_prefix:  # the SDK's own code uploads: under the prefix too
        session.default_bucket_prefix = base_job_prefix
    build = Build(
        region=region,
        role=role,
        bucket=default_bucket,
        prefix=base_job_prefix,
        session=session,
        params=parameters(default_bucket, base_job_prefix, with_deploy),
        cache=CacheConfig(enable_caching=enable_caching, expire_after=settings.CACHE_EXPIRE_AFTER),
    )
    step_preprocess, splits = preprocess_step(build)
    depends_on: list[Any] | None = None  # the splits are step properties: order follows
    step_train, model_data = train_step(build, splits, depends_on)
    step_eval, report = evaluate_step(build, model_data, splits["test"], depends_on)
    accuracy = JsonGet(
        step_name=step_eval.name, property_file=report, json_path=settings.EVALUATION_METRIC_PATH
    )
    accuracy_ok = ConditionGreaterThanOrEqualTo(left=accuracy, right=build.params["MinAccuracy"])
    check = ConditionStep(
        name="CheckAccuracy",
        conditions=[accuracy_ok],
        if_steps=[register_step(build, model_data, step_eval, model_package_group_name)],
        else_steps=[FailStep(name="AccuracyTooLow", error_message="Accuracy is below MinAccuracy")],
    )
    steps: list[Any] = [step_preprocess, step_train, step_eval, check]
    if with_deploy:
        # Top level, not nested in CheckAccuracy: both conditions must hold (they are AND-ed).
        deploy = ConditionEquals(left=build.params["Deploy"], right=True)
        steps.append(
            ConditionStep(
                name="CheckDeploy",
                conditions=[accuracy_ok, deploy],
                if_steps=deploy_steps(build, model_data),
                else_steps=[],
            )
        )
    return Pipeline(
        name=pipeline_name,
        parameters=list(build.params.values()),
        steps=steps,
        sagemaker_session=session,
    )
