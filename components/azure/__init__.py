"""Azure platform components (pulumi-azure-native); imported only when a stack chooses Azure.

Like every cloud package it offers the registry ``platform.Platform``, ``mocks.MockResponder``
and the SDK it brings in (``SDK_MODULE``); this file stays free of imports so the package's
pure modules (the role table the guardrails read) load without the SDK.

Each module imports only the azure-native submodules it needs (``from pulumi_azure_native import
storage``): the package has hundreds of submodules and importing them all costs seconds and
hundreds of megabytes, so nothing here touches the package root beyond the provider.
"""

SDK_MODULE = "pulumi_azure_native"
