-- One row per (processed batch, table) committed in the same transaction as the data, so a
-- batch table that was committed before a crash is never applied twice.
CREATE TABLE warehouse.load_ledger (
    batch_id varchar NOT NULL,
    table_name varchar NOT NULL,
    rows_staged int NOT NULL,
    rows_changed int NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, table_name)
);
