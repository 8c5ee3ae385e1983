"""Application default credentials of a service account (GOOGLE_APPLICATION_CREDENTIALS): Ferry
(through object_store) signs a JWT with the account's key and uploads with it; the GCS stub checks
the JWT's issuer, expiry and RS256 signature against the account's public key. The store is then
compared with its sources by xarray. `ferry login gcs` names the account and never prints the key."""

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

from conftest import FIXTURES
from store_compare import compare

SERVERS = Path(__file__).resolve().parents[1] / "servers"
EMAIL = "uploader@ferry-test.iam.gserviceaccount.com"
SRC = FIXTURES / "derived" / "A1B_by_year"


def test_service_account_uploads_and_is_named(ferry_bin, tmp_path):
    key, pub = tmp_path / "key.pem", tmp_path / "pub.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(key)], check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-out", str(pub)], check=True, capture_output=True)
    sa = tmp_path / "sa.json"
    sa.write_text(json.dumps({"type": "service_account", "project_id": "ferry-test", "private_key_id": "k1", "private_key": key.read_text(), "client_email": EMAIL, "token_uri": "http://127.0.0.1:9/token"}))
    sa.chmod(0o600)
    data = tmp_path / "gcs"
    data.mkdir()
    proc = subprocess.Popen(
        [sys.executable, str(SERVERS / "gcs_stub.py"), "--port", "0", "--token", "not-used", "--bucket", "sa-bucket", "--dir", str(data),
         "--service-account", EMAIL, "--sa-public-key", str(pub), "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        endpoint = f"http://127.0.0.1:{int(proc.stdout.readline())}"
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("GOOGLE_")}, "GOOGLE_APPLICATION_CREDENTIALS": str(sa), "HOME": str(tmp_path)}
        r = subprocess.run([ferry_bin, "upload", str(SRC), "--to", "gs://sa-bucket/me/sa.zarr", "--endpoint", endpoint, "--progress", "none"], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        login = subprocess.run([ferry_bin, "login", "gcs"], capture_output=True, text=True, env=env, timeout=30)
        # A key that is not the account's is refused (the stub really verifies).
        other = tmp_path / "other.pem"
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(other)], check=True, capture_output=True)
        sa.write_text(json.dumps({**json.loads(sa.read_text()), "private_key": other.read_text()}))
        bad = subprocess.run([ferry_bin, "test-write", str(SRC), "--to", "gs://sa-bucket/me/bad.zarr", "--endpoint", endpoint, "--progress", "none"], capture_output=True, text=True, env=env, timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert f"the service account {EMAIL}" in login.stdout, login.stdout
    assert "PRIVATE KEY" not in login.stdout + login.stderr + r.stdout + r.stderr + bad.stdout + bad.stderr
    assert bad.returncode == 1 and "error[access_denied]" in bad.stderr, bad.stderr
    # The stub keeps objects as files named by their quoted keys: rebuild the store, then compare.
    store = tmp_path / "sa.zarr"
    prefix = "me/sa.zarr/"
    for f in (data / "sa-bucket").iterdir():
        k = urllib.parse.unquote(f.name)
        if k.startswith(prefix):
            out = store / k[len(prefix):]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(f.read_bytes())
    compare(str(store), sorted(str(p) for p in SRC.glob("*.nc")))
