"""JupyterLab starts on a free local port, serves the notebooks and offers the project's kernel."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from scr_lib import paths
from scr_lib.run import notebooks

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
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={paths.NOTEBOOKS}",
         "--ServerApp.open_browser=False", "--allow-root", "--LabApp.news_url=", "--LabServerApp.workspaces_dir=" + str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get(f"{base}/api/status")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"JupyterLab did not start: {process.stderr.read()[-2000:]}")
            time.sleep(0.3)
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
