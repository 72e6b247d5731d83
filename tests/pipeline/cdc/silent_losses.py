"""The source edits that a ``last_updated`` watermark loses without a word, and what each must
leave behind once the cdc source has read it.

One list, so that the raw-zone test (every version and the delete arrive as changes) and the
warehouse test (they become fact versions) speak of the same cases. The statements run on the
generated cdc source in autocommit mode (``BEGIN`` .. ``COMMIT`` make one transaction); each
case edits its own sales order, so one run carries them all.
"""

from __future__ import annotations

# sales_order_id of each case
UNTOUCHED, BACKWARDS, ONE_TRANSACTION, TWICE, DELETED = 1, 2, 3, 4, 5

EDITS: tuple[str, ...] = (
    # 1. a change that leaves last_updated alone (an order and a dimension)
    f"UPDATE sales_order SET units_sold = 901 WHERE sales_order_id = {UNTOUCHED}",
    "UPDATE design SET design_name = 'Same Moment' WHERE design_id = 1",
    # 2. last_updated moved backwards (an order and a dimension)
    "UPDATE sales_order SET units_sold = 902, last_updated = last_updated - interval '3 days' "
    f"WHERE sales_order_id = {BACKWARDS}",
    "UPDATE staff SET first_name = 'Backwards', last_updated = last_updated - "
    "interval '3 days' WHERE staff_id = 1",
    # 3. two versions with the same (id, last_updated), in one transaction (so one batch)
    "BEGIN",
    f"UPDATE sales_order SET units_sold = 931 WHERE sales_order_id = {ONE_TRANSACTION}",
    f"UPDATE sales_order SET units_sold = 932 WHERE sales_order_id = {ONE_TRANSACTION}",
    "COMMIT",
    # 4. changed twice between two runs
    f"UPDATE sales_order SET units_sold = 941, last_updated = now() WHERE sales_order_id = {TWICE}",
    f"UPDATE sales_order SET units_sold = 942, last_updated = now() WHERE sales_order_id = {TWICE}",
    # 5. a delete
    f"DELETE FROM sales_order WHERE sales_order_id = {DELETED}",
)

# What EDITS add, in commit order: the units_sold of each updated order's new versions (the
# deleted order gets one delete carrying its last values), and the dimensions' new values.
UNITS: dict[int, list[int]] = {UNTOUCHED: [901], BACKWARDS: [902],
                               ONE_TRANSACTION: [931, 932], TWICE: [941, 942]}
DESIGN_1_NAME, STAFF_1_FIRST_NAME = "Same Moment", "Backwards"
# Committed transactions in EDITS, and changes of sales_order / of every table.
TRANSACTIONS, ORDER_CHANGES, CHANGES = 8, 7, 9
