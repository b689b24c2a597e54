"""The ``rmtsym`` command line: ``rmtsym.cli.main.main`` is the entry point."""
