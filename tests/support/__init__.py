"""Helpers the tests share; importable as ``support.<name>`` (pyproject puts tests/ on the path)."""
