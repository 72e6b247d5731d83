-- Inputs: current_payment_type.
SELECT payment_type_id, payment_type_name
FROM current_payment_type
ORDER BY payment_type_id
