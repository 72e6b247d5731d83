-- The valid purchase order versions first delivered by this batch.
-- Inputs: checked_purchase_order, run_batch(batch).
SELECT
    purchase_order_id,
    CAST(created_at AS DATE) AS created_date,
    CAST(created_at AS TIME) AS created_time,
    CAST(last_updated AS DATE) AS last_updated_date,
    CAST(last_updated AS TIME) AS last_updated_time,
    staff_id,
    counterparty_id,
    item_code,
    item_quantity,
    item_unit_price,
    currency_id,
    agreed_delivery_date,
    agreed_payment_date,
    agreed_delivery_location_id,
    _deleted AS is_deleted,
    _lsn AS change_lsn,
    _ord AS change_ordinal
FROM checked_purchase_order
WHERE _rule IS NULL AND _batch = (SELECT batch FROM run_batch)
ORDER BY purchase_order_id, last_updated_date, last_updated_time, change_lsn, change_ordinal
