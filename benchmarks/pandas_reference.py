"""The same transform written the straightforward pandas way, as the yardstick for the pipeline.

Raw Parquet (the committed batches of the raw zone) to the star schema and aggregates of
shared/WAREHOUSE.md, for the newest batch: read every file with ``pd.read_parquet``, remove
overlap duplicates with ``drop_duplicates``, apply the quarantine rules in the pipeline's order
with boolean masks, check references with ``merge``, and build dimensions, facts and aggregates
with ``merge`` and ``groupby``. It is what a competent analyst would write, not tuned and not
deliberately slow. Money is handled as float64 and rounded to cents at the end, the usual
pandas habit; ``compare`` checks it to the cent against the pipeline's exact decimals.

The reference covers the PostgreSQL source's raw files (typed columns, dates as text), which is
what the benchmark ingests; it does not re-implement every spelling an export may use, nor the
change stream's deletes and commit positions (with the watermark source every row is live).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import iso4217
import numpy as np
import pandas as pd

from pipeline.transform.contract import DATE, MONEY, TABLES, SourceTable
from pipeline.transform.outputs import OUTPUT_TABLES

_DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_US_PER_DAY = 86_400_000_000


def _path(uri: str) -> str:
    return unquote(urlparse(uri).path) if uri.startswith("file://") else uri


def read_raw(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], str]:
    """Every committed batch's rows per table, in batch order; and the newest batch id."""
    manifests = [json.loads(p.read_text()) for p in (raw_dir / "_batches").glob("*.json")]
    manifests.sort(key=lambda m: m["batch_id"])
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        parts = []
        for m in manifests:
            for uri in m["tables"].get(table.name, {}).get("files", []):
                part = pd.read_parquet(_path(uri))
                part["_batch_id"] = m["batch_id"]
                parts.append(part)
        columns = [c.name for c in table.all_columns]
        df = (pd.concat(parts, ignore_index=True) if parts
              else pd.DataFrame(columns=[*columns, "_batch_id"]))
        df["_seq"] = np.arange(len(df))
        frames[table.name] = df
    return frames, manifests[-1]["batch_id"]


