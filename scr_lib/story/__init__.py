"""Story: what the notebooks show and hand over (results, claims checked, report, numbers, ``scr draft``)."""
