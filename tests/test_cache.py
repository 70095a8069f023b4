"""The content hashes behind incremental runs: what counts as an input, and reusing outputs for new prose."""

from __future__ import annotations

import json

import pytest

from scr_lib.runner import cache


def code(source, tags=None, outputs=None, count=None):
    return {"cell_type": "code", "source": source, "metadata": {"tags": tags} if tags else {},
            "outputs": outputs or [], "execution_count": count, "id": "c"}


def markdown(source):
    return {"cell_type": "markdown", "source": source, "metadata": {}, "id": "m"}


def nb(*cells, minor=5):
    return {"cells": list(cells), "metadata": {"kernelspec": {"name": "scr"}}, "nbformat": 4, "nbformat_minor": minor}


@pytest.mark.parametrize("source, expected", [
    ('foi_returns = "x.csv"\noutput_dir = ""', ["foi_returns", "output_dir"]),
    ("views: int = 3  # a comment\nrate = None", ["views", "rate"]),
    ("a, b = 1, 2\nc = d = 3", ["a", "b", "c", "d"]),
    ("import os\nx = os.sep\nprint(x)", ["x"]),
    ("", []),
])
def test_declared_parameters_are_the_names_the_parameters_cell_assigns(source, expected):
    assert cache.declared_parameters(nb(markdown("# t"), code(source, ["parameters"]))) == expected


def test_declared_parameters_without_a_parameters_cell_or_with_bad_python():
    assert cache.declared_parameters(nb(code("x = 1"))) == []
    assert cache.declared_parameters(nb(code("x = = 1", ["parameters"]))) is None
    assert cache.declared_parameters(nb(code("x = 1", ["parameters"]), code("y = 2", ["parameters"]))) == ["x"]


def test_the_code_signature_ignores_prose_and_stored_outputs_but_not_code_or_its_tags():
    base = nb(markdown("# one"), code(["a = 1\n", "b = 2"], outputs=[{"output_type": "stream", "text": "x"}]))
    prose = nb(markdown("# two"), code("a = 1\nb = 2", count=7))
    assert cache.code_signature(base) == cache.code_signature(prose)
    assert cache.code_signature(base) != cache.code_signature(nb(code("a = 1\nb = 3")))
    assert cache.code_signature(base) != cache.code_signature(nb(code("a = 1\nb = 2", ["raises-exception"])))


def test_key_ignores_dict_order_and_sees_every_value():
    assert cache.key({"a": 1, "b": [1, 2]}) == cache.key({"b": [1, 2], "a": 1})
    assert cache.key({"a": 1}) != cache.key({"a": 1.5}) != cache.key({"a": None})


def test_a_folder_digest_sees_content_and_names_but_not_dotfiles_or_bytecode(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.csv").write_text("x\n1\n")
    first = cache.tree_digest(tmp_path)
    (tmp_path / ".a.csv.swp").write_text("editor")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "m.pyc").write_bytes(b"\0")
    assert cache.tree_digest(tmp_path) == first
    (tmp_path / "sub" / "a.csv").write_text("x\n2\n")
    changed = cache.tree_digest(tmp_path)
    assert changed != first
    (tmp_path / "sub" / "a.csv").rename(tmp_path / "sub" / "b.csv")
    assert cache.tree_digest(tmp_path) not in (first, changed)


def test_a_path_digest_is_the_file_the_folder_or_missing(tmp_path):
    path = tmp_path / "f.csv"
    assert cache.path_digest(path) == cache.MISSING == cache.path_digest(None)
    path.write_text("a")
    assert cache.path_digest(path) == cache.digest_bytes(b"a")
    assert cache.path_digest(tmp_path) == cache.tree_digest(tmp_path) != cache.MISSING


def _executed():
    injected = code('# Parameters\nx = 2\n', ["injected-parameters"], count=2)
    return nb(markdown("# old prose"), code("x = 1", ["parameters"], count=1), injected,
              code("print(x)", outputs=[{"output_type": "stream", "name": "stdout", "text": "2\n"}], count=3))


