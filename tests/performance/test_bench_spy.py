"""bench/spy.py's summary of py-spy's collapsed stacks (the sampling itself needs a
running server and the right to trace it: see docs/PERFORMANCE.md)."""

from bench.spy import summary


def test_shares_count_a_function_once_per_stack_and_split_below_a_pattern(tmp_path, capsys):
    raw = tmp_path / "stacks.txt"
    raw.write_text(
        "loop (gunicorn/sync.py:1);view (catalog/views.py:5);query (orm.py:9);query (orm.py:9) 6\n"
        "loop (gunicorn/sync.py:1);view (catalog/views.py:5);render (t.py:3) 3\n"
        "loop (gunicorn/sync.py:1);parse (gunicorn/http.py:2) 1\n"
    )
    summary(raw, top=10, under=r"^view", depth=1)
    out = capsys.readouterr().out
    assert "10 samples" in out
    assert " 90.0%  view (catalog/views.py:5)" in out
    assert " 60.0%  query (orm.py:9)" in out  # a recursive frame counts once per stack
    assert "loop (gunicorn" not in out.split("Below")[0]  # the worker's loop: 100 %, left out
    below = out.split("Below")[1]
    assert " 60.0%  query (orm.py:9)" in below and " 30.0%  render (t.py:3)" in below


def test_no_bench_script_hides_a_standard_module():
    """`python bench/x.py` puts bench/ first on the path: a bench/profile.py hid the standard
    library's profile module from cProfile (bench/costs.py --top)."""
    import sys
    from pathlib import Path

    scripts = {p.stem for p in (Path(__file__).parents[2] / "bench").glob("*.py")}
    assert not scripts & set(sys.stdlib_module_names)
