"""The README's JSON API block works as printed: run with bash against a demo served by
``municloud serve`` (a newcomer's first try — an unencoded search or a notification the demo
data refuses failed here before)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.cli.support import Cli, cli_env, create_database, drop_database

README = Path(__file__).resolve().parents[3] / "README.md"
pytestmark = pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")),
                                reason="curl and jq come with `make run` (scripts/install-system-packages.sh base)")


def api_block() -> str:
    """The first ``bash`` block under the README's "The JSON API" heading."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The JSON API"):]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A small demo (``--scale 0.02``) served on a free port by the real ``municloud serve``."""
    tmp = tmp_path_factory.mktemp("readme")
    url = create_database("municloud_readme", tmp)
    with pytest.MonkeyPatch.context() as mp:
        cli_env(mp, url)
        cli = Cli()
        assert cli("db", "upgrade").exit_code == 0
        assert cli("demo", "--scale", "0.02").exit_code == 0
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-c", "from municloud.cli.main import app; app()", "serve", "--host", "127.0.0.1",
             "--port", str(port)],
            env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("municloud serve did not answer /health")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)
            drop_database(url)


def test_the_json_api_examples_of_the_readme_run_as_printed_on_the_demo(demo_server):
    script = api_block()
    assert script.startswith("API=http://127.0.0.1:8000\n")  # what make run serves
    script = script.replace("API=http://127.0.0.1:8000", f"API={demo_server}", 1)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    docs = json_documents(done.stdout)
    assert len(docs) == 4, done.stdout
    found, history, checked, registered = docs
    assert found["atena_no"]  # the search found someone (null when nothing matched)
    assert history["atena_no"] == "0000000001"
    assert checked["dry_run"] is True and registered["dry_run"] is False
    assert checked["ido_jiyu"] == registered["ido_jiyu"] == "転居" and checked["atena_nos"] == registered["atena_nos"]
    assert "--data-urlencode 'q=ヤマダ'" in script  # kana in a URL are sent encoded (a raw ?q=ヤマダ was a 400)


def json_documents(text: str) -> list:
    """The JSON documents jq printed one after another."""
    decoder, docs, at = json.JSONDecoder(), [], 0
    while at < len(text.rstrip()):
        while text[at].isspace():
            at += 1
        doc, at = decoder.raw_decode(text, at)
        docs.append(doc)
    return docs
