"""gunicorn settings for serving 共享共进 as a county runs it: `gunicorn -c gunicorn.conf.py`
(`make serve-prod`), beside the one scheduler process (`flask --app webapp scheduler`).

Every value can be changed from the environment without editing this file."""
import multiprocessing
import os

import gunicorn.http.wsgi

wsgi_app = "webapp:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")

# One process per core (at least two, at most a dozen). A request is CPU-bound Python: a
# process beyond the cores only takes turns with the others, and each has its own page cache
# to fill after every write. Measured on 2 cores under 50 clients (README, Benchmarks):
# 2 workers × 4 threads gave the lowest p95 of 2, 3 and 5 workers × 1, 2 and 4 threads.
workers = int(os.environ.get("WEB_CONCURRENCY", min(max(2, multiprocessing.cpu_count()), 12)))
# A few threads per worker (the GIL lets one run Python at a time) keep the CPU busy while one
# request waits on the database.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A county's Excel export takes seconds, never a minute: a worker silent that long is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows into an outage.
max_requests = 5000
max_requests_jitter = 500

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'

# The app is imported once and the workers forked from it (less memory, faster start). Safe:
# creating the app opens no database connection, and each worker drops any it inherited.
preload_app = True

# The Server header names no software or version (gunicorn's default is "gunicorn").
gunicorn.http.wsgi.SERVER = "gongxiang"


def post_fork(server, worker):
    """A forked worker must never share a database connection with its parent."""
    from webapp.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
