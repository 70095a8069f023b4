"""The Finding record and the registry derived from the list of findings."""

import pytest

from scr_lib import findings
from scr_lib.inputs import params
from scr_lib.findings.finding import Finding


def _headline(figures, params):
    return "x"


@pytest.mark.parametrize("kwargs, message", [
    ({"id": "Toy"}, "lower-case word"),
    ({"id": "toy-1"}, "lower-case word"),
    ({"key_figures": ("other.value",)}, "must start with 'toy.'"),
])
def test_a_bad_declaration_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Finding(**{"id": "toy", "notebook": "09-toy", "title": "Toy", "headline": _headline, **kwargs})


def test_the_headline_needs_every_key_figure():
    toy = Finding(id="toy", notebook="09-toy", title="Toy", headline=_headline, key_figures=("toy.a", "toy.b"))
    assert toy.headline_for({"toy.a": 1}, {}) is None
    assert toy.headline_for({"toy.a": 1, "toy.b": 0}, {}) == "x"


def test_the_params_schema_is_the_common_knobs_then_each_findings():
    expected = list(params.COMMON_KNOBS) + [k for f in findings.FINDINGS for k in f.knobs]
    assert list(findings.KNOBS) == expected


def test_findings_are_found_by_id_notebook_and_result_key():
    for finding in findings.FINDINGS:
        assert findings.by_id(finding.id) is finding
        assert findings.by_notebook(finding.notebook) is finding
        assert findings.owner(f"{finding.id}.anything") is finding
    with pytest.raises(KeyError, match="no finding 'nope'"):
        findings.by_id("nope")
    assert findings.by_notebook("99-nope") is None and findings.owner("nope.x") is None


@pytest.mark.parametrize("finding", findings.FINDINGS, ids=findings.IDS)
def test_each_finding_has_its_notebook(finding):
    from scr_lib import paths

    assert (paths.NOTEBOOKS / f"{finding.notebook}.ipynb").is_file()


@pytest.mark.parametrize("twice", ["id", "notebook"])
def test_two_findings_may_not_share_an_id_or_notebook(twice):
    first = Finding(id="toy", notebook="09-toy", title="Toy", headline=_headline)
    second = Finding(id="toy" if twice == "id" else "other", notebook="09-toy" if twice == "notebook" else "10-x",
                     title="Other", headline=_headline)
    with pytest.raises(ValueError, match=f"share the {twice}"):
        findings._check((first, second))


def test_a_sentence_rests_on_the_figures_whose_values_it_read_not_those_it_only_checked_the_mark_of():
    from scr_lib.findings.finding import illustrative, read_by, value

    now = {"x.kept": {"value": 3, "illustrative": False}, "x.left": {"value": 4, "illustrative": True},
           "x.unread": {"value": 5}}
    then = {"x.kept": {"value": 2}}

    def sentence(now, then):
        text = f"{value(now, 'x.kept')}, from {value(then, 'x.kept')}"
        return text if illustrative(now, "x.left") else f"{text} and {value(now, 'x.left')}"

    assert read_by(sentence, now, then) == [{"x.kept"}, {"x.kept"}]
    assert read_by(lambda now, then: value(now, "x.left"), now, None) == [{"x.left"}, set()]
    figures = {"x.kept": 3, "x.left": 4}
    assert read_by(lambda f: f"{f['x.kept']} of {f.get('x.left')}", figures) == [{"x.kept", "x.left"}]


def test_since_says_what_a_figure_did_since_the_earlier_round():
    from scr_lib.findings.finding import since
    from scr_lib.words import count

    assert since(24, 91, count, "2010") == ", down from 91 in 2010"
    assert since(1_200, 91, count, "2010") == ", up from 91 in 2010"
    assert since(91, 91, count, "2010") == ", as in 2010"
    assert since(91, None, count, "2010") == ""
