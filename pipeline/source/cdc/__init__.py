"""Change data capture from PostgreSQL logical replication with the built-in ``pgoutput`` plugin.

Built-in so it needs no extension on RDS, Cloud SQL, Azure Flexible Server or the embedded
server. The decoder (``decode``) is pure; the slot, snapshot and setup modules talk to the server.
"""
