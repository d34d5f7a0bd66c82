"""svcq: the 提升服務品質執行計畫 toolkit.

Domain core (no file I/O): ``toolkit.roc``, ``toolkit.text``, ``toolkit.problems``,
``toolkit.schedule``, ``toolkit.survey``, ``toolkit.score``.
I/O layer (the only code that touches Excel files): ``toolkit.io``.
Thin shells: ``toolkit.cli`` (the ``svcq`` command), ``toolkit.reports`` (notebooks → HTML).
"""

__version__ = "0.1.0"
