"""Shared sheet mechanics — each concept once, for every family.

* ``cells``    A1 references: column letters, cell refs, quoted sheet names
* ``width``    how wide text is on screen and in an Excel column (wcwidth), wrapped lines
* ``headers``  finding the header row of a table typed by hand
* ``table``    the Table protocol domain readers take (``toolkit.io.read.Table`` fits it)
* ``page``     A4 print setup for the workbooks svcq writes and the sheets it adds to others
* ``formats``  the house font and formats every workbook uses
* ``palette``  the colours of every chart, in workbooks and in the HTML reports

Pure (no file I/O): ``page`` and ``formats`` only call methods of the xlsxwriter objects
they are handed.
"""
