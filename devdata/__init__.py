"""Development data: the demo (`seed_demo`) and the national-scale benchmark data (`seed_scale`).

The top layer: it may import every app, and no app (nor `portal`) imports it.
"""
