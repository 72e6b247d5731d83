"""The synthetic source: deterministic, plausible, referentially sound, all 11 tables."""

from __future__ import annotations

import iso4217
import psycopg
import pyarrow as pa

from pipeline.source import generator
from pipeline.source.mutate import insert_rule_breakers, mutate
from pipeline.source.tables import BY_NAME, TABLE_NAMES


def _dump(url: str) -> dict[str, list[tuple]]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in TABLE_NAMES}


def test_same_seed_same_rows(make_database):
    a, b, c = make_database(), make_database(), make_database()
    for url, seed in ((a, 11), (b, 11), (c, 12)):
        with psycopg.connect(url) as conn:
            generator.generate(conn, seed=seed, orders=250)
    assert _dump(a) == _dump(b)
    assert _dump(a)["sales_order"] != _dump(c)["sales_order"]


def test_generated_tables_are_deterministic_in_arrow_across_chunks(monkeypatch):
    monkeypatch.setattr(generator, "CHUNK_ORDERS", 100)
    first = list(generator.generate_tables(3, 250))
    again = list(generator.generate_tables(3, 250))
    assert len(first) == 4  # reference tables + 3 order chunks
    for x, y in zip(first, again, strict=True):
        assert x.keys() == y.keys()
        for name in x:
            assert x[name].equals(y[name])
    orders = pa.concat_tables([g["sales_order"] for g in first[1:]])
    assert orders.column("sales_order_id").to_pylist() == list(range(1, 251))


def test_all_tables_in_proportion(source_url):
    with psycopg.connect(source_url) as conn:
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in TABLE_NAMES}
    assert set(counts) == set(TABLE_NAMES)
    assert counts["sales_order"] == 300
    assert counts["purchase_order"] == 150
    assert counts["transaction"] == counts["sales_order"] + counts["purchase_order"]
    assert counts["payment"] == counts["transaction"]
    assert all(n > 0 for n in counts.values())


def test_referential_integrity(source_url):
    checks = {
        "sales_order.design_id": "SELECT count(*) FROM sales_order s "
        "LEFT JOIN design d USING (design_id) WHERE d.design_id IS NULL",
        "sales_order.staff_id": "SELECT count(*) FROM sales_order s "
        "LEFT JOIN staff d USING (staff_id) WHERE d.staff_id IS NULL",
        "sales_order.location": "SELECT count(*) FROM sales_order s LEFT JOIN address a "
        "ON a.address_id = s.agreed_delivery_location_id WHERE a.address_id IS NULL",
        "purchase_order.counterparty_id": "SELECT count(*) FROM purchase_order p "
        "LEFT JOIN counterparty c USING (counterparty_id) WHERE c.counterparty_id IS NULL",
        "counterparty.legal_address_id": "SELECT count(*) FROM counterparty c LEFT JOIN address a"
        " ON a.address_id = c.legal_address_id WHERE a.address_id IS NULL",
        "staff.department_id": "SELECT count(*) FROM staff s "
        "LEFT JOIN department d USING (department_id) WHERE d.department_id IS NULL",
        "transaction.order": "SELECT count(*) FROM transaction t "
        "LEFT JOIN sales_order s USING (sales_order_id) "
        "LEFT JOIN purchase_order p USING (purchase_order_id) "
        "WHERE s.sales_order_id IS NULL AND p.purchase_order_id IS NULL",
        "transaction.one_order": "SELECT count(*) FROM transaction WHERE "
        "(sales_order_id IS NULL) = (purchase_order_id IS NULL)",
        "payment.transaction_id": "SELECT count(*) FROM payment p "
        "LEFT JOIN transaction t USING (transaction_id) WHERE t.transaction_id IS NULL",
        "payment.currency_id": "SELECT count(*) FROM payment p "
        "LEFT JOIN currency c USING (currency_id) WHERE c.currency_id IS NULL",
        "payment.type_matches": "SELECT count(*) FROM payment p JOIN transaction t "
        "USING (transaction_id) JOIN payment_type pt USING (payment_type_id) WHERE "
        "(t.transaction_type = 'SALE') <> (pt.payment_type_name LIKE 'SALES_%')",
        "last_updated >= created_at": "SELECT count(*) FROM sales_order "
        "WHERE last_updated < created_at",
    }
    with psycopg.connect(source_url) as conn:
        broken = {name: conn.execute(q).fetchone()[0] for name, q in checks.items()}
    assert broken == dict.fromkeys(checks, 0)


