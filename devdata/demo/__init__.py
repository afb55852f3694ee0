"""The demo data of `make run` (`seed_demo`): one municipality that reads like a real one.

`seed.py` is the recipe; each module builds one part of it.
"""
