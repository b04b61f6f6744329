"""r2pkg: the Responsibility to Protect knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

from .errors import R2pkgError

__all__ = ["R2pkgError", "__version__", "load"]

try:
    __version__ = version("r2pkg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"


def load(*args, **kwargs):
    """Open the knowledge graph; see `r2pkg.api.load`."""
    from .api import load as _load

    return _load(*args, **kwargs)
