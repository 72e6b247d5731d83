-- Latest valid version of each payment only, unless it is a delete. Inputs: current_payment,
-- current_payment_type, current_currency.
SELECT
    CAST(date_trunc('month', p.payment_date) AS DATE) AS month,
    t.payment_type_name,
    p.paid,
    c.currency_code,
    count(*) AS payments,
    CAST(sum(p.payment_amount) AS DECIMAL(14, 2)) AS amount
FROM current_payment AS p
JOIN current_payment_type AS t ON t.payment_type_id = p.payment_type_id
JOIN current_currency AS c ON c.currency_id = p.currency_id
WHERE p.is_deleted IS NOT TRUE
GROUP BY ALL
ORDER BY ALL
