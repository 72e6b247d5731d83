-- Inputs: current_payment_type.
SELECT payment_type_id, payment_type_name,
    coalesce(is_deleted, false) AS is_deleted
FROM current_payment_type
ORDER BY payment_type_id
