-- The valid payment versions first delivered by this batch.
-- Inputs: checked_payment, run_batch(batch).
SELECT
    payment_id,
    CAST(created_at AS DATE) AS created_date,
    CAST(created_at AS TIME) AS created_time,
    CAST(last_updated AS DATE) AS last_updated_date,
    CAST(last_updated AS TIME) AS last_updated_time,
    transaction_id,
    counterparty_id,
    payment_amount,
    currency_id,
    payment_type_id,
    paid,
    payment_date,
    _deleted AS is_deleted,
    _lsn AS change_lsn,
    _ord AS change_ordinal
FROM checked_payment
WHERE _rule IS NULL AND _batch = (SELECT batch FROM run_batch)
ORDER BY payment_id, last_updated_date, last_updated_time, change_lsn, change_ordinal