def test_reused_outputs_take_the_new_prose_and_keep_the_injected_parameters_in_place():
    source = nb(markdown("# new prose"), markdown("More."), code("x = 1", ["parameters"]), code("print(x)"))
    source["metadata"]["title"] = "new"
    executed = _executed()
    executed["metadata"]["language_info"] = {"name": "python"}
    merged = cache.reuse_outputs(source, executed)
    assert [cache.cell_text(c) for c in merged["cells"]] == ["# new prose", "More.", "x = 1",
                                                             "# Parameters\nx = 2\n", "print(x)"]
    assert merged["cells"][-1]["outputs"][0]["text"] == "2\n" and merged["cells"][-1]["execution_count"] == 3
    assert merged["metadata"] == {"kernelspec": {"name": "scr"}, "title": "new", "language_info": {"name": "python"}}
    assert source["cells"][-1]["outputs"] == []  # the source is not changed


def test_injected_parameters_stay_on_top_when_there_is_no_parameters_cell():
    executed = nb(code("# Parameters\nx = 2\n", ["injected-parameters"], count=1), code("print(x)", count=2))
    merged = cache.reuse_outputs(nb(markdown("# t"), code("print(x)")), executed)
    assert [cache.cell_text(c) for c in merged["cells"]] == ["# Parameters\nx = 2\n", "# t", "print(x)"]


@pytest.mark.parametrize("source", [
    nb(markdown("# t"), code("x = 1", ["parameters"]), code("print(x + 1)")),  # code changed
    nb(markdown("# t"), code("x = 1", ["parameters"])),  # a code cell removed
    nb(markdown("# t"), code("x = 1", ["parameters"]), code("print(x)"), minor=4),  # cells without ids
])
def test_outputs_are_not_reused_when_the_code_does_not_line_up(source):
    assert cache.reuse_outputs(source, _executed()) is None


def _part(parts, name, notebook_key, execution_key):
    folder = parts / cache.part_name(name, notebook_key)
    (folder / "notebooks").mkdir(parents=True)
    (folder / "notebooks" / name).write_text("{}")
    return folder, cache.seal_part(folder, {"notebook": name, "notebook_key": notebook_key,
                                            "execution_key": execution_key})


def test_a_cached_part_is_found_exactly_or_by_its_execution_key_and_never_when_damaged(tmp_path):
    folder, record = _part(tmp_path, "01-a.ipynb", "k" * 64, "e" * 64)
    assert record["files"] == {"notebooks/01-a.ipynb": cache.digest_bytes(b"{}")}
    assert cache.find_part(tmp_path, "01-a.ipynb", "k" * 64, "e" * 64) == (folder, record, True)
    assert cache.find_part(tmp_path, "01-a.ipynb", "n" * 64, "e" * 64) == (folder, record, False)
    assert cache.find_part(tmp_path, "01-a.ipynb", "n" * 64, "x" * 64) is None
    assert cache.find_part(tmp_path, "01-a-b.ipynb", "k" * 64, "e" * 64) is None
    (folder / "notebooks" / "01-a.ipynb").write_text("{ }")
    assert cache.find_part(tmp_path, "01-a.ipynb", "k" * 64, "e" * 64) is None


def test_the_manifest_of_another_cache_version_is_ignored(tmp_path):
    cache.save_manifest(tmp_path, {"run_key": "r"})
    assert cache.load_manifest(tmp_path)["run_key"] == "r"
    path = tmp_path / cache.CACHE_DIR / cache.MANIFEST
    path.write_text(json.dumps({"version": "0", "run_key": "r"}))
    assert cache.load_manifest(tmp_path) == {}
    path.write_text("not json")
    assert cache.load_manifest(tmp_path) == {} == cache.load_manifest(tmp_path / "nowhere")


def test_published_files_leave_out_the_cache(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>")
    cache.save_manifest(tmp_path, {})
    assert list(cache.published_files(tmp_path)) == ["site/index.html"]
