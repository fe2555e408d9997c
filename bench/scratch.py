"""A scratch PostgreSQL database for a benchmark, on the server BENCH_PG_URL names."""
import os
from contextlib import contextmanager

SERVER = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")
# Several checkouts share one server: BENCH_SCRATCH_SUFFIX (e.g. the branch) keeps their
# scratch databases apart.
SUFFIX = os.environ.get("BENCH_SCRATCH_SUFFIX", "")


@contextmanager
def postgres_scratch(name: str):
    """Yield the SQLAlchemy URL of a new empty database `name` (None when no server answers)."""
    import psycopg

    admin = f"{SERVER}/postgres"
    name = f"{name}_{SUFFIX}" if SUFFIX else name
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"  PostgreSQL not reachable at {SERVER} ({error.__class__.__name__}); skipped")
        yield None
        return
    try:
        yield f"{SERVER.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
