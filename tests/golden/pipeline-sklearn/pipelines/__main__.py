"""Command line of the demo pipeline: ``python -m pipelines COMMAND --help``.

    definition  print the pipeline definition JSON, built offline (no AWS account needed)
    local       run preprocess -> train -> evaluate on this machine, on data/sample.csv
    serve       serve the trained model on a local endpoint (GET /ping, POST /invocations)
    upsert      create or update the pipeline in SageMaker (AWS credentials and a role needed)
    start       start an execution, optionally with parameters (--param Name=Value)
    status      show an execution (the latest by default) and its steps

Only ``definition`` and ``upsert`` import the SageMaker SDK; ``start`` and ``status`` use boto3.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from pipelines import CommandError
from pipelines.demo import settings

PROJECT = Path(__file__).resolve().parent.parent
# arn:<partition>:iam::<account>:role/<optional path/><name>, as IAM writes role ARNs.
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+")


def default_region() -> str | None:
    """The region from the environment (None if unset): fast, no SDK import."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


def configured_region() -> str | None:
    """The region the AWS CLI would use: the environment, else the profile in ~/.aws/config."""
    import boto3

    return default_region() or boto3.Session().region_name


def add_build_options(parser: argparse.ArgumentParser) -> None:
    """Options fixed when the pipeline is built (not pipeline parameters)."""
    parser.add_argument("--bucket", help="S3 bucket for code and artifacts (default: SDK's)")
    parser.add_argument("--no-deploy", action="store_true", help="leave out the CheckDeploy branch")
    parser.add_argument("--no-cache", action="store_true", help="turn step caching off")


def build_options(args: argparse.Namespace) -> dict:
    """The keyword arguments of get_pipeline() that the command line sets."""
    return {
        "pipeline_name": args.pipeline_name,
        "enable_caching": not args.no_cache,
        "with_deploy": not args.no_deploy,
    }


def check_role_arn(args: argparse.Namespace) -> None:
    """Refuse a --role-arn that is not an IAM role ARN before any AWS call.

    The SDK would only fail later, deep in the build, with a ValueError and a traceback.
    """
    role = getattr(args, "role_arn", None)
    if role is not None and not ROLE_ARN.fullmatch(role):
        raise CommandError(
            f"--role-arn {role!r} is not an IAM role ARN; pass one like "
            "arn:aws:iam::123456789012:role/SageMakerExecutionRole."
        )


def run_definition(args: argparse.Namespace) -> int:
    """Print (or write) the definition JSON built offline."""
    from pipelines import _session

    region = args.region or default_region() or "us-east-1"
    text = _session.build_definition(region, args.bucket, args.role_arn, **build_options(args))
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        print(text)
    return 0


def run_local(args: argparse.Namespace) -> int:
    """Run the steps as local processes."""
    from pipelines import _local

    return _local.main(args)


def run_serve(args: argparse.Namespace) -> int:
    """Serve a model.tar.gz through the SageMaker inference toolkit, on this machine."""
    from pipelines import _serve

    return _serve.run(args)


def run_service(args: argparse.Namespace) -> int:
    """upsert, start or status against SageMaker."""
    from pipelines import _service

    args.region = args.region or configured_region()
    if not args.region:
        raise CommandError("no AWS region: pass --region, set AWS_REGION or run 'aws configure'.")
    args.options = build_options(args) if args.command == "upsert" else {}
    return getattr(_service, args.command)(args)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="python -m pipelines",
        description=__doc__.split("\n\n")[0].replace("``", ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.rsplit("\n\n", 1)[1].replace("``", ""),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--region", help="AWS region (default: $AWS_REGION, else your profile's)")
    common.add_argument("--pipeline-name", default=settings.PIPELINE_NAME)

    p = commands.add_parser("definition", parents=[common], help="print the definition JSON")
    add_build_options(p)
    p.add_argument("--role-arn", help="role written into the definition (default: a placeholder)")
    p.add_argument("-o", "--output", help="write the JSON to this file instead of stdout")
    p.set_defaults(run=run_definition)

    p = commands.add_parser("local", help="run the steps locally on the sample data")
    p.add_argument("--data", type=Path, default=PROJECT / "data" / "sample.csv")
    p.add_argument("--work-dir", type=Path, default=PROJECT / ".work" / "local")
    p.set_defaults(run=run_local)

    from pipelines import _serve  # stdlib only; the toolkit is imported when serving starts

    p = commands.add_parser(
        "serve",
        help="serve a trained model on a local endpoint",
        description=(_serve.__doc__ or "").split("\n\n")[0].replace("``", ""),
    )
    _serve.add_arguments(p).set_defaults(run=run_serve)

    p = commands.add_parser("upsert", parents=[common], help="create or update the pipeline")
    add_build_options(p)
    p.add_argument("--role-arn", required=True, help="IAM role the pipeline's jobs run as")
    p.add_argument("--description", default=f"{settings.PIPELINE_NAME}: python -m pipelines upsert")
    p.set_defaults(run=run_service)

    p = commands.add_parser("start", parents=[common], help="start an execution")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a pipeline parameter, e.g. --param MinAccuracy=0.8 (repeatable); "
        "InputFingerprint defaults to a digest of InputDataUrl's listing (see README)",
    )
    p.set_defaults(run=run_service)

    p = commands.add_parser("status", parents=[common], help="show an execution and its steps")
    p.add_argument("--execution-arn", help="default: the latest execution")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_service)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse, run, and turn expected failures into one line and exit status 2."""
    args = build_parser().parse_args(argv)
    try:
        check_role_arn(args)
        return int(args.run(args))
    except CommandError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
