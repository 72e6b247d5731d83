"""The built-in Azure roles the platform grants, by their fixed, tenant-independent ids.

These are the only roles tricloud assigns; tests check that no other role (and never Owner or
Contributor) appears in a plan.
"""

from __future__ import annotations

from typing import Final

STORAGE_BLOB_DATA_CONTRIBUTOR: Final = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
KEY_VAULT_SECRETS_USER: Final = "4633458b-17de-408a-b874-0445c86b69e6"
ACR_PULL: Final = "7f951dda-4ed3-4680-a7ca-43fe172d538d"

ALLOWED: Final = frozenset({STORAGE_BLOB_DATA_CONTRIBUTOR, KEY_VAULT_SECRETS_USER, ACR_PULL})
# Never granted; listed so tests and the broad-iam guardrail name what they forbid.
OWNER: Final = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR: Final = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER: Final = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
USER_ACCESS_ADMINISTRATOR: Final = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
BROAD: Final = {OWNER: "Owner", CONTRIBUTOR: "Contributor", READER: "Reader",
                USER_ACCESS_ADMINISTRATOR: "User Access Administrator"}


def definition_path(role_id: str) -> str:
    """The subscription-relative tail of a role definition id."""
    return f"providers/Microsoft.Authorization/roleDefinitions/{role_id}"
