"""Azure platform components (pulumi-azure-native); imported only when a stack chooses Azure.

Each module imports only the azure-native submodules it needs (``from pulumi_azure_native import
storage``): the package has hundreds of submodules and importing them all costs seconds and
hundreds of megabytes, so nothing here touches the package root beyond the provider.
"""
