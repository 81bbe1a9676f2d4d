"""The demo as data: the tables of names and figures the builders read (exempt from the module size limit)."""
