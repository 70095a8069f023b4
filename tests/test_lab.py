"""JupyterLab starts on a free local port, serves the notebooks and offers the project's kernel."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from scr_lib import paths
from scr_lib.runner.run import notebooks

TOKEN = "scr-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, method="GET", body=None):
    request = urllib.request.Request(url, method=method, data=body,
                                     headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving the project's notebooks (see :func:`_lab_process`)."""
    workspaces = tmp_path / "workspaces"
    workspaces.mkdir()
    process, base = _lab_process(paths.NOTEBOOKS, workspaces)
    yield base
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.slow
def test_lab_serves_notebooks_and_the_project_kernel(lab):
    status, body = get(f"{lab}/lab")
    assert status == 200 and b"JupyterLab" in body

    _, body = get(f"{lab}/api/contents/")
    served = {item["name"] for item in json.loads(body)["content"]}
    assert {p.name for p in notebooks()} <= served

    _, body = get(f"{lab}/api/kernelspecs")
    specs = json.loads(body)["kernelspecs"]
    assert "scr" in specs, f"the project's kernel is not installed (make install); found {sorted(specs)}"
    assert specs["scr"]["spec"]["display_name"] == "Python 3 (SCR investigation)"

    _, body = get(f"{lab}/api/kernels", "POST", json.dumps({"name": "scr"}).encode())
    kernel = json.loads(body)
    assert kernel["name"] == "scr"
    status, _ = get(f"{lab}/api/kernels/{kernel['id']}", "DELETE")
    assert status == 204


def _lab_process(root, workspaces):
    """JupyterLab serving ``root`` on a free local port; returns (process, base URL) once it answers.

    Its log goes to a file beside the workspaces: a pipe nobody reads would fill and stall the server."""
    port = free_port()
    log = open(workspaces.parent / "lab.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--ServerApp.open_browser=False", "--allow-root", "--LabApp.news_url=",
         "--LabServerApp.workspaces_dir=" + str(workspaces)],
        stdout=subprocess.DEVNULL, stderr=log, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(f"{base}/api/status")
            return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"JupyterLab did not start: {(workspaces.parent / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.3)


@pytest.mark.slow
@pytest.mark.browser
def test_a_notebook_opened_and_saved_in_lab_still_verifies(browser, tmp_path):
    """Opening is not editing: a reader opens each notebook in real JupyterLab (in headless Chromium),
    lets its charts draw, saves with Ctrl+S and runs nothing. Lab rewrites the file (whole-number floats
    such as 14.0 become 14; trusted charts gain a PNG copy), and nbval must still pass on what it saved."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in notebooks():
        shutil.copy(path, folder / path.name)
        # trusted, as after a reader runs a cell: Lab then renders every output and adds PNGs of charts
        subprocess.run([sys.executable, "-m", "jupyter", "trust", str(folder / path.name)],
                       check=True, capture_output=True)
    process, base = _lab_process(folder, tmp_path / "workspaces")
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        shown = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the notebook in the open tab
        for index, path in enumerate(notebooks()):
            saved = folder / path.name
            before = saved.read_bytes()
            # a workspace of its own, reset: only this notebook is open
            page.goto(f"{base}/lab/workspaces/save{index}/tree/{path.name}?token={TOKEN}&reset")
            page.wait_for_selector(f"{shown} .jp-Cell", timeout=120_000)
            if b"application/vnd.vegalite" in before:
                page.wait_for_selector(f"{shown} .jp-RenderedVegaCommon5 svg, {shown} .jp-RenderedVegaCommon5 canvas",
                                       state="attached", timeout=120_000)
            page.wait_for_timeout(2000)  # let every chart finish drawing (and Lab attach its PNGs)
            page.click(f"{shown} .jp-Cell", position={"x": 5, "y": 5})  # focus the notebook, as a reader does
            page.keyboard.press("Control+s")
            deadline = time.monotonic() + 30
            while saved.read_bytes() == before and time.monotonic() < deadline:
                time.sleep(0.2)
            assert saved.read_bytes() != before, f"Lab did not save {path.name}: the test proves nothing"
            page.goto("about:blank")
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=15)
    done = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-kernel-name", "python3", "-q",
                           "-p", "no:cacheprovider", "--rootdir", str(folder), str(folder)],
                          capture_output=True, text=True, cwd=folder)
    assert done.returncode == 0, ("a notebook saved by JupyterLab no longer verifies; `make notebooks` "
                                  "restores the committed form\n" + done.stdout[-3000:])
