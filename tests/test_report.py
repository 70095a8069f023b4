"""What notebooks show: text from a file is shown as text, never as Markdown or HTML (issue 12)."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import FOI_HEADER, PHISH, XSS, write_foi
from scr_lib import site
from scr_lib.inputs import foi
from scr_lib.story import report

HOSTILE_HEADERS = [
    PHISH,
    "<https://evil.example/autolink>",
    "https://evil.example/bare and www.evil.example",
    "![tracker](https://evil.example/pixel.png)",
    XSS,
    "**loud** _and_ `code` # heading",
    "two\n\n# lines",
    "back`tick``s",
    "[ref][1]\n\n[1]: https://evil.example/ref",
    "a\\\\[escaped](https://evil.example/esc)",
]


@pytest.mark.parametrize("text", HOSTILE_HEADERS)
def test_literal_text_is_shown_as_it_is_written_and_never_linked(text):
    html = site.markdown_html(report.literal(text))
    assert "<a " not in html and "<img" not in html and "<script" not in html and "<h" not in html
    assert "<strong>" not in html and "<em>" not in html and "<code>" not in html
    shown = site.html.unescape(site.re.sub(r"<[^>]+>", "", html)).strip()
    assert shown == " ".join(text.split())  # every character shown, runs of white space as one space


@pytest.mark.parametrize("text", ["data/foi.csv", "odd `name`.csv", "``", "<b>x</b>.csv"])
def test_a_code_span_holds_any_text_literally(text):
    html = site.markdown_html(f"from {report.code(text)}.")
    inner = site.re.search(r"<code>(.*)</code>", html).group(1)
    assert site.html.unescape(inner) == text


def test_the_columns_a_file_has_but_the_suite_does_not_use_are_listed_as_text(tmp_path):
    path = write_foi(tmp_path / "foi.csv", [{"pct": "NHS Dorset", "rollout_begun": "yes", "practices_invited": "10",
                                            "practices_declined": "1", PHISH: "x", XSS: "y"}],
                     FOI_HEADER + [PHISH, XSS])
    returns = foi.load_returns(path)
    assert PHISH in returns.ignored_columns
    html = site.markdown_html(report.loaded(returns).data)
    assert "evil.example" in html and "href" not in html and "<script" not in html
    assert "[phish](https://evil.example/login)" in site.html.unescape(html)


@pytest.mark.slow  # a fresh interpreter (the state on import is only seen in one): about 2 s
def test_importing_the_library_sets_nothing_and_setup_sets_the_display(tmp_path):
    """No state is set on import: pandas options and Altair's theme and renderer change only in report.setup()."""
    import subprocess
    import sys

    script = ("import pkgutil, importlib, altair as alt, pandas as pd, scr_lib\n"
              "for m in pkgutil.walk_packages(scr_lib.__path__, 'scr_lib.'):\n"
              "    importlib.import_module(m.name)\n"
              "before = (pd.get_option('display.max_colwidth'), alt.theme.active, alt.renderers.active)\n"
              "from scr_lib.story import report\n"
              "report.setup()\n"
              "print(before, (pd.get_option('display.max_colwidth'), alt.theme.active, alt.renderers.active))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "(50, 'default', 'default') (None, 'scr', 'scr')"


# --- Sentences true for the data (issue 14) ---------------------------------------------------------

@pytest.mark.parametrize("flags, present, absent", [
    ([True, False, False], ["Grey bars", "1 of the 3", "Published"], ["As reported"]),
    ([False, False], [], ["Grey", "grey", "generated", "illustrative", "As reported"]),
])
def test_bar_colours_names_grey_bars_only_when_one_is_drawn(flags, present, absent):
    text = report.bar_colours(pd.Series(flags)).data
    assert all(p in text for p in present) and not any(a in text for a in absent), text


def test_bar_colours_says_nothing_for_a_chart_without_bars():
    assert report.bar_colours(pd.Series([], dtype=bool)).data == ""


@pytest.mark.parametrize("marker, generated", [("*", True), ("", False)])
def test_provenance_speaks_of_generated_values_only_when_there_are_some(marker, generated):
    frame = pd.DataFrame({"practices_invited": [1, 2], "illustrative": [marker, ""]})
    text = report.provenance(frame, ["practices_invited"], "counts").data
    assert ("generated" in text) is generated
    assert ("as the PCTs gave it in their FOI answers" in text) is not generated
    assert ("illustrative" in text) is generated
    assert ("1 of the 2 counts" in text) is generated
