"""The compose stage's engines, one file each (see melodify.engines for the table that names them)."""
