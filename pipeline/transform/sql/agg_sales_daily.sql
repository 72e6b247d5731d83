-- Latest valid version of each sales order only (never the history), unless it is a delete.
-- Inputs: current_sales_order, current_address, current_currency.
SELECT
    CAST(o.created_at AS DATE) AS sale_date,
    o.design_id,
    a.country,
    c.currency_code,
    count(*) AS orders,
    CAST(sum(o.units_sold) AS BIGINT) AS units_sold,
    CAST(sum(o.units_sold * o.unit_price) AS DECIMAL(14, 2)) AS revenue
FROM current_sales_order AS o
JOIN current_address AS a ON a.address_id = o.agreed_delivery_location_id
JOIN current_currency AS c ON c.currency_id = o.currency_id
WHERE o.is_deleted IS NOT TRUE
GROUP BY ALL
ORDER BY ALL
