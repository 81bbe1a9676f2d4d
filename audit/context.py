"""Moved to unionportal.acting: the core sets who is acting, and every app may use it.

Kept only for the synthetic builder (reports/synthetic.py) until it moves to the demo app;
delete this module then.
"""

from unionportal.acting import acting, paused

__all__ = ["acting", "paused"]
