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


def test_browser_test_packages_are_pinned_exactly_with_their_hashes():
    """tests/browser/package.json pins each npm package exactly; its lock holds that version with a sha512."""
    import json

    folder = paths.PROJ_ROOT / "tests" / "browser"
    wanted = json.loads((folder / "package.json").read_text())["devDependencies"]
    locked = json.loads((folder / "package-lock.json").read_text())["packages"]
    assert wanted, "tests/browser/package.json lists no package"
    for name, version in wanted.items():
        assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version), f"{name} {version} is not an exact version"
        entry = locked.get(f"node_modules/{name}", {})
        assert entry.get("version") == version, f"package-lock.json has {name} {entry.get('version')}, not {version}"
        assert entry.get("integrity", "").startswith("sha512-"), f"package-lock.json has no sha512 for {name}"
    assert locked[""]["devDependencies"] == wanted, "package-lock.json is out of step with package.json"
