-- The star schema of WAREHOUSE.md. Facts are unique on (natural id, source last_updated) so a
-- version loaded twice adds nothing.
CREATE TABLE warehouse.dim_date (
    date_id date PRIMARY KEY,
    year int NOT NULL,
    month int NOT NULL,
    day int NOT NULL,
    day_of_week int NOT NULL,
    day_name varchar NOT NULL,
    month_name varchar NOT NULL,
    quarter int NOT NULL
);
CREATE TABLE warehouse.dim_staff (
    staff_id int PRIMARY KEY,
    first_name varchar, last_name varchar, department_name varchar, location varchar,
    email_address varchar
);
CREATE TABLE warehouse.dim_location (
    location_id int PRIMARY KEY,
    address_line_1 varchar, address_line_2 varchar, district varchar, city varchar,
    postal_code varchar, country varchar, phone varchar
);
CREATE TABLE warehouse.dim_design (
    design_id int PRIMARY KEY,
    design_name varchar, file_location varchar, file_name varchar
);
CREATE TABLE warehouse.dim_currency (
    currency_id int PRIMARY KEY,
    currency_code varchar(3), currency_name varchar
);
CREATE TABLE warehouse.dim_counterparty (
    counterparty_id int PRIMARY KEY,
    counterparty_legal_name varchar,
    counterparty_legal_address_line_1 varchar,
    counterparty_legal_address_line_2 varchar,
    counterparty_legal_district varchar,
    counterparty_legal_city varchar,
    counterparty_legal_postal_code varchar,
    counterparty_legal_country varchar,
    counterparty_legal_phone_number varchar
);
CREATE TABLE warehouse.dim_payment_type (
    payment_type_id int PRIMARY KEY,
    payment_type_name varchar
);
CREATE TABLE warehouse.dim_transaction (
    transaction_id int PRIMARY KEY,
    transaction_type varchar, sales_order_id int, purchase_order_id int
);
CREATE TABLE warehouse.fact_sales_order (
    sales_record_id serial PRIMARY KEY,
    sales_order_id int NOT NULL,
    created_date date, created_time time,
    last_updated_date date NOT NULL, last_updated_time time NOT NULL,
    sales_staff_id int, counterparty_id int, units_sold int, unit_price numeric(10, 2),
    currency_id int, design_id int, agreed_payment_date date, agreed_delivery_date date,
    agreed_delivery_location_id int,
    CONSTRAINT fact_sales_order_version UNIQUE (sales_order_id, last_updated_date,
                                                last_updated_time)
);
CREATE TABLE warehouse.fact_purchase_order (
    purchase_record_id serial PRIMARY KEY,
    purchase_order_id int NOT NULL,
    created_date date, created_time time,
    last_updated_date date NOT NULL, last_updated_time time NOT NULL,
    staff_id int, counterparty_id int, item_code varchar, item_quantity int,
    item_unit_price numeric(10, 2), currency_id int, agreed_delivery_date date,
    agreed_payment_date date, agreed_delivery_location_id int,
    CONSTRAINT fact_purchase_order_version UNIQUE (purchase_order_id, last_updated_date,
                                                   last_updated_time)
);
CREATE TABLE warehouse.fact_payment (
    payment_record_id serial PRIMARY KEY,
    payment_id int NOT NULL,
    created_date date, created_time time,
    last_updated_date date NOT NULL, last_updated_time time NOT NULL,
    transaction_id int, counterparty_id int, payment_amount numeric(10, 2), currency_id int,
    payment_type_id int, paid boolean, payment_date date,
    CONSTRAINT fact_payment_version UNIQUE (payment_id, last_updated_date, last_updated_time)
);
CREATE TABLE warehouse.agg_sales_daily (
    sale_date date NOT NULL, design_id int NOT NULL, country varchar NOT NULL,
    currency_code varchar(3) NOT NULL,
    orders int NOT NULL, units_sold bigint NOT NULL, revenue numeric(14, 2) NOT NULL,
    PRIMARY KEY (sale_date, design_id, country, currency_code)
);
CREATE TABLE warehouse.agg_purchases_monthly (
    month date NOT NULL, counterparty_id int NOT NULL, currency_code varchar(3) NOT NULL,
    orders int NOT NULL, item_quantity bigint NOT NULL, spend numeric(14, 2) NOT NULL,
    PRIMARY KEY (month, counterparty_id, currency_code)
);
CREATE TABLE warehouse.agg_payments_monthly (
    month date NOT NULL, payment_type_name varchar NOT NULL, paid boolean NOT NULL,
    currency_code varchar(3) NOT NULL, payments int NOT NULL, amount numeric(14, 2) NOT NULL,
    PRIMARY KEY (month, payment_type_name, paid, currency_code)
);
