"""gunicorn with the repository's gunicorn.conf.py serves the app: several workers, the
security headers, and a Server header that names no software."""
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_with_the_production_config(tmp_path):
    url = f"sqlite:///{tmp_path / 'served.db'}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "served", "WEB_CONCURRENCY": "2",
           "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log")}
    bin_dir = Path(sys.executable).parent
    upgraded = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"],
                              cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert upgraded.returncode == 0, upgraded.stderr.decode()[-2000:]
    port = _free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    with open(tmp_path / "error.log", "wb") as errors, subprocess.Popen(
            [str(bin_dir / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=errors) as server:
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("GET", "/login")
                    response = conn.getresponse()
                    body = response.read().decode()
                    break
                except OSError:
                    assert server.poll() is None, (tmp_path / "error.log").read_text()[-2000:]
                    assert time.monotonic() < deadline, "gunicorn did not answer"
                    time.sleep(0.2)
            assert response.status == 200 and 'name="password"' in body
            assert response.getheader("Server") == "gongxiang"
            assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
            assert response.getheader("X-Content-Type-Options") == "nosniff"
            conn.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    log = (tmp_path / "error.log").read_text()
    assert log.count("Booting worker") == 2, log
    assert "GET /login" in (tmp_path / "access.log").read_text()
