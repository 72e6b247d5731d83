"""The PostgreSQL warehouse: migrations, the exactly-once load, and fault injection for tests.

Entry point: ``pipeline.warehouse.load.run(settings, warehouse_url)``.
"""
