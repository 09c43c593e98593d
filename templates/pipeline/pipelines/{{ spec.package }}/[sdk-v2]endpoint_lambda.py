"""The Lambda function behind the pipeline's DeployEndpoint step (SDK v2 variant).

SDK v2 has no endpoint steps, so the pipeline creates the model (CreateModel) and this
function puts it behind an endpoint: a new endpoint config named after the pipeline execution,
then the endpoint is created, or updated when it already exists. It returns at once; the
endpoint becomes InService a few minutes later.

Create or update the function with ``python -m pipelines deploy-lambda --role-arn ARN``.
Its role needs sagemaker:CreateEndpointConfig, CreateEndpoint, UpdateEndpoint and
DescribeEndpoint (plus the usual CloudWatch Logs permissions).

Event (the LambdaStep's inputs): model_name, endpoint_name, endpoint_config_name,
instance_type, instance_count. Returns (its outputs): statusCode, endpoint_name.
"""

import boto3
from botocore.exceptions import ClientError


def endpoint_exists(sagemaker, name: str) -> bool:
    """Say whether the endpoint exists (DescribeEndpoint raises ValidationException if not)."""
    try:
        sagemaker.describe_endpoint(EndpointName=name)
    except ClientError as err:
        if err.response["Error"]["Code"] != "ValidationException":
            raise
        return False
    return True


def lambda_handler(event, context):
    """Create the endpoint config, then create or update the endpoint."""
    sagemaker = boto3.client("sagemaker")
    endpoint_name = event["endpoint_name"]
    config_name = event["endpoint_config_name"]
    sagemaker.create_endpoint_config(
        EndpointConfigName=config_name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": event["model_name"],
                "InstanceType": event["instance_type"],
                "InitialInstanceCount": int(event.get("instance_count", 1)),
            }
        ],
    )
    if endpoint_exists(sagemaker, endpoint_name):
        sagemaker.update_endpoint(EndpointName=endpoint_name, EndpointConfigName=config_name)
    else:
        sagemaker.create_endpoint(EndpointName=endpoint_name, EndpointConfigName=config_name)
    return {"statusCode": 200, "endpoint_name": endpoint_name}
