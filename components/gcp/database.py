"""The warehouse: Cloud SQL for PostgreSQL reachable only on the VPC's private services range.

No public IPv4 and no authorised networks, so the only path in is the VPC; SSL is required on
that path too. Backups with point-in-time recovery keep ``backup_retention_days`` of daily
backups. In prod the instance refuses deletion twice: at the Cloud SQL API and in Pulumi.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from components.gcp.scope import Scope
from config.schema import DatabaseConfig

POSTGRES_VERSION = "POSTGRES_16"
PORT = 5432
DATABASE = "warehouse"
USER = "tricloud"
MAX_LOG_RETENTION_DAYS = 7  # the Enterprise edition keeps at most 7 days of WAL for PITR
# Flags a CIS review of Cloud SQL for PostgreSQL expects, plus IAM login. ``log_min_messages``
# at ``error`` keeps warnings out of the logs (CIS asks for ``error`` or a more severe level).
# ``log_min_duration_statement`` stays at 5 s rather than the CIS "-1" (off): slow statements are
# the one signal of a warehouse load going wrong, the statement text is the kit's own SQL (rows
# arrive through COPY FROM STDIN, never in it), and only statements over 5 s are written.
FLAGS: dict[str, str] = {
    "cloudsql.iam_authentication": "on",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_min_duration_statement": "5000",  # statements slower than 5 s are logged
    "log_checkpoints": "on",
    "log_hostname": "on",
    "log_lock_waits": "on",
    "log_min_messages": "error",
    "log_statement": "ddl",
    "cloudsql.enable_pgaudit": "on",  # a restart of the instance when first turned on
    "pgaudit.log": "ddl,role",  # schema and privilege changes; reads and writes would flood
}


@dataclass(frozen=True)
class DatabaseArgs:
    config: DatabaseConfig
    network_id: pulumi.Input[str]
    # The instance can only get a private IP once the peering to the VPC exists.
    private_services: pulumi.Resource


class Database(pulumi.ComponentResource):
    """Instance, the warehouse database and its user with a generated password."""

    instance: gcp.sql.DatabaseInstance
    password: pulumi.Output[str]
    host: pulumi.Output[str]
    database: pulumi.Output[str]
    user: pulumi.Output[str]

    def __init__(self, name: str, args: DatabaseArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Database", name, None, opts)
        cfg = args.config
        machine = scope.ctx.database_machine
        self.instance = gcp.sql.DatabaseInstance(
            "warehouse",
            database_version=POSTGRES_VERSION, region=scope.region,
            deletion_protection=cfg.deletion_protection,  # the provider refuses to delete
            settings=gcp.sql.DatabaseInstanceSettingsArgs(
                tier=machine.name,
                edition="ENTERPRISE",  # custom machine tiers; PG16+ would default to Plus
                availability_type="REGIONAL" if cfg.high_availability else "ZONAL",
                disk_type="PD_SSD", disk_size=cfg.storage_gb, disk_autoresize=True,
                deletion_protection_enabled=cfg.deletion_protection,  # the API refuses too
                ip_configuration=gcp.sql.DatabaseInstanceSettingsIpConfigurationArgs(
                    ipv4_enabled=False, private_network=args.network_id,
                    ssl_mode="ENCRYPTED_ONLY", authorized_networks=[]),
                backup_configuration=gcp.sql.DatabaseInstanceSettingsBackupConfigurationArgs(
                    enabled=True, point_in_time_recovery_enabled=True, start_time="02:00",
                    transaction_log_retention_days=min(cfg.backup_retention_days,
                                                       MAX_LOG_RETENTION_DAYS),
                    backup_retention_settings=gcp.sql.
                    DatabaseInstanceSettingsBackupConfigurationBackupRetentionSettingsArgs(
                        retained_backups=cfg.backup_retention_days, retention_unit="COUNT")),
                maintenance_window=gcp.sql.DatabaseInstanceSettingsMaintenanceWindowArgs(
                    day=7, hour=3, update_track="stable"),  # Sunday 03:00 UTC
                insights_config=gcp.sql.DatabaseInstanceSettingsInsightsConfigArgs(
                    query_insights_enabled=True),
                database_flags=[gcp.sql.DatabaseInstanceSettingsDatabaseFlagArgs(name=k, value=v)
                                for k, v in FLAGS.items()],
                user_labels=scope.labels),
            opts=scope.data(self, depends_on=[args.private_services]))
        db = gcp.sql.Database(
            DATABASE, name=DATABASE, instance=self.instance.name,
            deletion_policy="ABANDON" if cfg.deletion_protection else "DELETE",
            opts=scope.data(self))
        generated = random.RandomPassword(
            "warehouse-password", length=32, special=False,
            opts=pulumi.ResourceOptions(parent=self, provider=scope.random_provider))
        self.password = pulumi.Output.secret(generated.result)
        user = gcp.sql.User(
            USER, name=USER, instance=self.instance.name, password=self.password,
            deletion_policy="ABANDON",  # PostgreSQL refuses to drop a user owning objects
            opts=scope.child(self, depends_on=[db]))
        self.host = self.instance.private_ip_address
        self.database = db.name
        self.user = user.name
        self.register_outputs({
            "instance": self.instance.name,
            "connection_name": self.instance.connection_name,
            "host": self.host,
            "database": self.database,
            "user": self.user,
        })
