-- The counterparty with its legal address flattened in. Inputs: current_counterparty,
-- current_address.
SELECT
    c.counterparty_id,
    c.counterparty_legal_name,
    a.address_line_1 AS counterparty_legal_address_line_1,
    a.address_line_2 AS counterparty_legal_address_line_2,
    a.district AS counterparty_legal_district,
    a.city AS counterparty_legal_city,
    a.postal_code AS counterparty_legal_postal_code,
    a.country AS counterparty_legal_country,
    a.phone AS counterparty_legal_phone_number,
    coalesce(c.is_deleted, false) AS is_deleted
FROM current_counterparty AS c
LEFT JOIN current_address AS a ON a.address_id = c.legal_address_id
ORDER BY c.counterparty_id
