-- Latest valid version of each purchase order only, unless it is a delete.
-- Inputs: current_purchase_order, current_currency.
SELECT
    CAST(date_trunc('month', o.created_at) AS DATE) AS month,
    o.counterparty_id,
    c.currency_code,
    count(*) AS orders,
    CAST(sum(o.item_quantity) AS BIGINT) AS item_quantity,
    CAST(sum(o.item_quantity * o.item_unit_price) AS DECIMAL(14, 2)) AS spend
FROM current_purchase_order AS o
JOIN current_currency AS c ON c.currency_id = o.currency_id
WHERE o.is_deleted IS NOT TRUE
GROUP BY ALL
ORDER BY ALL
