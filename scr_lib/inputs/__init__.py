"""Inputs: reading and checking what a run is given (params, FOI returns, values, PCT names, claims ledger)."""
