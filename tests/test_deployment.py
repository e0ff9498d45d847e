"""docs/deployment.md's recipe works: its systemd units pass `systemd-analyze verify`, its nginx
configuration passes `nginx -t`, and both agree with the app's defaults."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caseload.config import Config
from tests.mailserver import self_signed

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
UNIT = re.compile(r"`/etc/systemd/system/([\w.-]+)`[^\n]*\n```ini\n(.*?)```", re.S)
NGINX = re.compile(r"```nginx\n(.*?)```", re.S)
# Both come with Debian packages the Makefile installs (system-packages: systemd, nginx-light).
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
NGINX_BIN = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def units() -> dict[str, str]:
    """The unit files of the doc by name, e.g. ``caseload-web.service``."""
    return {name: text for name, text in UNIT.findall(DOC)}


def nginx_conf() -> str:
    [conf] = NGINX.findall(DOC)
    return conf


def on_this_machine(text: str) -> str:
    """The doc's paths under /srv/caseload pointed at this checkout and its virtualenv."""
    return text.replace("/srv/caseload/.venv", sys.prefix).replace("/srv/caseload", str(ROOT))


def test_the_doc_has_the_web_scheduler_and_backup_units():
    found = units()
    assert set(found) == {
        "caseload-web.service",
        "caseload-scheduler.service",
        "caseload-backup.service",
        "caseload-backup.timer",
    }
    assert "gunicorn -c gunicorn.conf.py" in found["caseload-web.service"]
    assert "flask --app app scheduler run" in found["caseload-scheduler.service"]
    assert "StateDirectory=caseload-anchors" in found["caseload-scheduler.service"]
    for name in ("caseload-web.service", "caseload-scheduler.service", "caseload-backup.service"):
        assert "EnvironmentFile=/srv/caseload/.env" in found[name]
        assert "User=caseload" in found[name]


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed (make system-packages)")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    files = []
    for name, text in units().items():
        path = tmp_path / name
        path.write_text(on_this_machine(text), encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(
        [str(SYSTEMD_ANALYZE), "verify", *files], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    # verify only warns (exit 0) about an unknown setting or a bad value: any word from it is a fault
    assert done.stderr.strip() == "", done.stderr


@pytest.mark.skipif(NGINX_BIN is None, reason="nginx is not installed (make system-packages)")
def test_the_nginx_configuration_passes_nginx_t(tmp_path):
    cert, key = self_signed(tmp_path)
    site = nginx_conf()
    site = site.replace("/etc/ssl/caseload/fullchain.pem", str(cert))
    site = site.replace("/etc/ssl/caseload/privkey.pem", str(key))
    (tmp_path / "caseload.conf").write_text(on_this_machine(site), encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        f"    include {tmp_path}/caseload.conf;\n"
        "}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(NGINX_BIN), "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", "nginx.conf"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
    assert "[warn]" not in done.stderr and "[emerg]" not in done.stderr, done.stderr


def _gunicorn_settings() -> dict:
    settings: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), settings)  # noqa: S102
    return settings


def test_nginx_agrees_with_the_apps_defaults(tmp_path):
    conf = nginx_conf()
    gunicorn = _gunicorn_settings()
    app = Config(str(tmp_path))
    assert f"proxy_pass http://{gunicorn['bind']};" in conf
    [body] = re.findall(r"client_max_body_size (\d+)m;", conf)
    assert int(body) * 1024 * 1024 >= app.MAX_CONTENT_LENGTH  # the app answers 413 itself, not nginx
    [read] = re.findall(r"proxy_read_timeout (\d+)s;", conf)
    assert int(read) > gunicorn["timeout"]
    for header in ("X-Forwarded-Proto", "X-Forwarded-For", "X-Forwarded-Host", "X-Request-ID"):
        assert f"proxy_set_header {header} " in conf
    assert "return 301 https://" in conf
