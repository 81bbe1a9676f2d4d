"""The data-entry grid as an Excel file: download it, fill it in, upload it back (all or nothing).

layout.py: the columns and rows; download.py: the file; upload.py: reading one back.


The workbook's first sheet is the grid of one organization for one period:

* row 1: ``Mã CĐCS | Tên CĐCS | <one column per figure, headed by its short name>``;
* row 2 (hidden): ``Mã chỉ tiêu | … | <the figure's code>`` — how an upload knows which
  column is which figure; an upload whose codes differ from the grid's is refused whole;
* one row per base union of the grid, then (for an upper-level union) one row for the
  union itself, holding its own figures in the columns on the right. Cells whose figure
  does not apply to the row's body are greyed out and must stay empty.

The second sheet, "Hướng dẫn", says how to fill it in (unionportal/spreadsheets/writer.py).

An upload is checked cell by cell (rules.parse_value) and row by row (the cross-field
rules, against the file's values of the same row, falling back to the saved ones); any
error means nothing is written. Otherwise the changed cells are written in one
transaction. An empty cell clears a saved value (as emptying a grid cell does) and leaves
an empty one alone; uploading the same file twice changes nothing the second time.
"""

from .download import write_grid
from .layout import Layout, layout_for
from .upload import Upload, file_error, import_grid

__all__ = ["Layout", "Upload", "file_error", "import_grid", "layout_for", "write_grid"]
