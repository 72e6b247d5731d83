"""Credentials never leave the process in a message: the one rule for masking them in text.

Error messages are built from whatever a library says, and libraries quote their input: libpq
echoes a malformed connection URL whole, SDKs echo connection strings. Masking where messages
leave (the error line, every log line) catches all of them, including those we do not format
ourselves. What is masked: the password in a URL's user info, and the value of any key that
names a secret in key=value text (libpq conninfo, query strings, Azure connection strings).
"""

from __future__ import annotations

import re

MASK = "<redacted>"

# scheme://user:password@ — any scheme, including a misspelt one; the password runs to the last
# '@' before whitespace or a quote, so a password holding '@' or ':' is masked whole.
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/@:\s\"'\\]+:)[^\s\"'\\]*(?=@)",
                           re.IGNORECASE)
_SECRET_KEYS = ("password", "passwd", "pwd", "sslpassword", "secret", "token", "sig",
                "accountkey", "sharedaccesskey", "sharedaccesssignature", "client_secret")
_KEY_VALUE = re.compile(
    r"(?<![a-z0-9_])((?:" + "|".join(_SECRET_KEYS) + r")\s*=\s*)"
    r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&;,\"'\\]+)",
    re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with every credential it carries replaced by ``<redacted>``."""
    return _KEY_VALUE.sub(lambda m: m.group(1) + MASK, _URL_PASSWORD.sub(r"\g<1>" + MASK, text))
