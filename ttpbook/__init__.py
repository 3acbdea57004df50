"""Helpers for the notebooks of the TTP data book.

The notebooks stay thin: loading and validating data (``ttpbook.data``), the chart theme
and chart builders (``ttpbook.charts``), the widget explorers (``ttpbook.widgets``) and the
Sphinx extension that keeps the site offline (``ttpbook.sphinx_offline``) live here, each
unit-tested under ``tests/``.
"""

__version__ = "0.1.0"