def test_values_are_plausible(source_url):
    with psycopg.connect(source_url) as conn:
        codes = [r[0] for r in conn.execute("SELECT currency_code FROM currency")]
        types = {r[0] for r in conn.execute("SELECT payment_type_name FROM payment_type")}
        bad_dates = conn.execute(
            "SELECT count(*) FROM sales_order "
            "WHERE agreed_delivery_date !~ '^\\d{4}-\\d{2}-\\d{2}$'"
            " OR agreed_delivery_date::date < created_at::date").fetchone()[0]
        negatives = conn.execute(
            "SELECT count(*) FROM sales_order WHERE units_sold <= 0 OR unit_price <= 0").fetchone()
        amounts = conn.execute(
            "SELECT count(*) FROM payment p JOIN transaction t USING (transaction_id) "
            "JOIN sales_order s USING (sales_order_id) "
            "WHERE p.payment_amount <> s.units_sold * s.unit_price").fetchone()[0]
        countries = {r[0] for r in conn.execute("SELECT DISTINCT country FROM address")}
    assert codes and all(iso4217.Currency(c) for c in codes)
    assert {"GBP", "USD", "EUR"} <= set(codes)
    assert types == {"SALES_RECEIPT", "SALES_REFUND", "PURCHASE_PAYMENT", "PURCHASE_REFUND"}
    assert bad_dates == 0 and negatives == (0,) and amounts == 0
    assert "United Kingdom" in countries and len(countries) > 3


def test_mutate_moves_last_updated_forward_and_adds_orders(source_url):
    with psycopg.connect(source_url) as conn:
        before_max = conn.execute("SELECT max(last_updated) FROM sales_order").fetchone()[0]
        before = dict(conn.execute("SELECT sales_order_id, units_sold FROM sales_order"))
        changed = mutate(conn, seed=7, update_fraction=0.1, new_orders=20)
        after = dict(conn.execute("SELECT sales_order_id, units_sold FROM sales_order"))
        newer = conn.execute("SELECT count(*) FROM sales_order WHERE last_updated > %s",
                             (before_max,)).fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM payment p LEFT JOIN transaction t "
                               "USING (transaction_id) WHERE t.transaction_id IS NULL").fetchone()
    assert len(after) == len(before) + 20
    assert newer == changed["sales_order"] == 30 + 20
    assert sum(before[k] != after[k] for k in before) > 0
    assert changed["payment"] > 0 and changed["transaction"] == 30
    assert orphans == (0,)


def test_rule_breakers_are_opt_in_and_break_the_rules(source_url):
    with psycopg.connect(source_url) as conn:
        added = insert_rule_breakers(conn)
        bad = conn.execute(
            "SELECT count(*) FROM sales_order WHERE units_sold < 0 OR design_id NOT IN "
            "(SELECT design_id FROM design) OR agreed_delivery_date = '2024-02-30'").fetchone()
        orphan = conn.execute("SELECT count(*) FROM payment WHERE transaction_id NOT IN "
                              "(SELECT transaction_id FROM transaction)").fetchone()
    assert added == {"sales_order": 3, "purchase_order": 1, "payment": 1}
    assert bad == (3,) and orphan == (1,)


def test_contract_matches_schema(source_url):
    with psycopg.connect(source_url) as conn:
        for table in TABLE_NAMES:
            cols = [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position", (table,))]
            assert cols == BY_NAME[table].column_names
