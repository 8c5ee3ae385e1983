"""`ferry upload` and `ferry test-write` to object storage on loopback, read back by xarray
exactly as the LEAP catalog reads a store:

    xr.open_dataset("s3://bucket/...", engine="zarr", chunks={},
                    storage_options={"key": ..., "secret": ..., "client_kwargs": {"endpoint_url": ...}})

which must equal xr.open_mfdataset(files, combine="by_coords", data_vars="minimal",
coords="minimal", compat="override") (store_compare.compare: variables, coords, sizes, values
NaN-aware and bit for bit raw, attributes, CF encoding).

S3 is s3s-fs (checks SigV4 signatures; installed by scripts/install-deps), GCS the XML-API stub
tests/servers/gcs_stub.py (checks the bearer token). Needs s3fs in the venv (tests/requirements.txt).

Run: FERRY_BIN=/root/.cache/ferry-target/debug/ferry \\
     /root/.cache/ferry-venv/bin/python -m pytest tests/interop/test_upload_remote.py -v
"""

import importlib.util
import json
import subprocess
import sys
import urllib.request
from xml.etree import ElementTree as ET

import pytest

from conftest import FIXTURES, HERE
from store_compare import compare

SERVERS = HERE.parent / "servers"
BUCKET = "ferry-interop"
KEY, SECRET = "ferry-interop-key", "ferry-interop-secret-0123456789"
TOKEN = "ya29.ferry-interop-token"

DATASETS = {
    "A1B_by_year": FIXTURES / "derived" / "A1B_by_year",
    "navy_winds_by_year": FIXTURES / "derived" / "navy_winds_by_year",
}


def files_of(d):
    return sorted(p for p in d.iterdir() if p.suffix in (".nc", ".cdf"))


