"""The I/O layer: the only package that opens files and uses the Excel libraries.

The input gate (``sniff``, ``guards``, ``limits``, ``read``), output (``atomic``, ``xlsx``,
``tables``, ``libreoffice``, ``ods``) and the lossless patch engine (``patch*``). Import the
module you need (``from toolkit.io.read import open_workbook``): the package itself loads
nothing, so a command that never reads a workbook does not pay for numpy and calamine.
"""
