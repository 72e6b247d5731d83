"""Monthly cost estimates of offline plans, from the price table in ``tricloud/cost/prices.py``.

The estimate is list price times a stated quantity: hours a month for what bills by the hour,
the stack config's usage assumptions (``usage.*``, ``pipeline.schedule``) for what bills by use.
Anything the table has no price for is listed as "not estimated", never counted as zero.
"""
