"""The PostgreSQL warehouse: migrations and the exactly-once load.

Entry point: ``pipeline.warehouse.load.run(session)``.
"""
