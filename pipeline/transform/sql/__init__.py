"""SQL of the transform, one file per output relation (a package so the wheel ships it)."""
