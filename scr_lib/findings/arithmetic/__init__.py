"""The arithmetic of each finding, one module per finding; the declarations are in the package above."""


def chart_names(codes, illustrative) -> list[str]:
    """The names a chart prints for its rows, in order: a PCT's display name ("NHS Lincolnshire", the name its
    area page and the article use), or, for a row whose figures were generated (``illustrative`` True),
    "Area N, illustrative" (N counting those rows in order): a chart never prints a generated value beside a
    real body's name. ``codes`` are the rows' ODS codes; a value that is not one (a name) is shown as given."""
    from ...inputs import reference
    from .areas import names

    shown = dict(zip(*(lambda t: (t["ods_code"], t["display_name"]))(names(reference.load_pcts()))))
    out, n = [], 0
    for code, made_up in zip(codes, illustrative):
        if bool(made_up):
            n += 1
            out.append(f"Area {n}, illustrative")
        else:
            out.append(shown.get(code, str(code)))
    return out
