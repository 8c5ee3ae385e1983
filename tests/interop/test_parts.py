"""An upload split across processes, as on an HPC cluster: `ferry upload --init`, N × `--part I/N`,
`--finalize`, against the loopback S3 server; and the job-array script of `ferry plan --slurm N`
run through a stand-in `sbatch` that executes the jobs here, in dependency order."""

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from store_compare import compare
# The loopback S3 server fixture (module-scoped: this module gets its own server) and the dataset.
from test_resume import KEY, SECRET, make_dataset, s3, tree  # noqa: F401

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "servers"))
from fault_proxy import FaultProxy  # noqa: E402

# Small chunks: ~1 MB each, so 4 parts get several each and a kill lands mid-part.
CHUNK_MB = "2"


@pytest.fixture(scope="module")
def src(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("parts") / "src", days=24)


def env(tmp):
    return {**os.environ, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "FERRY_DATA_DIR": str(tmp / "data")}


def upload(ferry_bin, src, dest, s3, tmp, *extra, concurrency=2):
    cmd = [ferry_bin, "upload", src, "--to", dest, "--endpoint", s3.endpoint, "--target-chunk-mb", CHUNK_MB, "--concurrency", str(concurrency), *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(tmp))


def finish(p, timeout=300):
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


@pytest.fixture(scope="module")
def reference(ferry_bin, s3, src, tmp_path_factory):
    """One uninterrupted single-process upload: what every split upload must equal, byte for byte."""
    tmp = tmp_path_factory.mktemp("ref")
    code, out, err = finish(upload(ferry_bin, src, "s3://inbox/one.zarr", s3, tmp))
    assert code == 0, err
    return tree(Path(s3.dir) / "inbox" / "one.zarr")


def same_as(reference, s3, name):
    got = tree(Path(s3.dir) / "inbox" / name)
    assert got.keys() == reference.keys(), got.keys() ^ reference.keys()
    assert [k for k in reference if reference[k] != got[k]] == []


def test_four_processes_write_the_same_store_as_one(ferry_bin, s3, src, reference, tmp_path):
    code, out, err = finish(upload(ferry_bin, src, "s3://inbox/four.zarr", s3, tmp_path, "--init", "--parts", "4"))
    assert code == 0, err
    assert "initialised" in out
    store = Path(s3.dir) / "inbox" / "four.zarr"
    assert (store / ".ferry-upload.json").exists() and not (store / ".zmetadata").exists()
    # The four parts at once, as a job array would run them.
    procs = [upload(ferry_bin, src, "s3://inbox/four.zarr", s3, tmp_path, "--part", f"{i}/4", "--progress", "json") for i in range(1, 5)]
    written = []
    for p in procs:
        code, out, err = finish(p)
        assert code == 0, err
        written.append(json.loads(out.splitlines()[-1])["summary"]["chunks"])
    assert min(written) > 0, f"a part had nothing to do: {written}"
    assert not (store / ".zmetadata").exists(), "a part must not consolidate: the others may still be writing"
    code, out, err = finish(upload(ferry_bin, src, "s3://inbox/four.zarr", s3, tmp_path, "--finalize"))
    assert code == 0, err
    same_as(reference, s3, "four.zarr")
    compare("s3://inbox/four.zarr", sorted(src.glob("*.nc")),
            store_kw={"storage_options": {"key": KEY, "secret": SECRET, "client_kwargs": {"endpoint_url": s3.endpoint}}})


