-- The OLTP source ("totesys" shape) of shared/WAREHOUSE.md: 11 tables in schema public.
-- There are deliberately no foreign keys: the real source is not trusted to be consistent, and
-- the demo must be able to insert a reference to an id that never existed so the quarantine
-- has something to catch. Every table carries created_at and last_updated; ingest is
-- incremental on last_updated, so the seeder indexes it once the bulk load is done.

CREATE TABLE currency (
    currency_id   int PRIMARY KEY,
    currency_code varchar(3) NOT NULL,
    created_at    timestamp NOT NULL,
    last_updated  timestamp NOT NULL
);

CREATE TABLE payment_type (
    payment_type_id   int PRIMARY KEY,
    payment_type_name varchar NOT NULL,
    created_at        timestamp NOT NULL,
    last_updated      timestamp NOT NULL
);

CREATE TABLE department (
    department_id   int PRIMARY KEY,
    department_name varchar NOT NULL,
    location        varchar,
    manager         varchar,
    created_at      timestamp NOT NULL,
    last_updated    timestamp NOT NULL
);

CREATE TABLE staff (
    staff_id      int PRIMARY KEY,
    first_name    varchar NOT NULL,
    last_name     varchar NOT NULL,
    department_id int NOT NULL,
    email_address varchar NOT NULL,
    created_at    timestamp NOT NULL,
    last_updated  timestamp NOT NULL
);

CREATE TABLE address (
    address_id     int PRIMARY KEY,
    address_line_1 varchar NOT NULL,
    address_line_2 varchar,
    district       varchar,
    city           varchar NOT NULL,
    postal_code    varchar NOT NULL,
    country        varchar NOT NULL,
    phone          varchar NOT NULL,
    created_at     timestamp NOT NULL,
    last_updated   timestamp NOT NULL
);

CREATE TABLE counterparty (
    counterparty_id         int PRIMARY KEY,
    counterparty_legal_name varchar NOT NULL,
    legal_address_id        int NOT NULL,
    commercial_contact      varchar,
    delivery_contact        varchar,
    created_at              timestamp NOT NULL,
    last_updated            timestamp NOT NULL
);

CREATE TABLE design (
    design_id     int PRIMARY KEY,
    design_name   varchar NOT NULL,
    file_location varchar NOT NULL,
    file_name     varchar NOT NULL,
    created_at    timestamp NOT NULL,
    last_updated  timestamp NOT NULL
);

CREATE TABLE sales_order (
    sales_order_id              int PRIMARY KEY,
    design_id                   int NOT NULL,
    staff_id                    int NOT NULL,
    counterparty_id             int NOT NULL,
    units_sold                  int NOT NULL,
    unit_price                  numeric(10, 2) NOT NULL,
    currency_id                 int NOT NULL,
    agreed_delivery_date        varchar NOT NULL,
    agreed_payment_date         varchar NOT NULL,
    agreed_delivery_location_id int NOT NULL,
    created_at                  timestamp NOT NULL,
    last_updated                timestamp NOT NULL
);

CREATE TABLE purchase_order (
    purchase_order_id           int PRIMARY KEY,
    staff_id                    int NOT NULL,
    counterparty_id             int NOT NULL,
    item_code                   varchar NOT NULL,
    item_quantity               int NOT NULL,
    item_unit_price             numeric(10, 2) NOT NULL,
    currency_id                 int NOT NULL,
    agreed_delivery_date        varchar NOT NULL,
    agreed_payment_date         varchar NOT NULL,
    agreed_delivery_location_id int NOT NULL,
    created_at                  timestamp NOT NULL,
    last_updated                timestamp NOT NULL
);

CREATE TABLE "transaction" (
    transaction_id    int PRIMARY KEY,
    transaction_type  varchar NOT NULL,
    sales_order_id    int,
    purchase_order_id int,
    created_at        timestamp NOT NULL,
    last_updated      timestamp NOT NULL
);

CREATE TABLE payment (
    payment_id             int PRIMARY KEY,
    transaction_id         int NOT NULL,
    counterparty_id        int NOT NULL,
    payment_amount         numeric(10, 2) NOT NULL,
    currency_id            int NOT NULL,
    payment_type_id        int NOT NULL,
    paid                   boolean NOT NULL,
    payment_date           varchar NOT NULL,
    company_ac_number      int NOT NULL,
    counterparty_ac_number int NOT NULL,
    created_at             timestamp NOT NULL,
    last_updated           timestamp NOT NULL
);