def _load_s3_helper():
    spec = importlib.util.spec_from_file_location("ferry_s3_server", SERVERS / "s3.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# -- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3():
    helper = _load_s3_helper()
    if not helper.find_binary():
        pytest.skip("s3s-fs is not installed: scripts/install-deps installs it (cargo install s3s-fs@0.14.1 --features binary --locked)")
    pytest.importorskip("s3fs", reason="s3fs is missing from the venv: pip install -r tests/requirements.txt")
    srv = helper.S3Server(KEY, SECRET, [BUCKET]).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def gcs():
    proc = subprocess.Popen(
        [sys.executable, str(SERVERS / "gcs_stub.py"), "--port", "0", "--token", TOKEN, "--bucket", BUCKET, "--exit-on-stdin-eof"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    port = int(proc.stdout.readline())
    yield f"http://127.0.0.1:{port}"
    proc.kill()
    proc.wait()


@pytest.fixture
def s3_env(monkeypatch):
    """Ferry takes S3 keys from the environment; nothing else of the user's AWS setup may leak in."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    for v in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/ferry-test/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/ferry-test/config")


@pytest.fixture
def token_file(tmp_path):
    f = tmp_path / "token.txt"
    f.write_text(TOKEN + "\n")
    f.chmod(0o600)
    return f


def storage_options(s3):
    return {"key": KEY, "secret": SECRET, "client_kwargs": {"endpoint_url": s3.endpoint}}


def s3_keys(s3, prefix=""):
    """Every object in the bucket (under prefix), as bucket-relative keys: ListObjectsV2, paginated.
    (Not s3fs.find, which lists s3s-fs folders as objects.)"""
    import botocore.session

    c = botocore.session.get_session().create_client(
        "s3", endpoint_url=s3.endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET, region_name="us-east-1"
    )
    keys = set()
    for page in c.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        keys |= {o["Key"] for o in page.get("Contents", [])}
    return keys


def gcs_keys(endpoint, prefix=""):
    """Every object in the stub's bucket (under prefix), through its XML list API."""
    keys, token = set(), None
    while True:
        q = f"list-type=2&prefix={urllib.request.quote(prefix, safe='')}"
        if token:
            q += f"&continuation-token={urllib.request.quote(token, safe='')}"
        req = urllib.request.Request(f"{endpoint}/{BUCKET}?{q}", headers={"Authorization": f"Bearer {TOKEN}"})
        root = ET.fromstring(urllib.request.urlopen(req, timeout=10).read())
        ns = {"s3": root.tag.split("}")[0][1:]} if root.tag.startswith("{") else {}
        p = "s3:" if ns else ""
        keys |= {e.text for e in root.findall(f"{p}Contents/{p}Key", ns)}
        token = root.findtext(f"{p}NextContinuationToken", None, ns)
        if not token:
            return keys


def last_json(run):
    lines = [l for l in run.stdout.splitlines() if l.strip().startswith("{")]
    assert lines, run
    return json.loads(lines[-1])


# -- S3: upload, then read as the catalog does -------------------------------------------------


@pytest.mark.parametrize("fmt", [2, 3])
@pytest.mark.parametrize("name", list(DATASETS))
def test_upload_to_s3_reads_back_equal_to_the_sources(ferry, s3, s3_env, name, fmt):
    prefix = f"uploads/{name}-v{fmt}.zarr"
    url = f"s3://{BUCKET}/{prefix}"
    r = ferry("upload", DATASETS[name], "--to", url, "--endpoint", s3.endpoint, "--zarr-format", fmt, "--progress", "json")
    assert r.code == 0, r
    summary = last_json(r)["summary"]
    assert summary["url"] == url
    keys = s3_keys(s3, prefix + "/")
    assert summary["objects"] == len(keys), (summary, sorted(keys))
    # Complete: the consolidated metadata is there.
    if fmt == 2:
        assert f"{prefix}/.zmetadata" in keys
    else:
        import s3fs

        fs = s3fs.S3FileSystem(**storage_options(s3))
        root = json.loads(fs.cat(f"{BUCKET}/{prefix}/zarr.json"))
        assert root["consolidated_metadata"]["kind"] == "inline"
    # The catalog's call (consolidated=True: no silent fallback to listing the store).
    compare(url, files_of(DATASETS[name]), store_kw={"storage_options": storage_options(s3), "consolidated": True})


def test_upload_to_s3_refuses_an_existing_store_then_overwrites(ferry, s3, s3_env):
    src = DATASETS["A1B_by_year"]
    url = f"s3://{BUCKET}/again/a1b.zarr"
    assert ferry("upload", src, "--to", url, "--endpoint", s3.endpoint, "--progress", "none").code == 0
    n = len(s3_keys(s3, "again/a1b.zarr/"))
    r = ferry("upload", src, "--to", url, "--endpoint", s3.endpoint, "--progress", "none")
    assert r.code == 1 and "error[store_exists]" in r.stderr, r
    assert len(s3_keys(s3, "again/a1b.zarr/")) == n
    r = ferry("upload", src, "--to", url, "--endpoint", s3.endpoint, "--progress", "none", "--overwrite")
    assert r.code == 0, r
    compare(url, files_of(src), store_kw={"storage_options": storage_options(s3)})


def test_upload_to_s3_with_a_wrong_secret_is_access_denied_and_never_prints_it(ferry, s3, s3_env, monkeypatch):
    wrong = "wrong-secret-that-must-not-be-printed"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", wrong)
    r = ferry("upload", DATASETS["A1B_by_year"], "--to", f"s3://{BUCKET}/denied/a.zarr", "--endpoint", s3.endpoint, "--progress", "none")
    assert r.code == 1 and "error[access_denied]" in r.stderr, r
    assert wrong not in r.stdout + r.stderr
    assert not s3_keys(s3, "denied/")


def test_upload_to_a_missing_s3_bucket_is_no_such_bucket(ferry, s3, s3_env):
    r = ferry("upload", DATASETS["A1B_by_year"], "--to", "s3://no-such-bucket/x/a.zarr", "--endpoint", s3.endpoint, "--progress", "none")
    assert r.code == 1 and "error[no_such_bucket]" in r.stderr, r


# -- test-write: to S3 and to GCS, nothing left behind ------------------------------------------


def test_test_write_to_s3_leaves_nothing_behind(ferry, s3, s3_env):
    before = s3_keys(s3)
    url = f"s3://{BUCKET}/tw/navy.zarr"
    r = ferry("test-write", DATASETS["navy_winds_by_year"], "--to", url, "--endpoint", s3.endpoint, "--progress", "none")
    assert r.code == 0, r
    assert "read back identical" in r.stdout, r
    assert s3_keys(s3) == before
    # --keep: the test store stays beside the real one (complete), and nothing else is written.
    r = ferry("test-write", DATASETS["navy_winds_by_year"], "--to", url, "--endpoint", s3.endpoint, "--progress", "none", "--keep")
    assert r.code == 0, r
    new = s3_keys(s3) - before
    assert new and all(k.startswith("tw/navy.ferry-test.zarr/") for k in new), sorted(new)
    assert "tw/navy.ferry-test.zarr/.zmetadata" in new


def test_test_write_to_gcs_leaves_nothing_behind(ferry, gcs, token_file):
    before = gcs_keys(gcs)
    url = f"gs://{BUCKET}/tw/a1b.zarr"
    r = ferry("test-write", DATASETS["A1B_by_year"], "--to", url, "--endpoint", gcs, "--token-file", token_file, "--progress", "json")
    assert r.code == 0, r
    report = last_json(r)["test_write"]
    assert report["test_url"] == f"gs://{BUCKET}/tw/a1b.ferry-test.zarr"
    assert report["objects"] > 0 and not report["kept"]
    assert gcs_keys(gcs) == before


def test_upload_to_gcs_then_list(ferry, gcs, token_file):
    url = f"gs://{BUCKET}/uploads/navy.zarr"
    r = ferry("upload", DATASETS["navy_winds_by_year"], "--to", url, "--endpoint", gcs, "--token-file", token_file, "--progress", "json")
    assert r.code == 0, r
    summary = last_json(r)["summary"]
    keys = gcs_keys(gcs, "uploads/navy.zarr/")
    assert summary["objects"] == len(keys)
    assert "uploads/navy.zarr/.zmetadata" in keys


def test_gcs_with_a_wrong_token_is_access_denied_and_never_prints_it(ferry, gcs, tmp_path):
    wrong = "ya29.wrong-token-that-must-not-be-printed"
    f = tmp_path / "wrong.txt"
    f.write_text(wrong)
    f.chmod(0o600)
    r = ferry("test-write", DATASETS["A1B_by_year"], "--to", f"gs://{BUCKET}/denied/a.zarr", "--endpoint", gcs, "--token-file", f, "--progress", "none")
    assert r.code == 1 and "error[access_denied]" in r.stderr, r
    assert wrong not in r.stdout + r.stderr
    assert not gcs_keys(gcs, "denied/")
