"""Where the warehouse is: the connection parameters of a platform's PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass(frozen=True)
class WarehouseTarget:
    """Connection parameters of the warehouse; ``None`` host means the embedded local server."""

    host: str
    port: int
    database: str
    user: str
    password: str = field(repr=False)
    sslmode: str = "prefer"

    def conninfo(self) -> str:
        """A libpq URL; the password is quoted so any character is safe."""
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        database = quote(self.database, safe="")
        if self.host.startswith("/"):  # a Unix socket directory, e.g. Cloud SQL's /cloudsql/...
            return (
                f"postgresql://{auth}@/{database}?host={quote(self.host, safe='/')}"
                f"&port={self.port}&sslmode={self.sslmode}"
            )
        return f"postgresql://{auth}@{self.host}:{self.port}/{database}?sslmode={self.sslmode}"
