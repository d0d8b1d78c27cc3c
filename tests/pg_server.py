"""A real PostgreSQL server for the tests: a throw-away cluster started and stopped by a fixture.

Debian's postgresql package (installed by .ci/run) provides initdb and pg_ctl. initdb refuses to run
as root, so as root the cluster belongs to the ``postgres`` user and is driven through ``runuser``;
as a normal user it runs as that user. TCP on 127.0.0.1, a free port, password (scram) auth, so the
tests can log in with the right and the wrong password.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "xlperf", "s3cret-pw"


@dataclass
class PgServer:
    host: str
    port: int
    user: str
    password: str

    def url(self, database: str = "postgres", with_password: bool = False) -> str:
        auth = f"{self.user}:{self.password}" if with_password else self.user
        return f"postgresql+psycopg://{auth}@{self.host}:{self.port}/{database}"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pg_server() -> Iterator[PgServer]:
    bindir = _bin_dir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed here (apt-get install postgresql; .ci/run does it)")
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb cannot be started as another user")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="xlperf-pg-"))
    data, pwfile, sock = root / "data", root / "pw", root / "sock"
    sock.mkdir()
    pwfile.write_text(PASSWORD + "\n")
    if as_root:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        shutil.chown(pwfile, "postgres")
    port = _free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run([*prefix, *cmd], check=False, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {done.stdout}\n{done.stderr}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(pwfile), "--auth", "scram-sha-256",
            "-E", "UTF8", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l", str(root / "log"), "-o",
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        yield PgServer("127.0.0.1", port, USER, PASSWORD)
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       check=False, capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)
