"""Shared fixtures for the interop tests: where the ferry binary and the data are."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures"
XR_INSPECT = HERE / "xr_inspect.py"


@pytest.fixture(scope="session")
def ferry_bin():
    """FERRY_BIN is required: these tests check a built binary, they never build one."""
    path = os.environ.get("FERRY_BIN")
    if not path:
        pytest.skip("FERRY_BIN is not set: export FERRY_BIN=/path/to/target/debug/ferry")
    if not os.access(path, os.X_OK):
        pytest.skip(f"FERRY_BIN={path} is not an executable file (not built yet?)")
    return path


class Run:
    """One finished process: exit code, stdout, stderr, and stdout parsed as JSON if it is."""

    def __init__(self, args, proc):
        self.args = args
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        try:
            self.json = json.loads(proc.stdout) if proc.stdout.strip() else None
        except ValueError:
            self.json = None

    def __repr__(self):
        # pytest prints this on failure: the whole ferry output, trimmed.
        return f"<{' '.join(map(str, self.args))} -> exit {self.code}\nstderr: {self.stderr[-2000:]}\nstdout: {self.stdout[:2000]}>"


@pytest.fixture(scope="session")
def ferry(ferry_bin):
    """ferry(*args) -> Run. Never raises on a non-zero exit: tests assert on it."""

    def run(*args, timeout=120):
        cmd = [ferry_bin, *map(str, args)]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env={**os.environ, "RUST_BACKTRACE": "1"})
        proc.stdout = proc.stdout.decode("utf-8", "replace")
        proc.stderr = proc.stderr.decode("utf-8", "replace")
        return Run(cmd, proc)

    return run


@pytest.fixture(scope="session")
def xr_inspect():
    """xr_inspect(files, concat_dim=None, group=None) -> dict (run in a subprocess, like ferry)."""

    def run(files, concat_dim=None, group=None):
        cmd = [sys.executable, str(XR_INSPECT), *map(str, files)]
        if concat_dim:
            cmd += ["--concat-dim", concat_dim]
        if group:
            cmd += ["--group", group]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
        return json.loads(proc.stdout)

    return run
