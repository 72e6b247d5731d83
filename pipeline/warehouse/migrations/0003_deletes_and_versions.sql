-- Deletes and every version (WAREHOUSE.md): every dimension and fact records whether its row
-- was deleted in the source, and a fact version read from the source's change stream is
-- identified by its commit position (change_lsn, change_ordinal), not by last_updated, so a
-- change that leaves last_updated alone, or moves it backwards, is still a version of its own.
-- Versions read by the last_updated watermark keep change_lsn NULL and their old identity
-- (natural id, last_updated). Adding a column with a constant default rewrites no rows, so an
-- existing warehouse takes this in place.
ALTER TABLE warehouse.dim_date ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;
ALTER TABLE warehouse.dim_staff ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;
ALTER TABLE warehouse.dim_location ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;
ALTER TABLE warehouse.dim_design ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;
ALTER TABLE warehouse.dim_currency ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;
ALTER TABLE warehouse.dim_counterparty ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;
ALTER TABLE warehouse.dim_payment_type ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;
ALTER TABLE warehouse.dim_transaction ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;

ALTER TABLE warehouse.fact_sales_order
    ADD COLUMN is_deleted boolean NOT NULL DEFAULT false,
    ADD COLUMN change_lsn bigint,
    ADD COLUMN change_ordinal int,
    ADD CONSTRAINT fact_sales_order_change_position
        CHECK ((change_lsn IS NULL) = (change_ordinal IS NULL)),
    DROP CONSTRAINT fact_sales_order_version;
CREATE UNIQUE INDEX fact_sales_order_version ON warehouse.fact_sales_order
    (sales_order_id, last_updated_date, last_updated_time) WHERE change_lsn IS NULL;
CREATE UNIQUE INDEX fact_sales_order_change ON warehouse.fact_sales_order
    (sales_order_id, change_lsn, change_ordinal) WHERE change_lsn IS NOT NULL;

ALTER TABLE warehouse.fact_purchase_order
    ADD COLUMN is_deleted boolean NOT NULL DEFAULT false,
    ADD COLUMN change_lsn bigint,
    ADD COLUMN change_ordinal int,
    ADD CONSTRAINT fact_purchase_order_change_position
        CHECK ((change_lsn IS NULL) = (change_ordinal IS NULL)),
    DROP CONSTRAINT fact_purchase_order_version;
CREATE UNIQUE INDEX fact_purchase_order_version ON warehouse.fact_purchase_order
    (purchase_order_id, last_updated_date, last_updated_time) WHERE change_lsn IS NULL;
CREATE UNIQUE INDEX fact_purchase_order_change ON warehouse.fact_purchase_order
    (purchase_order_id, change_lsn, change_ordinal) WHERE change_lsn IS NOT NULL;

ALTER TABLE warehouse.fact_payment
    ADD COLUMN is_deleted boolean NOT NULL DEFAULT false,
    ADD COLUMN change_lsn bigint,
    ADD COLUMN change_ordinal int,
    ADD CONSTRAINT fact_payment_change_position
        CHECK ((change_lsn IS NULL) = (change_ordinal IS NULL)),
    DROP CONSTRAINT fact_payment_version;
CREATE UNIQUE INDEX fact_payment_version ON warehouse.fact_payment
    (payment_id, last_updated_date, last_updated_time) WHERE change_lsn IS NULL;
CREATE UNIQUE INDEX fact_payment_change ON warehouse.fact_payment
    (payment_id, change_lsn, change_ordinal) WHERE change_lsn IS NOT NULL;
