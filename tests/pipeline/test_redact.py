"""The masking rule, on the shapes credentials take in real messages, and as a property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.redact import MASK, redact


@pytest.mark.parametrize(("text", "expected"), [
    ('missing "=" after "postgresq://etl:hunter2@localhost/sales" in connection info string',
     f'missing "=" after "postgresq://etl:{MASK}@localhost/sales" in connection info string'),
    ("postgresql://etl:p%40ss:w0rd@db:5432/sales?sslmode=require",
     f"postgresql://etl:{MASK}@db:5432/sales?sslmode=require"),
    ("host=db user=etl password=hunter2 dbname=sales",
     f"host=db user=etl password={MASK} dbname=sales"),
    ("host=db password='hunter 2' dbname=sales", f"host=db password={MASK} dbname=sales"),
    ("https://acct.blob.core.windows.net/c?sv=2024&sig=abc%2Fdef&se=x",
     f"https://acct.blob.core.windows.net/c?sv=2024&sig={MASK}&se=x"),
    ("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFy==;",
     f"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={MASK};"),
    ('{"error":"cannot use postgresql://u:s3cr3t@h/db"}', f'{{"error":"cannot use postgresql://u:{MASK}@h/db"}}'),
    # Nothing to mask: a URL without a password, a key that only ends like a secret one.
    ("postgresql://etl@db/sales", "postgresql://etl@db/sales"),
    ("s3://bucket/raw/_batches/b1.json", "s3://bucket/raw/_batches/b1.json"),
    ("design_password_hint=none", "design_password_hint=none"),
])
def test_known_shapes(text: str, expected: str) -> None:
    assert redact(text) == expected


_secret = st.text(st.characters(codec="ascii", categories=("L", "N"),
                                include_characters="!%*+-._~"),
                  min_size=6, max_size=30).map(lambda s: f"Zq{s}")


@given(secret=_secret, user=st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
       scheme=st.sampled_from(["postgresql", "postgres", "postgresq", "s3", "https"]),
       before=st.sampled_from(["", "cannot connect: ", 'after "']),
       after=st.sampled_from(["", " in connection info string", '"', "\n"]))
def test_no_url_password_survives(secret: str, user: str, scheme: str, before: str,
                                  after: str) -> None:
    text = f"{before}{scheme}://{user}:{secret}@db.internal:5432/sales{after}"
    masked = redact(text)
    assert secret not in masked
    assert masked == f"{before}{scheme}://{user}:{MASK}@db.internal:5432/sales{after}"


@given(secret=_secret, key=st.sampled_from(["password", "PASSWORD", "sig", "AccountKey"]),
       quote=st.sampled_from(["", "'"]))
def test_no_key_value_secret_survives(secret: str, key: str, quote: str) -> None:
    masked = redact(f"host=db {key}={quote}{secret}{quote} dbname=sales")
    assert secret not in masked
    assert masked == f"host=db {key}={MASK} dbname=sales"