def _check(table: SourceTable, df: pd.DataFrame,
           valid: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Type the dates and money, then label each row with the first rule it breaks."""
    rule = pd.Series(None, index=df.index, dtype=object)

    def flag(name: str, mask: pd.Series) -> None:
        rule[mask & rule.isna()] = name

    flag("invalid_key", df[table.key].isna() | df["last_updated"].isna())
    for c in table.columns:
        if c.type == DATE:
            text = df[c.name]
            df[c.name] = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
            flag("invalid_date", text.notna() & (text.str.strip() != "") & df[c.name].isna())
        elif c.type == MONEY:
            df[c.name] = df[c.name].astype("float64")
    for c in table.columns:
        if c.max_length is not None:
            flag("invalid_value", df[c.name].str.len() > c.max_length)
    for c in (*table.columns, table.audit[0]):
        if not c.nullable:
            flag("missing_value", df[c.name].isna())
    for c in table.columns:
        if c.non_negative:
            flag("negative_value", df[c.name] < 0)
    for c in table.columns:
        if c.references:
            parent = valid[c.references]
            known = df[[c.name, "_batch_id"]].merge(
                parent, how="left", left_on=c.name, right_index=True)
            flag("unknown_reference", df[c.name].notna() & (
                known["valid_from"].isna() | (known["valid_from"] > known["_batch_id"])
            ).to_numpy())
    df["_rule"] = rule
    return df


def check_all(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table de-duplicated and checked, parents first; ``valid`` holds, per id, the
    first batch in which it had a valid version."""
    valid: dict[str, pd.DataFrame] = {}
    checked: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        df = frames[table.name].drop_duplicates([table.key, "last_updated"], keep="first")
        df = _check(table, df.copy(), valid)
        checked[table.name] = df
        ok = df[df["_rule"].isna()]
        valid[table.name] = ok.groupby(table.key)["_batch_id"].min().to_frame("valid_from")
    return checked


def _current(table: SourceTable, df: pd.DataFrame) -> pd.DataFrame:
    ok = df[df["_rule"].isna()]
    ok = ok.sort_values([table.key, "last_updated", "_batch_id", "_seq"])
    return ok.drop_duplicates(table.key, keep="last")


def _time_us(ts: pd.Series) -> pd.Series:
    return (ts - ts.dt.normalize()) // pd.Timedelta(microseconds=1)


def _fact(df: pd.DataFrame, batch: str, key: str, columns: list[str],
          renames: dict[str, str] | None = None) -> pd.DataFrame:
    f = df[df["_rule"].isna() & (df["_batch_id"] == batch)]
    out = pd.DataFrame({key: f[key]})
    out["created_date"] = f["created_at"].dt.normalize()
    out["created_time"] = _time_us(f["created_at"])
    out["last_updated_date"] = f["last_updated"].dt.normalize()
    out["last_updated_time"] = _time_us(f["last_updated"])
    for c in columns:
        out[(renames or {}).get(c, c)] = f[c]
    return out


def _dim_date(checked: dict[str, pd.DataFrame]) -> pd.DataFrame:
    dates = []
    for name, cols in (("sales_order", ["agreed_delivery_date", "agreed_payment_date"]),
                       ("purchase_order", ["agreed_delivery_date", "agreed_payment_date"]),
                       ("payment", ["payment_date"])):
        ok = checked[name][checked[name]["_rule"].isna()]
        dates += [ok["created_at"].dt.normalize(), ok["last_updated"].dt.normalize()]
        dates += [ok[c] for c in cols]
    d = pd.Series(pd.concat(dates).dropna().unique()).sort_values()
    return pd.DataFrame({
        "date_id": d, "year": d.dt.year, "month": d.dt.month, "day": d.dt.day,
        "day_of_week": d.dt.day_of_week + 1,
        "day_name": d.dt.day_of_week.map(dict(enumerate(_DAY_NAMES))),
        "month_name": d.dt.month.map(dict(enumerate(_MONTH_NAMES, 1))),
        "quarter": d.dt.quarter})


def build_outputs(checked: dict[str, pd.DataFrame], batch: str) -> dict[str, pd.DataFrame]:
    """The 14 output tables of the newest batch."""
    by_name = {t.name: t for t in TABLES}
    cur = {t.name: _current(t, checked[t.name]) for t in TABLES}
    names = pd.DataFrame([(c.code, c.currency_name) for c in iso4217.Currency],
                         columns=["code", "currency_name"])
    address = cur["address"]
    out: dict[str, pd.DataFrame] = {}
    out["dim_date"] = _dim_date(checked)
    out["dim_staff"] = cur["staff"].merge(cur["department"], how="left", on="department_id")[
        ["staff_id", "first_name", "last_name", "department_name", "location", "email_address"]]
    out["dim_location"] = address.rename(columns={"address_id": "location_id"})[
        ["location_id", "address_line_1", "address_line_2", "district", "city", "postal_code",
         "country", "phone"]]
    out["dim_design"] = cur["design"][["design_id", "design_name", "file_location", "file_name"]]
    currency = cur["currency"].assign(code=cur["currency"]["currency_code"].str.strip().str.upper())
    out["dim_currency"] = currency.merge(names, how="left", on="code")[
        ["currency_id", "currency_code", "currency_name"]]
    legal = address.add_prefix("counterparty_legal_").rename(columns={
        "counterparty_legal_address_id": "legal_address_id",
        "counterparty_legal_phone": "counterparty_legal_phone_number"})
    out["dim_counterparty"] = cur["counterparty"].merge(legal, how="left", on="legal_address_id")[
        ["counterparty_id", "counterparty_legal_name", "counterparty_legal_address_line_1",
         "counterparty_legal_address_line_2", "counterparty_legal_district",
         "counterparty_legal_city", "counterparty_legal_postal_code",
         "counterparty_legal_country", "counterparty_legal_phone_number"]]
    out["dim_payment_type"] = cur["payment_type"][["payment_type_id", "payment_type_name"]]
    out["dim_transaction"] = cur["transaction"][
        ["transaction_id", "transaction_type", "sales_order_id", "purchase_order_id"]]
    rest = {t: [c.name for c in by_name[t].columns] for t in ("sales_order", "purchase_order",
                                                            "payment")}
    out["fact_sales_order"] = _fact(checked["sales_order"], batch, "sales_order_id",
                                    rest["sales_order"], {"staff_id": "sales_staff_id"})
    out["fact_purchase_order"] = _fact(checked["purchase_order"], batch, "purchase_order_id",
                                       rest["purchase_order"])
    out["fact_payment"] = _fact(checked["payment"], batch, "payment_id",
                                [c for c in rest["payment"] if not c.endswith("ac_number")])
    out.update(_aggregates(cur))
    return _liveness(out)


def _liveness(out: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The watermark source sees no deletes and no change positions: every dimension and fact
    row is live, and no fact version has a commit position (WAREHOUSE.md)."""
    for name, df in out.items():
        if name.startswith(("dim_", "fact_")):
            df = df.assign(is_deleted=False)
        if name.startswith("fact_"):
            df = df.assign(change_lsn=pd.array([None] * len(df), dtype="Int64"),
                           change_ordinal=pd.array([None] * len(df), dtype="Int32"))
        out[name] = df
    return out


def _aggregates(cur: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    currency = cur["currency"][["currency_id", "currency_code"]]
    sales = cur["sales_order"].merge(
        cur["address"][["address_id", "country"]], left_on="agreed_delivery_location_id",
        right_on="address_id").merge(currency, on="currency_id")
    sales["sale_date"] = sales["created_at"].dt.normalize()
    sales["revenue"] = sales["units_sold"] * sales["unit_price"]
    daily = sales.groupby(["sale_date", "design_id", "country", "currency_code"], dropna=False)
    purchases = cur["purchase_order"].merge(currency, on="currency_id")
    purchases["month"] = purchases["created_at"].dt.to_period("M").dt.to_timestamp()
    purchases["spend"] = purchases["item_quantity"] * purchases["item_unit_price"]
    monthly = purchases.groupby(["month", "counterparty_id", "currency_code"], dropna=False)
    payments = cur["payment"].merge(
        cur["payment_type"][["payment_type_id", "payment_type_name"]], on="payment_type_id"
    ).merge(currency, on="currency_id")
    payments["month"] = payments["payment_date"].dt.to_period("M").dt.to_timestamp()
    paid = payments.groupby(["month", "payment_type_name", "paid", "currency_code"],
                            dropna=False)
    return {
        "agg_sales_daily": daily.agg(orders=("sales_order_id", "size"),
                                     units_sold=("units_sold", "sum"),
                                     revenue=("revenue", "sum")).round(2).reset_index(),
        "agg_purchases_monthly": monthly.agg(orders=("purchase_order_id", "size"),
                                             item_quantity=("item_quantity", "sum"),
                                             spend=("spend", "sum")).round(2).reset_index(),
        "agg_payments_monthly": paid.agg(payments=("payment_id", "size"),
                                         amount=("payment_amount", "sum")).round(2)
        .reset_index(),
    }


def run(raw_dir: Path, out_dir: Path) -> dict[str, object]:
    """Transform the raw zone under ``raw_dir``; one Parquet file per output table."""
    frames, batch = read_raw(raw_dir)
    rows_read = sum(len(f) for f in frames.values())
    outputs = build_outputs(check_all(frames), batch)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_TABLES:
        outputs[name].to_parquet(out_dir / f"{name}.parquet", index=False)
    return {"rows_read": rows_read, "batch_id": batch,
            "outputs": {n: len(outputs[n]) for n in OUTPUT_TABLES}}
