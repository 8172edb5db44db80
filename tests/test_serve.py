"""The nginx and Caddy snippets in deploy/ serve dist/<lang>/current/ at /<lang>/, started for real.

The servers come from Debian (apt-get as root, like chromium for the browser tests); where that is
impossible the test is skipped with the reason printed.
"""
from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser_support import _apt_install, free_port
from conftest import untranslate
from conftest import REPO, copy_project
from workflow.cli import main

KNEE = "knee-osteoarthritis-stem-cells"


def ensure(binary: str, package: str) -> str:
    found = shutil.which(binary)
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip(f"{binary} is missing and cannot be installed here (needs root and apt-get): "
                    f"`apt-get install {package}`")
    proc = _apt_install([package], timeout=600)
    if proc.returncode != 0 or not shutil.which(binary):
        pytest.skip(f"could not install {package} with apt-get (exit {proc.returncode}): {proc.stderr[-300:]}")
    return shutil.which(binary)


def nginx_config(folder: Path, dist: Path, port: int) -> list[str]:
    snippet = (REPO / "deploy" / "nginx-guides.conf").read_text()
    snippet = snippet.replace("root /srv/guides/dist;", f"root {dist};").replace("listen 8080;", f"listen 127.0.0.1:{port};")
    (folder / "guides.conf").write_text(snippet)
    temp = "".join(f"{name}_temp_path {folder}/{name};\n" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(
        f"user root;\ndaemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{}}\nhttp {{\naccess_log off;\n{temp}include {folder}/guides.conf;\n}}\n")
    binary = ensure("nginx", "nginx")
    check = subprocess.run([binary, "-t", "-c", f"{folder}/nginx.conf", "-p", str(folder)], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    return [binary, "-c", f"{folder}/nginx.conf", "-p", str(folder)]


def caddy_config(folder: Path, dist: Path, port: int) -> list[str]:
    snippet = (REPO / "deploy" / "Caddyfile").read_text()
    snippet = snippet.replace("root * /srv/guides/dist", f"root * {dist}").replace(":8080 {", f"http://127.0.0.1:{port} {{")
    (folder / "Caddyfile").write_text("{\n\tadmin off\n}\n\n" + snippet)
    binary = ensure("caddy", "caddy")
    check = subprocess.run([binary, "validate", "--config", f"{folder}/Caddyfile", "--adapter", "caddyfile"],
                           capture_output=True, text=True, env=_caddy_env(folder))
    assert check.returncode == 0, check.stdout + check.stderr
    return [binary, "run", "--config", f"{folder}/Caddyfile", "--adapter", "caddyfile"]


def _caddy_env(folder: Path) -> dict:
    return {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data"),
            "XDG_CONFIG_HOME": str(folder / "config")}


def fetch(port: int, path: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served(request, tmp_path, monkeypatch):
    """A published project and the server of request.param serving its dist/."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path / "project", languages=["ja", "zh_CN"])
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    folder = tmp_path / request.param
    folder.mkdir()
    port = free_port()
    argv = (nginx_config if request.param == "nginx" else caddy_config)(folder, project / "dist", port)
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env=_caddy_env(folder))
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                fetch(port, "/en/")
                break
            except OSError:
                assert proc.poll() is None, (folder / "server.log").read_text()
                assert time.monotonic() < deadline, "server did not answer in 20 s"
                time.sleep(0.1)
        yield project, port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.parametrize("served", ["nginx", "caddy"], indirect=True)
def test_snippet_serves_current_release_at_stable_urls(served, run_cli):
    project, port = served
    dist = project / "dist"
    status, headers, body = fetch(port, "/ja/")
    assert status == 200 and body == (dist / "ja/current/index.html").read_bytes()
    assert headers["Content-Language"] == "ja" and headers["Cache-Control"] == "no-cache"
    status, headers, body = fetch(port, f"/zh_CN/{KNEE}.html")
    assert status == 200 and body == (dist / f"zh_CN/current/{KNEE}.html").read_bytes()
    assert headers["Content-Language"] == "zh-CN" and headers["Content-Type"].startswith("text/html")
    status, headers, body = fetch(port, "/")      # the language chooser, linking to each live language's index
    assert status == 200 and body == (dist / "index.html").read_bytes() and b'href="ja/index.html"' in body
    assert headers["Content-Type"].startswith("text/html") and headers["Cache-Control"] == "no-cache"
    assert fetch(port, "/ja/index.html")[2] == (dist / "ja/current/index.html").read_bytes()
    # a language switcher's link, resolved against the stable URL of the page that holds it
    page = f"/zh_CN/{KNEE}.html"
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', fetch(port, page)[2].decode())
    assert len(links) == 3
    for href, _ in links:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))   # a browser stops at /
        status, _, body = fetch(port, target)
        assert status == 200 and body == (dist / target.lstrip("/").replace("/", "/current/", 1)).read_bytes()
    for hidden in ("/ja/history.json", "/ja/releases/", "/ja/current/index.html", "/ja/.lock", "/report.json",
                   "/ja/pin", "/ja/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/ja/..%2fhistory.json"):
        assert fetch(port, hidden)[0] in (400, 404), hidden

    # a publish switches what the same URL serves; a rollback switches it back
    before = fetch(port, f"/ja/{KNEE}.html")[2]
    po = project / "locales/ja/LC_MESSAGES/ui.po"
    po.write_text(po.read_text().replace('msgstr "すべてのガイド"', 'msgstr "ガイド一覧"'))
    assert run_cli(project, "--quiet", "publish", "--lang", "ja")[0] == 0
    after = fetch(port, f"/ja/{KNEE}.html")[2]
    assert after != before and "ガイド一覧" in after.decode()
    assert run_cli(project, "rollback", "ja")[0] == 0
    assert fetch(port, f"/ja/{KNEE}.html")[2] == before

    # a pinned language has no page for a guide added since: its URL leads to the source-language page
    assert run_cli(project, "pin", "ja")[0] == 0
    text = (project / "source" / f"{KNEE}.md").read_text()
    (project / "source" / "new-guide.md").write_text(text.replace('title: "', 'title: "New: ', 1))
    assert run_cli(project, "extract")[0] == 0 and run_cli(project, "update")[0] == 0
    for lang in ("ja", "zh_CN"):   # nobody translated it (the memory prefilled the copied text)
        untranslate(project / f"locales/{lang}/LC_MESSAGES/new-guide.po")
    assert run_cli(project, "--quiet", "publish")[0] == 1       # the new guide is below the gate in ja, zh_CN
    assert not (dist / "ja/current/new-guide.html").exists() and (dist / "zh_CN/current/new-guide.html").exists()
    status, headers, _ = fetch(port, "/ja/new-guide.html")
    assert status == 302 and headers["Location"].endswith("/en/new-guide.html"), (status, headers)
    assert fetch(port, "/en/new-guide.html")[0] == 200
    assert fetch(port, "/ja/no-such-guide.html")[0] == 404
