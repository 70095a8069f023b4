"""Tools that make the bundled data (``make data``); nothing in ``scr_lib`` imports them."""
