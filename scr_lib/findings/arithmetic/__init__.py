"""The arithmetic of each finding, one module per finding; the declarations are in the package above."""
