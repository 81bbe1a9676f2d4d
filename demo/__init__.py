"""The demo and the benchmarks' data: builders that fill a database, kept out of the domain apps.

`load_demo` loads the demo of `make run` (organizations, members, programs, figures,
reports, each in its module here); `build_synthetic` builds the national benchmark
dataset (`synthetic`). The big tables of names and figures are in `data/`. This app sits
on top of the others: it imports them, and nothing outside it (tests and bench aside)
imports it.
"""
