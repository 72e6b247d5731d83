"""AWS platform components (pulumi-aws); imported only when a stack chooses AWS.

Like every cloud package it offers the registry ``platform.Platform``, ``mocks.MockResponder``
and the SDK it brings in (``SDK_MODULE``); this file stays free of imports so the package's
pure modules (plans, names) load without the SDK.
"""

SDK_MODULE = "pulumi_aws"
