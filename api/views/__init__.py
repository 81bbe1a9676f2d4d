"""The API's views, one module per resource, on the shared base of base.py.

organizations.py, members.py, values.py (periods and figures), dhis2.py (dataValueSets),
submissions.py and reports.py; each route is listed in api/urls.py and walked by
tests/api/test_api_walk.py.
"""
