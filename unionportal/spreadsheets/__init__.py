"""Reading and writing the portal's Excel files (.xlsx): import templates, exports, and their checks.

`reader` opens an uploaded file (python-calamine, fast) and checks its first row; `cells`
parses one cell into a Python value or a clear error; `errors` holds what a user is told
about a row; `writer` builds templates and exports (openpyxl); `spec` describes the columns
of a kind of file and what an importer gives back. The importers themselves live in their
apps (organizations/importers.py, members/importers.py).
"""
