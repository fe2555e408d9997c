"""The app served by gunicorn (gunicorn.conf.py) in a subprocess, and concurrent HTTP clients
that measure it: what a county's server answers under load, not the test client."""
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int | None = None):
    """Serve the app on a free port with the production config; yields the port."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench",
           "BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "/dev/null"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    # Its log goes to a file: a pipe nobody reads would block gunicorn once full.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c",
                                str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(log.read().decode()[-2000:])
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def sign_in(port: int, username: str, password: str) -> str:
    """The Cookie header of a signed-in session (through the real form, CSRF and all)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    body = urlencode({"csrf_token": token, "username": username, "password": password})
    conn.request("POST", "/login", body, {"Cookie": cookie,
                                          "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"sign-in refused: {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


def _timed_get(conn, path: str, cookie: str) -> float:
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        # The server closed an idle keep-alive connection: a browser opens a new one.
        conn.close()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return (time.perf_counter() - start) * 1000


def sequential_ms(port: int, path: str, cookie: str, repeat: int = 20) -> float:
    """The median time of one request at a time (after one to warm up)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    _timed_get(conn, path, cookie)
    return statistics.median(_timed_get(conn, path, cookie) for _ in range(repeat))


def concurrent_ms(port: int, path: str, cookie: str, clients: int = 50,
                  per_client: int = 6) -> tuple[float, float]:
    """p50 and p95 in ms of `clients` clients each sending `per_client` requests back to back,
    all starting together (each on its own keep-alive connection), after one unmeasured
    request each: the steady state, every worker's cache warm."""
    times: list[float] = []
    errors: list[str] = []
    start = threading.Barrier(clients)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            _timed_get(conn, path, cookie)
            start.wait()
            for _ in range(per_client):
                times.append(_timed_get(conn, path, cookie))
        except Exception as error:  # noqa: BLE001 (reported below, the run still finishes)
            errors.append(repr(error))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} clients failed: {errors[0]}")
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[94]
