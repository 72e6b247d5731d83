"""The AWS platform: composes the AWS components and exports the platform contract."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.context import StackContext
from components.contract import PlatformOutputs


class AwsPlatform(pulumi.ComponentResource):
    """Everything one AWS stack runs: one explicit provider, default tags on every resource."""

    outputs: PlatformOutputs

    def __init__(self, name: str, ctx: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Platform", name, None, opts)
        provider = aws.Provider(
            "aws", region=ctx.platform.region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=ctx.tags),
            opts=pulumi.ResourceOptions(parent=self))
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        buckets = {
            zone: aws.s3.Bucket(f"{zone}", force_destroy=not ctx.protect_data, opts=child)
            for zone in ("raw", "processed")
        }
        uri = {zone: b.bucket.apply(lambda n: f"s3://{n}") for zone, b in buckets.items()}
        pending = pulumi.Output.from_input("")
        self.outputs = PlatformOutputs(
            raw_storage_uri=uri["raw"],
            processed_storage_uri=uri["processed"],
            warehouse_host=pending,
            warehouse_port=pulumi.Output.from_input(5432),
            warehouse_database=pulumi.Output.from_input("warehouse"),
            warehouse_user=pulumi.Output.from_input("tricloud"),
            warehouse_secret_ref=pending,
            source_secret_ref=pending,
            job_name=pending,
            image_repository=pending,
            schedule=pulumi.Output.from_input(ctx.platform.pipeline.schedule),
        )
        self.register_outputs(self.outputs.as_dict())
