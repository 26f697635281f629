"""Tests in real headless Chromium. A package, so that its conftest.py and the one in tests/
are not both imported as the module "conftest" (they clash under --doctest-modules)."""
