-- The name comes from the ISO 4217 table of the iso4217 package, registered as ref_currency.
-- Inputs: current_currency, ref_currency(currency_code, currency_name).
SELECT c.currency_id, c.currency_code, r.currency_name,
    coalesce(c.is_deleted, false) AS is_deleted
FROM current_currency AS c
LEFT JOIN ref_currency AS r ON r.currency_code = upper(trim(c.currency_code))
ORDER BY c.currency_id
