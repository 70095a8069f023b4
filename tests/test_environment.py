"""The pip install (pyproject.toml), the conda file and the lock agree on every pin."""

import re
import tomllib

import yaml

from scr_lib import paths


def pyproject_pins():
    project = tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    return dict(d.split("==") for d in deps)


def test_every_dependency_is_pinned_exactly():
    project = tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9_.+-]*", d) for d in deps), deps


def test_environment_yml_lists_the_same_pins_as_pyproject():
    env = yaml.safe_load((paths.PROJ_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = dict(d.split("==") for d in pip_section)
    assert conda_pins == pyproject_pins()
    assert "python=3.11" in env["dependencies"]


def test_lock_file_agrees_with_pyproject():
    lock = dict(line.split("==") for line in (paths.PROJ_ROOT / "requirements.lock").read_text().split()
                if "==" in line)
    norm = {k.lower().replace("_", "-"): v for k, v in lock.items()}
    for name, version in pyproject_pins().items():
        assert norm.get(name.lower().replace("_", "-")) == version, name
