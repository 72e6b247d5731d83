-- The valid sales order versions first delivered by this batch: one row per
-- (sales_order_id, last_updated) from the watermark source, per (sales_order_id, change_lsn,
-- change_ordinal) from the change stream, a delete included (is_deleted).
-- Inputs: checked_sales_order, run_batch(batch).
SELECT
    sales_order_id,
    CAST(created_at AS DATE) AS created_date,
    CAST(created_at AS TIME) AS created_time,
    CAST(last_updated AS DATE) AS last_updated_date,
    CAST(last_updated AS TIME) AS last_updated_time,
    staff_id AS sales_staff_id,
    counterparty_id,
    units_sold,
    unit_price,
    currency_id,
    design_id,
    agreed_payment_date,
    agreed_delivery_date,
    agreed_delivery_location_id,
    _deleted AS is_deleted,
    _lsn AS change_lsn,
    _ord AS change_ordinal
FROM checked_sales_order
WHERE _rule IS NULL AND _batch = (SELECT batch FROM run_batch)
ORDER BY sales_order_id, last_updated_date, last_updated_time, change_lsn, change_ordinal
