"""`ferry inspect` on every case of tests/gen/make_bad_inputs.py: never a panic, the
expected exit code and error/problem code, and error messages that name the file.

Run: FERRY_BIN=/root/.cache/ferry-target/debug/ferry \
     /root/.cache/ferry-venv/bin/python -m pytest tests/interop/test_bad_inputs.py -v
Set BAD_INPUTS_DIR to reuse a corpus already generated there (else a temp dir is used).
"""

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GEN = HERE.parent / "gen" / "make_bad_inputs.py"
MANY = 100


def _corpus():
    """Generate the corpus once per run (at collection: the cases parametrize the tests)."""
    out = os.environ.get("BAD_INPUTS_DIR")
    if not out:
        out = tempfile.mkdtemp(prefix="ferry-bad-")

        def cleanup():
            for root, dirs, files in os.walk(out):
                for f in files:
                    p = os.path.join(root, f)
                    if not os.path.islink(p):
                        os.chmod(p, 0o644)
            shutil.rmtree(out, ignore_errors=True)

        atexit.register(cleanup)
    if not (Path(out) / "cases.json").exists() or not (Path(out) / "many").is_dir():
        subprocess.run([sys.executable, str(GEN), out, "--many", str(MANY)], check=True, capture_output=True)
    return Path(out), json.loads((Path(out) / "cases.json").read_text())


CORPUS, CASES = _corpus()


def codes(case):
    c = CASES[case]["code"]
    return [] if c is None else [c] if isinstance(c, str) else list(c)


def expected_exit(case):
    expect = CASES[case]["expect"]
    if expect == "skip_if_root":
        if os.geteuid() == 0:
            pytest.skip("root can read a chmod 000 file")
        return 1
    return {"error": 1, "ok": 0}[expect]


def assert_no_panic(run):
    assert "panicked at" not in run.stderr, run
    assert run.code in (0, 1), run


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_json(ferry, case):
    spec = CASES[case]
    want_exit = expected_exit(case)
    run = ferry("inspect", CORPUS / case, "--json")
    assert_no_panic(run)
    assert run.code == want_exit, f"{spec['note']}\n{run!r}"

    ds = run.json["dataset"] if run.json else None
    problems = ds["problems"] if ds else []
    found = {p["code"] for p in problems}
    for code in codes(case):
        assert f"error[{code}]" in run.stderr or code in found, f"expected code {code}: {spec['note']}\n{run!r}"
    for code in spec.get("absent", []):
        assert code not in found, [p for p in problems if p["code"] == code]

    if run.code == 1 and ds is None:
        # A fatal error: the last stderr lines are `error[code]: message` and `  hint: ...`.
        lines = run.stderr.rstrip("\n").splitlines()
        assert any(line.startswith("error[") for line in lines[-2:]), run
        assert lines[-1].startswith("  hint: "), run

    if spec["expect"] != "ok" and spec["names"]:
        msgs = [p["message"] for p in problems if p["code"] in codes(case)]
        assert spec["names"] in run.stderr or any(spec["names"] in m for m in msgs), \
            f"the message should name {spec['names']}\n{run!r}"

    if "attr" in spec:
        name, value = spec["attr"]
        attrs = {a["name"]: a["value"] for a in ds["attrs"]}
        assert attrs.get(name) == value, attrs.get(name)
    if "order" in spec:
        assert [Path(f["path"]).name for f in ds["files"]] == spec["order"]
    if spec.get("skipped"):
        assert ds["skipped"], "expected a skipped entry (the symlink loop)"
        assert len(ds["files"]) == 1, ds["files"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_text(ferry, case):
    """The human-readable rendering must survive the same inputs."""
    want_exit = expected_exit(case)
    run = ferry("inspect", CORPUS / case)
    assert_no_panic(run)
    assert run.code == want_exit, run


def test_many_tiny_files(ferry):
    """MANY one-step daily files: one regular axis, no problem above info."""
    run = ferry("inspect", CORPUS / "many", "--json")
    assert_no_panic(run)
    assert run.code == 0, run
    ds = run.json["dataset"]
    assert len(ds["files"]) == MANY
    assert ds["time"]["steps"] == MANY and ds["time"]["step"] == "1 day", ds["time"]
    assert [p for p in ds["problems"] if p["severity"] != "info"] == []
