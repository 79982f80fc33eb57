"""Importers: reading other people's data into visits, with records saved in bulk.

`records` holds the plain records and the writer that saves them; `hsg` reads the US Office
of the Historian's XML and `hsg_countries` maps its country ids to ours. The CSV format lives
in `visits.csvformat`, next to the export it mirrors.
"""
