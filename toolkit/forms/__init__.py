"""Filling an office's own forms: ``{{ 路徑 }}`` placeholders (placeholders.py, pure) and the
workbook side (sheets.py: scan through the input gate, write through the patch writer)."""
