"""The dimension rows a batch may have changed: ids with a new latest version, and ids whose
joined parent has one (a staff member whose department was renamed)."""

from __future__ import annotations

import re

from pipeline.transform import outputs
from pipeline.transform.contract import TABLES_BY_NAME
from pipeline.transform.engine import sql_file


def changed_rows_sql(name: str, first: bool = False) -> str:
    """The dimension's rows for the ids whose values may have changed in this batch; on the
    ``first`` batch (no state before it) that is every row, so no id is looked up."""
    if name not in outputs.DIMENSION_SOURCES or first:
        return sql_file(name)  # dim_date: already only the dates this batch's facts use
    key, own, sources = outputs.DIMENSION_SOURCES[name]
    if sources == ((own, None),):  # its own table only: the changed rows are the new versions
        return _renamed(sql_file(name), f"current_{own}", f"changed_{own}")
    own_key = TABLES_BY_NAME[own].key
    ids = []
    for source, column in sources:
        source_key = TABLES_BY_NAME[source].key
        if column is None:
            ids.append(f"SELECT {own_key} FROM changed_{own}")
        else:
            ids.append(f"SELECT {own_key} FROM current_{own} WHERE {column} IN "
                       f"(SELECT {source_key} FROM changed_{source})")
    return (f"SELECT * FROM ({sql_file(name)}) AS d WHERE d.{key} IN "
            f"({' UNION '.join(ids)}) ORDER BY d.{key}")


def _renamed(sql: str, relation: str, to: str) -> str:
    return re.sub(rf"\b{relation}\b", to, sql)
