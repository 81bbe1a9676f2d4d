"""What every workbook the portal writes says about itself: its title and the body that issues it.

Excel shows both under File › Info (Title, Author), and they travel with a file mailed up the
hierarchy; openpyxl's own default author ("openpyxl") never does.
"""

from __future__ import annotations

from openpyxl import Workbook

# The longest title and author Excel keeps in the document's properties.
LONGEST = 255
PORTAL = "UnionPortal"


def describe(workbook: Workbook, *, title: str, author: str) -> None:
    """Set the title and the author (the issuing body) of `workbook`; the portal's name when no body is known."""
    author = " ".join(str(author).split())[:LONGEST] or PORTAL
    workbook.properties.title = " ".join(str(title).split())[:LONGEST]
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
