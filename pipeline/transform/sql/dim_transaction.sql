-- Inputs: current_transaction.
SELECT transaction_id, transaction_type, sales_order_id, purchase_order_id,
    coalesce(is_deleted, false) AS is_deleted
FROM current_transaction
ORDER BY transaction_id
