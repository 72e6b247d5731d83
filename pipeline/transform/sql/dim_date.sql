-- Every date that any valid fact version up to this batch uses, so each fact date resolves.
-- Inputs: checked_sales_order, checked_purchase_order, checked_payment.
WITH dates AS (
    SELECT CAST(created_at AS DATE) AS d FROM checked_sales_order WHERE _rule IS NULL
    UNION SELECT CAST(last_updated AS DATE) FROM checked_sales_order WHERE _rule IS NULL
    UNION SELECT agreed_delivery_date FROM checked_sales_order WHERE _rule IS NULL
    UNION SELECT agreed_payment_date FROM checked_sales_order WHERE _rule IS NULL
    UNION SELECT CAST(created_at AS DATE) FROM checked_purchase_order WHERE _rule IS NULL
    UNION SELECT CAST(last_updated AS DATE) FROM checked_purchase_order WHERE _rule IS NULL
    UNION SELECT agreed_delivery_date FROM checked_purchase_order WHERE _rule IS NULL
    UNION SELECT agreed_payment_date FROM checked_purchase_order WHERE _rule IS NULL
    UNION SELECT CAST(created_at AS DATE) FROM checked_payment WHERE _rule IS NULL
    UNION SELECT CAST(last_updated AS DATE) FROM checked_payment WHERE _rule IS NULL
    UNION SELECT payment_date FROM checked_payment WHERE _rule IS NULL
)
SELECT
    d AS date_id,
    CAST(year(d) AS INTEGER) AS year,
    CAST(month(d) AS INTEGER) AS month,
    CAST(day(d) AS INTEGER) AS day,
    CAST(isodow(d) AS INTEGER) AS day_of_week,
    dayname(d) AS day_name,
    monthname(d) AS month_name,
    CAST(quarter(d) AS INTEGER) AS quarter,
    false AS is_deleted
FROM dates
WHERE d IS NOT NULL
ORDER BY date_id
