"""National-scale data for the benchmarks (`seed_scale`, `make bench`), inserted in bulk.

`seed.py` is the recipe; each module builds one part of it.
"""
