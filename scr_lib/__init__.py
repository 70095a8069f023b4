"""scr_lib: the shared machinery behind the Summary Care Record notebooks.

Notebooks narrate; this package loads, validates and computes. Each module is
one idea; functions return new objects and never change their inputs.
"""

__version__ = "0.1.0"
