"""Runner: ``scr run``'s plans, kernels, cache and publishing."""
