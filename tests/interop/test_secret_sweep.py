"""Secret hygiene, as a sweep: whole CLI journeys (success and failure) with canary secrets — S3
keys, GCS access tokens, a refreshed token, an ADC refresh token, a client secret — then a search of
everything they leave: every stdout and stderr, every file under the throwaway HOME (upload
records, settings, caches), and the stores themselves on the loopback servers. The end-to-end run
(tests/e2e/run) does the same sweep for the wizard's journeys."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

SERVERS = Path(__file__).resolve().parents[1] / "servers"
sys.path.insert(0, str(SERVERS))
from s3 import S3Server, find_binary  # noqa: E402

KEY = "sweepkey"
S3_SECRET = "CANARY-s3-sweep-1f9e"
WRONG_SECRET = "CANARY-s3-wrong-77ab"
GCS_TOKEN = "ya29.CANARY-gcs-first-5c2d"
GCS_RENEWED = "ya29.CANARY-gcs-renewed-9e41"
ADC_REFRESH = "1//CANARY-adc-refresh-3b7f"
ADC_CLIENT_SECRET = "CANARY-adc-client-secret-aa10"
CANARIES = [S3_SECRET, WRONG_SECRET, GCS_TOKEN, GCS_RENEWED, ADC_REFRESH, ADC_CLIENT_SECRET]
SRC = FIXTURES / "derived" / "A1B_by_year"


def gcs_stub(tmp, *extra):
    proc = subprocess.Popen(
        [sys.executable, str(SERVERS / "gcs_stub.py"), "--port", "0", "--token", GCS_TOKEN, "--bucket", "sweep", "--dir", str(tmp), "--exit-on-stdin-eof", *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    return proc, f"http://127.0.0.1:{int(proc.stdout.readline())}"


def test_no_secret_anywhere_after_cli_journeys(ferry_bin, tmp_path):
    if not find_binary():
        pytest.skip("s3s-fs is not installed (scripts/install-deps installs it)")
    home, secrets, gcs_dir = tmp_path / "home", tmp_path / "secrets", tmp_path / "gcs"
    for d in (home, secrets, gcs_dir):
        d.mkdir()
    # The user's own credentials files live outside the swept HOME (they hold the secrets by design).
    (secrets / "token").write_text(GCS_TOKEN + "\n")
    (secrets / "renewed").write_text(GCS_RENEWED + "\n")
    adc = secrets / "adc.json"
    adc.write_text(json.dumps({"type": "authorized_user", "client_id": "sweep.apps.googleusercontent.com", "client_secret": ADC_CLIENT_SECRET, "refresh_token": ADC_REFRESH, "token_uri": "http://127.0.0.1:9/token"}))
    for f in secrets.iterdir():
        f.chmod(0o600)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GOOGLE_"))}
    base.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    base.update(AWS_SHARED_CREDENTIALS_FILE="/nonexistent/c", AWS_CONFIG_FILE="/nonexistent/c")
    outputs = []

    def run(*args, env=None, ok=True):
        r = subprocess.run([ferry_bin, *map(str, args)], capture_output=True, text=True, env={**base, **(env or {})}, timeout=120)
        outputs.append(f"$ ferry {' '.join(map(str, args))}\n{r.stdout}{r.stderr}")
        assert (r.returncode == 0) == ok, f"ferry {args}: {r.returncode}\n{r.stdout}\n{r.stderr}"
        return r

    keys = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET}
    wrong = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": WRONG_SECRET}
    with S3Server(KEY, S3_SECRET, ["inbox"]) as s3:
        ep = ["--endpoint", s3.endpoint, "--progress", "json"]
        run("check", "--to", "s3://inbox/me/a.zarr", "--endpoint", s3.endpoint, env=keys)
        run("check", "--to", "s3://inbox/me/a.zarr", "--endpoint", s3.endpoint, env=wrong, ok=False)
        run("test-write", SRC, "--to", "s3://inbox/me/a.zarr", *ep, env=keys)
        run("upload", SRC, "--to", "s3://inbox/me/a.zarr", *ep, env=wrong, ok=False)
        run("upload", SRC, "--to", "s3://inbox/me/a.zarr", *ep, env=keys)
        run("upload", SRC, "--to", "s3://inbox/me/a.zarr", *ep, "--resume", env=keys)
        run("draft-issue", "--store", "s3://inbox/me/a.zarr", "--endpoint", s3.endpoint, SRC, env=keys)
        run("rm", "s3://inbox/me/a.zarr", "--endpoint", s3.endpoint, "--yes", env=keys)
        s3_files = [p for p in Path(s3.dir).rglob("*") if p.is_file()]
        s3_bytes = [p.read_bytes() for p in s3_files]
    # GCS: a token that expires mid-upload (the CLI stops, resumable), then a renewed one resumes.
    proc, gcs = gcs_stub(gcs_dir, "--fail-after", "12", "--next-token", GCS_RENEWED)
    try:
        g = ["--endpoint", gcs, "--progress", "json"]
        run("upload", SRC, "--to", "gs://sweep/me/b.zarr", *g, "--chunks", "time=6", "--token-file", secrets / "token", ok=False)
        run("upload", SRC, "--to", "gs://sweep/me/b.zarr", *g, "--chunks", "time=6", "--token-file", secrets / "renewed", "--resume")
        # Application default credentials whose token endpoint does not answer: a clear failure.
        run("test-write", SRC, "--to", "gs://sweep/me/c.zarr", *g, env={"GOOGLE_APPLICATION_CREDENTIALS": str(adc)}, ok=False)
        run("login", "gcs", env={"GOOGLE_APPLICATION_CREDENTIALS": str(adc)})
    finally:
        proc.kill()
        proc.wait()
    assert any(gcs_dir.rglob("*.zmetadata*")) or any("zmetadata" in p.name for p in gcs_dir.rglob("*")), "the GCS upload finished"

    found = []
    text = "\n".join(outputs)
    for c in CANARIES:
        if c in text:
            found.append(f"{c} in the output of:\n" + next(o for o in outputs if c in o)[:400])
    swept = [p for p in home.rglob("*") if p.is_file()] + [p for p in gcs_dir.rglob("*") if p.is_file()]
    assert any("uploads" in str(p) for p in home.rglob("*")), "the sweep covers the local upload records"
    for p in swept:
        data = p.read_bytes()
        found += [f"{c} in {p}" for c in CANARIES if c.encode() in data]
    for p, data in zip(s3_files, s3_bytes):
        found += [f"{c} in {p}" for c in CANARIES if c.encode() in data]
    assert not found, "\n".join(found)
