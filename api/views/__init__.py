"""The API's views, one module per resource, on the shared base of base.py.

Coming next (issue 15, later steps): periods and data values, dataValueSets, submissions and
reports, each in its own module here (views/data_values.py, views/data_value_sets.py,
views/submissions.py, views/reports.py), listed in api/urls.py and in tests/api/test_api_walk.py.
"""
