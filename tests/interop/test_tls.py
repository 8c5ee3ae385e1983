"""Real storage speaks https: an upload over TLS to a GCS stub with a self-signed certificate
for 127.0.0.1. Trusted through SSL_CERT_FILE it works, and the store equals its sources; untrusted
it is refused with a clear error (the certificate is verified, never skipped).

And S3 over TLS (tests/servers/fault_proxy.py terminating TLS in front of s3s-fs, as a load balancer
does in front of Ceph): the bodies go up as UNSIGNED-PAYLOAD, since TLS already protects them and
hashing each byte for the signature is a SHA-256 pass over the whole upload; over plain http every
body stays signed."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

from conftest import FIXTURES
from store_compare import compare

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "servers"))
from fault_proxy import FaultProxy  # noqa: E402
from s3 import S3Server  # noqa: E402

SERVERS = Path(__file__).resolve().parents[1] / "servers"
SRC = FIXTURES / "derived" / "A1B_by_year"
TOKEN = "ya29.tls-test"


def make_certificates(tmp_path):
    """A test CA, and a server certificate for 127.0.0.1 it signs (verifiers refuse a CA as the server's own)."""
    ca, ca_key, cert, key, ext = (tmp_path / n for n in ("ca.pem", "ca.key", "cert.pem", "key.pem", "ext.cnf"))
    sh = lambda *a: subprocess.run(list(map(str, a)), check=True, capture_output=True)
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=Ferry test CA")
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", tmp_path / "req.csr", "-subj", "/CN=127.0.0.1")
    ext.write_text("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n")
    sh("openssl", "x509", "-req", "-in", tmp_path / "req.csr", "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext)
    return ca, cert, key


def test_upload_over_tls_verifies_the_certificate(ferry_bin, tmp_path):
    ca, cert, key = make_certificates(tmp_path)
    (tmp_path / "token").write_text(TOKEN)
    (tmp_path / "token").chmod(0o600)
    data = tmp_path / "gcs"
    data.mkdir()
    proc = subprocess.Popen(
        [sys.executable, str(SERVERS / "gcs_stub.py"), "--port", "0", "--token", TOKEN, "--bucket", "tls", "--dir", str(data),
         "--tls-cert", str(cert), "--tls-key", str(key), "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        endpoint = f"https://127.0.0.1:{int(proc.stdout.readline())}"
        base = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
        args = [ferry_bin, "upload", str(SRC), "--to", "gs://tls/me/a.zarr", "--endpoint", endpoint, "--token-file", str(tmp_path / "token"), "--progress", "none"]
        untrusted = subprocess.run(args, capture_output=True, text=True, env=base, timeout=60)
        trusted = subprocess.run(args, capture_output=True, text=True, env={**base, "SSL_CERT_FILE": str(ca)}, timeout=120)
    finally:
        proc.kill()
        proc.wait()
    assert untrusted.returncode == 1, untrusted.stderr
    assert "error[store_unreachable]" in untrusted.stderr and "hint:" in untrusted.stderr, untrusted.stderr
    assert trusted.returncode == 0, trusted.stderr
    store = tmp_path / "a.zarr"
    for f in (data / "tls").iterdir():
        k = urllib.parse.unquote(f.name)
        if k.startswith("me/a.zarr/"):
            out = store / k[len("me/a.zarr/"):]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(f.read_bytes())
    compare(str(store), sorted(str(p) for p in SRC.glob("*.nc")))


def test_s3_over_tls_sends_unsigned_payloads_and_http_signed_ones(ferry_bin, tmp_path):
    ca, cert, key = make_certificates(tmp_path)
    files = sorted(str(p) for p in SRC.glob("*.nc"))
    base = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR", "AWS_PROFILE")}
    env = {**base, "AWS_ACCESS_KEY_ID": "tlskey", "AWS_SECRET_ACCESS_KEY": "tlssecret-0123456789", "SSL_CERT_FILE": str(ca)}
    with S3Server("tlskey", "tlssecret-0123456789", ["inbox"]) as s3:
        with FaultProxy(s3.endpoint, tls=(cert, key), log=False) as https, FaultProxy(s3.endpoint, log=False) as http:
            assert https.endpoint.startswith("https://") and http.endpoint.startswith("http://")
            for name, proxy in (("tls", https), ("plain", http)):
                r = subprocess.run([ferry_bin, "upload", *files, "--to", f"s3://inbox/{name}.zarr", "--endpoint", proxy.endpoint, "--progress", "none"],
                                   capture_output=True, text=True, env=env, timeout=120)
                assert r.returncode == 0, r.stderr
            # Every body over TLS unsigned, every one over http signed (chunks, metadata, the record).
            assert https.counts["unsigned_puts"] > 5 and https.counts["signed_puts"] == 0, https.counts
            assert http.counts["signed_puts"] > 5 and http.counts["unsigned_puts"] == 0, http.counts
            assert https.counts["signed_puts"] + https.counts["unsigned_puts"] == http.counts["signed_puts"] + http.counts["unsigned_puts"]
        for name in ("tls", "plain"):
            compare(str(Path(s3.dir) / "inbox" / f"{name}.zarr"), files)
