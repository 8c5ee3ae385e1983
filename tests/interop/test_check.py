"""Sign-in checks against the loopback S3 server: list/write/delete, wrong keys, rclone remotes,
AWS profiles; and the secret never appears in what Ferry prints."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "servers"))
from s3 import S3Server, find_binary  # noqa: E402

KEY, SECRET = "checkkey", "CANARY-s3cr3t-7f3a9c"


@pytest.fixture(scope="module")
def s3():
    if not find_binary():
        pytest.skip("s3s-fs is not installed (scripts/install-deps installs it)")
    with S3Server(KEY, SECRET, ["inbox"]) as srv:
        yield srv


def run(ferry_bin, *args, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run([ferry_bin, *map(str, args)], capture_output=True, text=True, env={**base, **(env or {})}, timeout=60)


def test_check_with_keys(ferry_bin, s3):
    env = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET}
    r = run(ferry_bin, "check", "--to", "s3://inbox/alice/a.zarr", "--endpoint", s3.endpoint, env=env)
    assert r.returncode == 0, r.stderr
    assert "list: yes   write: yes   delete: yes" in r.stdout
    assert "AWS_ACCESS_KEY_ID" in r.stdout
    assert not any(Path(s3.dir, "inbox").rglob(".ferry-access-check"))
    assert SECRET not in r.stdout + r.stderr


def test_wrong_secret_is_access_denied_and_never_printed(ferry_bin, s3):
    env = {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": "CANARY-wrong-99"}
    r = run(ferry_bin, "check", "--to", "s3://inbox/alice/a.zarr", "--endpoint", s3.endpoint, env=env)
    assert r.returncode == 1
    assert "error[access_denied]" in r.stderr
    assert "CANARY" not in r.stdout + r.stderr


def test_aws_profile_and_rclone_remote(ferry_bin, s3, tmp_path):
    creds = tmp_path / "credentials"
    creds.write_text(f"[osn]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    creds.chmod(0o600)
    config = tmp_path / "config"
    config.write_text(f"[profile osn]\nregion = us-east-1\nendpoint_url = {s3.endpoint}\n")
    env = {"AWS_SHARED_CREDENTIALS_FILE": str(creds), "AWS_CONFIG_FILE": str(config)}
    r = run(ferry_bin, "upload", FIXTURES / "derived" / "A1B_by_year", "--to", "s3://inbox/bob/a.zarr", "--profile", "osn", "--progress", "none", env=env)
    assert r.returncode == 0, r.stderr
    assert SECRET not in r.stdout + r.stderr

    rc = tmp_path / "rclone.conf"
    rc.write_text(f"[pod]\ntype = s3\nprovider = Ceph\nendpoint = {s3.endpoint}\naccess_key_id = {KEY}\nsecret_access_key = {SECRET}\n")
    rc.chmod(0o644)  # readable by others: Ferry warns
    r = run(ferry_bin, "check", "--to", "s3://inbox/bob/b.zarr", "--profile", "rclone:pod", env={"RCLONE_CONFIG": str(rc)})
    assert r.returncode == 0, r.stderr
    assert "readable by other users" in r.stderr
    assert SECRET not in r.stdout + r.stderr

    rc.write_text("# Encrypted rclone configuration File\n\nRCLONE_ENCRYPT_V0:\nabcdef\n")
    r = run(ferry_bin, "check", "--to", "s3://inbox/bob/b.zarr", "--profile", "rclone:pod", "--endpoint", s3.endpoint, env={"RCLONE_CONFIG": str(rc)})
    assert r.returncode == 1
    assert "encrypted" in r.stderr
