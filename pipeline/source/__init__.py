"""The OLTP source: its contract (tables, columns), a synthetic generator, and ingest readers."""