def test_a_killed_part_runs_again_and_finalize_names_what_is_missing(ferry_bin, s3, src, reference, tmp_path):
    name = "s3://inbox/killed.zarr"
    assert finish(upload(ferry_bin, src, name, s3, tmp_path, "--init", "--parts", "4"))[0] == 0
    for i in (1, 2, 4):
        code, _, err = finish(upload(ferry_bin, src, name, s3, tmp_path, "--part", f"{i}/4"))
        assert code == 0, err
    # Part 3 dies after its first chunk is confirmed: requests slowed down (a proxy delays each up
    # to 300 ms) so that the kill lands mid-part, not after its last chunk.
    with FaultProxy(s3.endpoint, delay_ms=300, log=False) as proxy:
        p = subprocess.Popen([ferry_bin, "upload", src, "--to", name, "--endpoint", proxy.endpoint, "--target-chunk-mb", CHUNK_MB,
                              "--concurrency", "1", "--part", "3/4", "--progress", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(tmp_path))
        for line in p.stdout:
            event = json.loads(line) if line.startswith("{") else {}
            if event.get("chunks_done", 0) >= 1:
                break
        p.send_signal(signal.SIGKILL)
        assert p.wait() == -signal.SIGKILL
    assert 1 <= event["chunks_done"] < event["chunks_total"], f"the kill did not land mid-part: {event}"
    code, out, err = finish(upload(ferry_bin, src, name, s3, tmp_path, "--finalize"))
    assert code != 0
    assert "error[store_incomplete]" in err and "chunks are missing: pr/" in err, err
    assert "--part 3/4" in err and "--part 1/4" not in err, err
    assert not (Path(s3.dir) / "inbox" / "killed.zarr" / ".zmetadata").exists()
    # Run again: it skips what it wrote before the kill.
    code, out, err = finish(upload(ferry_bin, src, name, s3, tmp_path, "--part", "3/4", "--progress", "json"))
    assert code == 0, err
    summary = json.loads(out.splitlines()[-1])["summary"]
    assert summary["chunks_skipped"] >= 1, summary
    assert finish(upload(ferry_bin, src, name, s3, tmp_path, "--finalize"))[0] == 0
    same_as(reference, s3, "killed.zarr")
    # Finalized: nothing is left to continue, and it says so.
    code, _, err = finish(upload(ferry_bin, src, name, s3, tmp_path, "--part", "1/4"))
    assert code != 0 and "error[nothing_to_resume]" in err


def test_a_part_refuses_other_options_than_init(ferry_bin, s3, src, tmp_path):
    name = "s3://inbox/mixed.zarr"
    assert finish(upload(ferry_bin, src, name, s3, tmp_path, "--init"))[0] == 0
    code, _, err = finish(upload(ferry_bin, src, name, s3, tmp_path, "--part", "1/2", "--compression", "gzip:4"))
    assert code != 0 and "error[sources_changed]" in err, err


# A stand-in for SLURM's sbatch: runs each job at once (so dependencies hold), an array's tasks in
# parallel, and logs what it was asked. Enough to prove the script's logic, not SLURM itself.
FAKE_SBATCH = textwrap.dedent(r"""
    #!/usr/bin/env python3
    import json, os, subprocess, sys
    log = os.environ["FAKE_SLURM_LOG"]
    args = sys.argv[1:]
    opts = [a for a in args if a.startswith("--")]
    script, script_args = next((args[i], args[i + 1:]) for i, a in enumerate(args) if not a.startswith("--"))
    ids = os.path.join(os.path.dirname(log), "next-id")
    job = int(open(ids).read()) if os.path.exists(ids) else 100
    open(ids, "w").write(str(job + 1))
    array = next((o.split("=", 1)[1] for o in opts if o.startswith("--array=")), None)
    if array and "-" in array:
        a, b = map(int, array.split("-"))
        tasks = list(range(a, b + 1))
    else:
        tasks = [int(array)] if array else [None]
    procs = []
    for t in tasks:
        e = dict(os.environ, SLURM_JOB_ID=str(job))
        if t is not None:
            e["SLURM_ARRAY_TASK_ID"] = str(t)
        out = open(os.path.join(os.path.dirname(log), f"job-{job}-{t}.log"), "w")
        procs.append(subprocess.Popen(["bash", script, *script_args], env=e, stdout=out, stderr=subprocess.STDOUT))
    codes = [p.wait() for p in procs]
    with open(log, "a") as f:
        f.write(json.dumps({"job": job, "opts": opts, "args": script_args, "tasks": tasks, "codes": codes}) + "\n")
    print(f"{job};cluster")
""").lstrip()


def test_slurm_job_array_script(ferry_bin, ferry, s3, src, reference, tmp_path):
    r = ferry("plan", "--slurm", "3", src, "--to", "s3://inbox/slurm.zarr", "--endpoint", s3.endpoint,
              "--target-chunk-mb", CHUNK_MB, "--concurrency", "2")
    assert r.code == 0, r
    assert KEY not in r.stdout and SECRET not in r.stdout
    script = tmp_path / "ferry-upload.sh"
    script.write_text(r.stdout)
    assert subprocess.run(["bash", "-n", script]).returncode == 0
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text(FAKE_SBATCH)
    (bin_dir / "sbatch").chmod(0o755)
    log = tmp_path / "slurm" / "calls.jsonl"
    log.parent.mkdir()
    e = {**env(tmp_path), "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_SLURM_LOG": str(log)}
    # Unset cluster variables: it refuses to submit and says which.
    p = subprocess.run(["bash", script], env=e, capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 2 and "set ACCOUNT" in p.stderr
    assert not log.exists()
    p = subprocess.run(["bash", script], env={**e, "ACCOUNT": "leap", "PARTITION": "short"}, capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    calls = [json.loads(l) for l in log.read_text().splitlines()]
    assert [c["args"] for c in calls] == [["init"], ["part"], ["finalize"]]
    assert calls[1]["tasks"] == [1, 2, 3] and calls[1]["codes"] == [0, 0, 0], calls
    assert "--dependency=afterok:100" in calls[1]["opts"] and "--dependency=afterany:101" in calls[2]["opts"]
    assert all("--account=leap" in c["opts"] and "--partition=short" in c["opts"] for c in calls)
    assert calls[2]["codes"] == [0], (tmp_path / "slurm" / "job-102-None.log").read_text()
    assert "submitted: init 100, parts 101 (array 1-3), finalize 102" in p.stdout
    same_as(reference, s3, "slurm.zarr")
    # `again K` re-runs one part and finalize; on a finished store the part says it is complete.
    p = subprocess.run(["bash", script, "again", "2"], env={**e, "ACCOUNT": "leap", "PARTITION": "short"}, capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    calls = [json.loads(l) for l in log.read_text().splitlines()]
    assert calls[3]["tasks"] == [2] and calls[3]["codes"] == [1]
    assert "nothing_to_resume" in (tmp_path / "slurm" / "job-103-2.log").read_text()
    same_as(reference, s3, "slurm.zarr")
