from .rollup import Rollup

__all__ = ["Rollup"]
