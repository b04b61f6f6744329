"""r2pkg: the Responsibility to Protect knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("r2pkg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
