"""Versioned warehouse migrations, NNNN_name.sql (a package so the wheel ships them)."""
