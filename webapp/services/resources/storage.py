"""Where resource file contents live: a small interface, local content-addressed files by default."""
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The stream went past the size limit; nothing was kept."""


class Storage(Protocol):
    def put(self, stream: BinaryIO, limit: int) -> tuple[str, int, Path]: ...
    def commit(self, sha256: str, staged: Path) -> None: ...
    def discard(self, staged: Path) -> None: ...
    def path(self, sha256: str) -> Path: ...
    def exists(self, sha256: str) -> bool: ...


class LocalStorage:
    """Files under one folder, named by their sha256 (ab/cd/abcd…): stored once however often
    uploaded. An upload is first staged in the folder's tmp/, hashed chunk by chunk as it is
    written (never whole in memory), then moved into place, or discarded when refused."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def put(self, stream: BinaryIO, limit: int) -> tuple[str, int, Path]:
        staging = self.root / "tmp"
        staging.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        handle = tempfile.NamedTemporaryFile(dir=staging, delete=False)
        try:
            with handle:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge
                    digest.update(chunk)
                    handle.write(chunk)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        return digest.hexdigest(), size, Path(handle.name)

    def commit(self, sha256: str, staged: Path) -> None:
        target = self.path(sha256)
        if target.exists():
            staged.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged, target)

    def discard(self, staged: Path) -> None:
        staged.unlink(missing_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()


def storage() -> Storage:
    """The configured store: RESOURCE_STORAGE names a backend ("local" is the one built in;
    an S3-compatible one would plug in here), RESOURCE_FOLDER the local folder."""
    kind = current_app.config.get("RESOURCE_STORAGE", "local")
    if kind != "local":
        raise RuntimeError(f"unknown RESOURCE_STORAGE {kind!r}")
    folder = current_app.config.get("RESOURCE_FOLDER") or \
        os.path.join(current_app.instance_path, "resources")
    return LocalStorage(folder)
