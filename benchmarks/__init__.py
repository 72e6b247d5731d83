"""Benchmarks: the pipeline at scale against a pandas reference, the machine and to_sql."""
