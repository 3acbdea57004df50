"""Build tooling for the book: none of it is needed to run the notebooks, and none of it goes
into the notebook packs.

* ``notebooks``: ``make execute``, which re-runs every notebook in place with stable outputs;
* ``editions``: ``make student``, the same book with every solution removed;
* ``sphinx_offline``: the Sphinx extension that serves the chart and widget runtimes from the
  site itself and draws each chart there;
* ``sphinx_theme``: the Sphinx extension that repairs the theme's pages (page template, favicon,
  deferred scripts, descriptions, the redirect page, the icon font); its markup is in
  ``ttpbook/templates/``;
* ``packs``: ``make_pack()`` and ``make packs``, a zip of the notebooks, ``data/`` and the helper
  package that runs outside a clone of the repository;
* ``sphinx_packs``: the Sphinx extension that puts the pack in the site, links it from every
  notebook page, and turns on the launch buttons when the repository's address is given;
* ``bootstrap_cell`` and ``bootstrap``: the first cell of every notebook, which installs what a
  notebook opened on its own (Colab, a JupyterHub) needs, and the command that writes it.
* ``chart_cards``: what the data card under each chart in the site holds (its tables, sources
  and citation), written beside the chart by ``ttpbook.build.sphinx_offline`` and shown by
  ``static/chart-card.js``.
"""
