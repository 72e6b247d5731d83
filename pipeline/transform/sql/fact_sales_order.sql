-- The valid sales order versions first delivered by this batch: one row per
-- (sales_order_id, last_updated). Inputs: checked_sales_order, run_batch(batch).
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
    agreed_delivery_location_id
FROM checked_sales_order
WHERE _rule IS NULL AND _batch = (SELECT batch FROM run_batch)
ORDER BY sales_order_id, last_updated_date, last_updated_time
