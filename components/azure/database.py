"""The warehouse: Azure Database for PostgreSQL Flexible Server, reachable only inside the VNet.

The server lives in its delegated subnet with a private DNS name, has no public access and no
firewall rules, refuses non-TLS connections, and keeps backups for the environment's retention
(geo-redundant in prod, so a regional outage does not lose the warehouse). The administrator
password is generated here and handed to Key Vault; it exists nowhere else but encrypted state.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_random as random
from pulumi_azure_native import authorization, dbforpostgresql

from components.azure.scope import Scope

POSTGRES_VERSION = "17"
PORT = 5432
DATABASE = "warehouse"
ADMIN_LOGIN = "tricloud"
# Server parameters that make "secure" explicit rather than a default someone can flip.
SERVER_PARAMETERS = {
    "require_secure_transport": "on",
    "ssl_min_protocol_version": "TLSv1.2",
}


@dataclass(frozen=True)
class DatabaseArgs:
    subnet_id: pulumi.Input[str]
    private_dns_zone_id: pulumi.Input[str]


class Database(pulumi.ComponentResource):
    """Password, Flexible Server, TLS parameters, the warehouse database, a delete lock in prod."""

    host: pulumi.Output[str]
    port: pulumi.Output[int]
    database: pulumi.Output[str]
    user: pulumi.Output[str]
    password: pulumi.Output[str]
    server_id: pulumi.Output[str]

    def __init__(self, name: str, args: DatabaseArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Database", name, None, opts)
        ctx = scope.ctx
        db = ctx.platform.database
        machine = ctx.database_machine
        rg = scope.resource_group_name

        # Only characters that survive a libpq URL and shell quoting unescaped.
        password = random.RandomPassword(
            "admin-password", length=32, special=True, override_special="-_.~",
            min_lower=2, min_upper=2, min_numeric=2, min_special=2,
            opts=pulumi.ResourceOptions(parent=self, provider=scope.random_provider))
        server = dbforpostgresql.Server(
            f"{ctx.stack}-warehouse", resource_group_name=rg, location=scope.location,
            version=POSTGRES_VERSION,
            administrator_login=ADMIN_LOGIN,
            administrator_login_password=pulumi.Output.secret(password.result),
            auth_config=dbforpostgresql.AuthConfigArgs(password_auth="Enabled"),
            sku=dbforpostgresql.SkuArgs(name=machine.name, tier=machine.tier),
            storage=dbforpostgresql.StorageArgs(storage_size_gb=db.storage_gb, auto_grow="Enabled"),
            backup=dbforpostgresql.BackupArgs(
                backup_retention_days=db.backup_retention_days,
                geo_redundant_backup="Enabled" if ctx.is_prod else "Disabled"),
            high_availability=dbforpostgresql.HighAvailabilityArgs(
                mode="ZoneRedundant" if db.high_availability else "Disabled"),
            network=dbforpostgresql.NetworkArgs(
                delegated_subnet_resource_id=args.subnet_id,
                private_dns_zone_arm_resource_id=args.private_dns_zone_id,
                public_network_access="Disabled"),
            tags=scope.tags,
            opts=pulumi.ResourceOptions.merge(
                scope.data(self),
                pulumi.ResourceOptions(additional_secret_outputs=["administratorLoginPassword"])))
        # Parameters are applied one after another: the server accepts one update at a time.
        previous: list[pulumi.Resource] = []
        for parameter, value in SERVER_PARAMETERS.items():
            previous = [dbforpostgresql.Configuration(
                parameter.replace("_", "-"), resource_group_name=rg, server_name=server.name,
                configuration_name=parameter, value=value, source="user-override",
                opts=scope.child(self, depends_on=previous))]
        database = dbforpostgresql.Database(
            DATABASE, resource_group_name=rg, server_name=server.name, database_name=DATABASE,
            charset="UTF8", collation="en_US.utf8",
            opts=scope.data(self, depends_on=previous))
        if ctx.protect_data:
            authorization.ManagementLockByScope(
                "warehouse-lock", scope=server.id, level="CanNotDelete",
                notes="tricloud: the prod warehouse cannot be deleted while this lock exists.",
                opts=scope.child(self))

        self.host = server.fully_qualified_domain_name
        self.port = pulumi.Output.from_input(PORT)
        self.database = database.name
        self.user = server.administrator_login.apply(lambda login: login or ADMIN_LOGIN)
        self.password = pulumi.Output.secret(password.result)
        self.server_id = server.id
        self.register_outputs({
            "host": self.host, "port": self.port, "database": self.database,
            "user": self.user, "server_id": self.server_id,
        })
