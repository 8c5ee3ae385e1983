import type { Channel } from "@tauri-apps/api/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Inspection } from "../bindings/Inspection";
import type { Progress } from "../bindings/Progress";
import type { SignedIn } from "../bindings/SignedIn";
import type { TestWriteReport } from "../bindings/TestWriteReport";
import type { WriteSummary } from "../bindings/WriteSummary";
import fixture from "../fixtures/a1b-inspection.json";
import { destinationKey, initialState, writeKey, type WizardState } from "../state";
import { makeCtx, mockCommands, mountIn, text, waitFor, type Handler } from "../test-utils";
import { createUpload, matchInterrupted, preUploadChecks } from "./upload";

const fresh = (): Inspection => JSON.parse(JSON.stringify(fixture));

const report: TestWriteReport = {
  test_url: "/home/me/ferry-stores/A1B.ferry-test.zarr",
  steps: 72,
  objects: 19,
  bytes: 524524,
  bytes_stored: 160000,
  compression_ratio: 3.28,
  latency_ms: 4.2,
  mb_per_s: 45.2,
  projected_bytes_stored: 160000,
  projected_seconds: 190,
  kept: false,
};

const summaryOf = (p: Partial<WriteSummary> = {}): WriteSummary => ({
  url: "/home/me/ferry-stores/A1B.zarr",
  public_url: "/home/me/ferry-stores/A1B.zarr",
  snippet: 'import xarray as xr\nds = xr.open_dataset("/home/me/ferry-stores/A1B.zarr", engine="zarr", chunks={})',
  bytes: 524524,
  bytes_stored: 160000,
  chunks: 10,
  chunks_skipped: 0,
  objects: 31,
  seconds: 2.4,
  mb_per_s: 0.22,
  compression_ratio: 3.28,
  ...p,
});

function progress(p: Partial<Progress>): Progress {
  return { phase: "chunks", bytes_done: 0, bytes_total: 4e9, chunks_done: 0, chunks_total: 400, chunks_skipped: 0, bytes_stored: 0, elapsed_s: 1, mb_per_s: 0, eta_s: null, waiting_for_network: false, ...p };
}

const signedIn = (p: Partial<SignedIn> = {}): SignedIn => ({ who: "access key AKIA…", url: "gs://leap-persistent/me/", can_list: true, can_write: true, can_delete: true, warnings: [], short_lived: false, file: null, ...p });

/** A state ready for the upload: scanned, named, tested (a local folder unless changed). */
function ready(edit: (s: WizardState) => void = () => undefined): WizardState {
  const s = initialState();
  s.inspection = fresh();
  s.storeName = "A1B";
  s.scannedKey = "files";
  edit(s);
  s.testReport = report;
  s.testedFor = writeKey(s);
  return s;
}

function setup(handlers: Record<string, Handler> = {}, state = ready()) {
  const calls = mockCommands({
    store_url: (a) => `/home/me/ferry-stores/${a.store}.zarr`,
    interrupted_uploads: () => [],
    cancel_write: () => true,
    open_link: () => null,
    ...handlers,
  });
  const ctx = makeCtx(state);
  const step = createUpload(ctx);
  const root = mountIn();
  root.dataset.step = "upload";
  step.mount(root);
  const entered = step.enter!();
  const q = <T extends HTMLElement = HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const click = (sel: string) => q<HTMLButtonElement>(sel).click();
  return { calls, state, ctx, step, root, entered, q, click };
}

const uploads = (calls: [string, Record<string, unknown>][]) => calls.filter(([c]) => c === "start_upload").map(([, a]) => a);

afterEach(() => vi.unstubAllGlobals());

describe("the pre-upload checklist", () => {
  const level = (s: WizardState, id: string) => preUploadChecks(s).find((c) => c.id === id)?.level;

  it("is all green for a tested local upload of clean files", () => {
    const s = ready();
    expect(preUploadChecks(s).map((c) => [c.id, c.level])).toEqual([
      ["merge", "green"],
      ["chunks", "green"],
      ["destination", "green"],
      ["test", "green"],
    ]);
  });

  it("turns red on files that do not merge, amber on warnings", () => {
    const s = ready((s) => s.inspection!.dataset.problems.push({ severity: "error", code: "missing_variable", file: "/d/x.nc", variable: "tas", message: "x.nc lacks tas", hint: "Remove x.nc." }));
    expect(level(s, "merge")).toBe("red");
    expect(preUploadChecks(s).find((c) => c.id === "merge")!.detail).toContain("x.nc lacks tas");
    const w = ready((s) => s.inspection!.dataset.problems.push({ severity: "warning", code: "gap", file: null, variable: null, message: "a gap in time", hint: "" }));
    expect(level(w, "merge")).toBe("amber");
  });

  it("flags chunk sizes outside 10–200 MB", () => {
    const s = ready((s) => {
      const v = s.inspection!.plan.variables[0];
      Object.assign(v, { shape: [10000, 720, 1440], chunks: [100, 720, 1440], chunk_bytes: 100 * 720 * 1440 * 4, total_bytes: 10000 * 720 * 1440 * 4, n_chunks: 100 });
    });
    expect(level(s, "chunks")).toBe("amber");
    expect(preUploadChecks(s).find((c) => c.id === "chunks")!.detail).toContain("air_temperature (414.7 MB)");
  });

  it("needs a sign-in for a cloud destination, and a test for the current settings", () => {
    const s = ready((s) => {
      s.kind = "gcs";
      s.forms.gcs.prefix = "me/";
    });
    expect(level(s, "destination")).toBe("red");
    s.signedIn = signedIn();
    s.signedInFor = destinationKey(s);
    expect(level(s, "destination")).toBe("green");
    s.signedIn = signedIn({ can_write: false });
    expect(level(s, "destination")).toBe("red");
    s.choices = { ...s.choices, concurrency: 4 };
    expect(level(s, "test")).toBe("red");
  });

  it("warns about a scratch bucket, a short-lived token on a long upload, and LEAP's rules", () => {
    const s = ready((s) => {
      s.kind = "gcs";
      s.forms.gcs.bucket = "leap-scratch";
      s.forms.gcs.prefix = "someone-else/";
      s.signedIn = signedIn({ short_lived: true, warnings: ["someone-else/ is not your own prefix: LEAP asks for gs://…/<your GitHub username>/.", "leap-scratch is emptied after 7 days."] });
      s.signedInFor = destinationKey(s);
    });
    s.testReport = { ...report, projected_seconds: 2 * 3600 };
    const checks = preUploadChecks(s);
    expect(checks.find((c) => c.id === "scratch")!.level).toBe("amber");
    expect(checks.find((c) => c.id === "credentials")!.level).toBe("amber");
    expect(checks.find((c) => c.id === "credentials")!.detail).toContain("about an hour");
    const rules = checks.find((c) => c.id === "leap-rules")!;
    expect(rules.level).toBe("amber");
    expect(rules.detail).toContain("not your own prefix");
    expect(rules.detail).not.toContain("7 days"); // said once, by the scratch line
    s.testReport = { ...report, projected_seconds: 600 };
    expect(level(s, "credentials")).toBe("green");
  });

  it("matches an interrupted upload to the store", () => {
    const list = [{ url: "s3://leap-pangeo-inbox/me/other.zarr", chunks_total: 3, files: [], session: null }, { url: "s3://leap-pangeo-inbox/me/A1B.zarr", chunks_total: 10, files: ["a.nc"], session: null }];
    expect(matchInterrupted(list, "A1B", null)!.chunks_total).toBe(10);
    expect(matchInterrupted(list, "A1B.zarr", null)!.chunks_total).toBe(10);
    expect(matchInterrupted(list, "B2", null)).toBeNull();
    expect(matchInterrupted([{ url: "/x/y", chunks_total: 1, files: [], session: null }], "y", "/x/y")!.url).toBe("/x/y");
  });
});

describe("upload step", () => {
  it("shows the facts and the checklist, uploads with progress, and sums up with the snippet", async () => {
    let release: () => void = () => undefined;
    let channel: Channel<Progress> | null = null;
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const { calls, state, step, root, entered, q, click } = setup({
      start_upload: (a) => {
        channel = a.onProgress as Channel<Progress>;
        return new Promise((resolve) => (release = () => resolve(summaryOf())));
      },
    });
    await entered;
    expect(text(q('[data-fact="store"]'))).toBe("/home/me/ferry-stores/A1B.zarr");
    expect(text(q('[data-fact="files"]'))).toBe("6 files, 702.1 kB");
    expect(text(q('[data-fact="plan"]'))).toContain("524.5 kB uncompressed in");
    expect(text(q('[data-fact="projection"]'))).toBe("about 160.0 kB stored (3.3×), about 3 min 10 s at 45.2 MB/s");
    expect(root.querySelectorAll('.checklist li[data-level="green"]').length).toBe(4);
    expect(q('.checklist li[data-check="test"]').dataset.level).toBe("green");
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("Upload the store first.");
    expect(step.nextLabel!()).toBe("Draft the catalog request");
    expect(q(".upload-progress").classList.contains("idle")).toBe(true);
    expect(q<HTMLButtonElement>("#start-upload").disabled).toBe(false);

    click("#start-upload");
    await waitFor(() => channel !== null);
    expect(uploads(calls)[0].mode).toBe("new");
    expect(uploads(calls)[0].store).toBe("A1B");
    expect(uploads(calls)[0].choices).toEqual(state.choices);
    expect(q<HTMLButtonElement>("#start-upload").disabled).toBe(true);
    expect(q("#cancel-upload").hidden).toBe(false);
    expect(q(".upload-progress").classList.contains("idle")).toBe(false);
    channel!.onmessage(progress({ bytes_done: 1e9, chunks_done: 100, mb_per_s: 45.2, eta_s: 66 }));
    expect(q<HTMLProgressElement>(".upload-progress progress").value).toBe(0.25);
    expect(text(q(".upload-progress .progress-text"))).toBe("Writing chunks…");
    expect(q(".upload-progress .progress-text").getAttribute("role")).toBe("status");
    expect(text(q(".upload-progress .percent"))).toBe("25 %");
    expect(text(q(".upload-progress .bytes"))).toBe("1.00 GB of 4.00 GB");
    expect(text(q(".upload-progress .chunks"))).toBe("100 of 400 chunks");
    expect(text(q(".upload-progress .speed"))).toBe("45.2 MB/s");
    expect(text(q(".upload-progress .eta"))).toBe("about 1 min 06 s left");
    expect(q(".upload-progress .waiting").hidden).toBe(true);
    channel!.onmessage(progress({ bytes_done: 1e9, chunks_done: 100, mb_per_s: 40, eta_s: 75, waiting_for_network: true }));
    expect(q(".upload-progress .waiting").hidden).toBe(false);
    expect(text(q(".upload-progress .waiting"))).toContain("Waiting for network…");
    channel!.onmessage(progress({ phase: "consolidating", bytes_done: 4e9, chunks_done: 400, mb_per_s: 40, eta_s: 0 }));
    expect(q(".upload-progress .waiting").hidden).toBe(true);
    expect(text(q(".upload-progress .progress-text"))).toContain("consolidated metadata");
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("Uploading…");

    release();
    await waitFor(() => !q(".upload-summary").hidden);
    expect(state.uploaded).toEqual(summaryOf());
    expect(step.canNext()).toBe(true);
    const card = q(".upload-summary");
    expect(text(card.querySelector('[data-fact="url"]'))).toBe("/home/me/ferry-stores/A1B.zarr");
    expect(text(card.querySelector('[data-fact="bytes"]'))).toBe("524.5 kB uncompressed, 160.0 kB stored (3.3×)");
    expect(text(card.querySelector('[data-fact="chunks"]'))).toBe("10; 31 objects in all");
    expect(text(card.querySelector('[data-fact="time"]'))).toBe("2 s at 0.22 MB/s");
    expect(card.querySelector(".snippet")!.textContent).toBe(summaryOf().snippet);
    expect(text(card.querySelector(".what-next"))).toContain("Draft the catalog request");
    expect(text(card.querySelector(".what-next"))).toContain("a folder on this computer");
    expect(q(".upload-before").hidden).toBe(true);
    click("#copy-snippet");
    await waitFor(() => text(card.querySelector(".copy-status")) === "Copied to the clipboard.");
    expect(writeText).toHaveBeenCalledWith(summaryOf().snippet);
  });

  it("cancel stops the upload resumably; Resume finishes it", async () => {
    let reject: (e: unknown) => void = () => undefined;
    let channel: Channel<Progress> | null = null;
    const { calls, state, step, entered, q, click } = setup({
      start_upload: (a) => {
        if (a.mode === "resume") return summaryOf({ chunks_skipped: 3 });
        channel = a.onProgress as Channel<Progress>;
        return new Promise((_, rj) => (reject = rj));
      },
      cancel_write: () => {
        reject({ code: "cancelled", message: "stopped: 3 of 10 chunks were written; the store is incomplete (no consolidated metadata)", hint: "Run the same command again with --resume" });
        return true;
      },
    });
    await entered;
    click("#start-upload");
    await waitFor(() => channel !== null);
    channel!.onmessage(progress({ bytes_total: 1000, bytes_done: 300, chunks_total: 10, chunks_done: 3 }));
    click("#cancel-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(calls.filter(([c]) => c === "cancel_write").length).toBe(1);
    expect(text(q(".upload-outcome .outcome-title"))).toBe("Stopped: 3 of 10 chunks written; the store is incomplete.");
    expect(text(q(".upload-outcome"))).not.toContain("--resume");
    expect(q("#start-upload").hidden).toBe(true);
    expect(q("#cancel-upload").hidden).toBe(true);
    expect(step.canNext()).toBe(false);
    click("#resume-upload");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(uploads(calls).map((a) => a.mode)).toEqual(["new", "resume"]);
    expect(text(q('.upload-summary [data-fact="chunks"]'))).toBe("10 (3 already there from the interrupted upload); 31 objects in all");
    expect(state.uploaded!.chunks_skipped).toBe(3);
    expect(step.canNext()).toBe(true);
  });

  it("Escape cancels; the incomplete store can be deleted after an inline confirmation", async () => {
    let reject: (e: unknown) => void = () => undefined;
    const { calls, step, entered, q, click } = setup({
      start_upload: () => new Promise((_, rj) => (reject = rj)),
      cancel_write: () => {
        reject({ code: "cancelled", message: "stopped: 0 of 10 chunks were written; the store is incomplete", hint: "" });
        return true;
      },
      delete_store: () => 4,
    });
    await entered;
    click("#start-upload");
    await waitFor(() => !q("#cancel-upload").hidden);
    expect(step.escape!()).toBe(true);
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(text(q(".upload-outcome .outcome-title"))).toBe("Stopped: 0 of 10 chunks written; the store is incomplete.");
    click("#delete-store");
    expect(text(q(".upload-outcome .confirm"))).toContain("Delete /home/me/ferry-stores/A1B.zarr?");
    expect(calls.some(([c]) => c === "delete_store")).toBe(false);
    // Escape closes the confirmation, nothing deleted.
    expect(step.escape!()).toBe(true);
    expect(q(".upload-outcome").querySelector(".confirm")).toBeNull();
    click("#delete-store");
    click("#confirm-delete");
    await waitFor(() => q(".upload-outcome").hidden);
    expect(calls.find(([c]) => c === "delete_store")![1]).toEqual({ destination: { kind: "local", path: "~/ferry-stores" }, store: "A1B" });
    expect(text(q(".upload-status"))).toBe("Deleted the incomplete store (4 objects).");
    expect(q("#start-upload").hidden).toBe(false);
    expect(q<HTMLButtonElement>("#start-upload").disabled).toBe(false);
  });

  it("an interrupted upload already there: Resume it", async () => {
    const { calls, entered, q, click } = setup({
      start_upload: (a) =>
        a.mode === "new"
          ? Promise.reject({ code: "store_exists", message: "/home/me/ferry-stores/A1B.zarr: an interrupted upload (incomplete store) already exists here (12 objects)", hint: "Add --resume to finish it, --overwrite to start again, or `ferry rm` it." })
          : summaryOf(),
    });
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(text(q(".upload-outcome .outcome-title"))).toBe("An interrupted upload of this store is already there.");
    expect(text(q(".upload-outcome"))).not.toContain("--resume");
    expect(q("#replace-store")).not.toBeNull();
    click("#resume-upload");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(uploads(calls).map((a) => a.mode)).toEqual(["new", "resume"]);
  });

  it("a finished store already there: Replace it, after confirming", async () => {
    const { calls, step, entered, q, click, root } = setup({
      start_upload: (a) =>
        a.mode === "new" ? Promise.reject({ code: "store_exists", message: "/home/me/ferry-stores/A1B.zarr: a store already exists here (31 objects)", hint: "Choose another name, or add --overwrite to replace it." }) : summaryOf(),
    });
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(text(q(".upload-outcome .outcome-title"))).toBe("A store with this name is already there.");
    expect(root.querySelector("#resume-upload")).toBeNull();
    expect(text(q(".upload-outcome"))).toContain("choose another store name");
    click("#replace-store");
    expect(uploads(calls).length).toBe(1);
    expect(text(q(".upload-outcome .confirm"))).toContain("Replace /home/me/ferry-stores/A1B.zarr?");
    click("#confirm-replace");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(uploads(calls).map((a) => a.mode)).toEqual(["new", "overwrite"]);
    expect(step.canNext()).toBe(true);
  });

  it("another error: message and hint inline, and Retry", async () => {
    let n = 0;
    const { calls, entered, q, click } = setup({
      start_upload: () => (++n === 1 ? Promise.reject({ code: "store_unreachable", message: "the endpoint does not answer", hint: "Check the network, then retry." }) : summaryOf()),
    });
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(text(q(".upload-outcome .inline-error strong"))).toBe("the endpoint does not answer");
    expect(text(q(".upload-outcome .inline-error .hint"))).toBe("Check the network, then retry.");
    click("#retry-upload");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(uploads(calls).map((a) => a.mode)).toEqual(["new", "new"]);
  });

  it("a temporary token refused mid-upload: asks for a new one, then resumes", async () => {
    let n = 0;
    const gcs = ready((s) => {
      s.kind = "gcs";
      s.forms.gcs = { bucket: "leap-persistent", prefix: "me", githubUser: "me", prefixEdited: true };
      s.signedIn = signedIn({ who: "a temporary access token", short_lived: true });
      s.signedInFor = destinationKey(s);
    });
    const { calls, entered, q, click } = setup(
      {
        start_upload: (a) => {
          (a.onProgress as Channel<Progress>).onmessage(progress({ chunks_done: 120 }));
          return ++n === 1 ? Promise.reject({ code: "access_denied", message: "gs://leap-persistent/me/A1B.zarr: not signed in, or the token has expired", hint: "Sign in again, then resume." }) : summaryOf({ chunks_skipped: 120 });
        },
        renew_token: () => null,
      },
      gcs,
    );
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(text(q(".upload-outcome"))).toContain("Paused: the access token was refused");
    expect(text(q(".upload-outcome"))).toContain("120 of 400 chunks are written and kept");
    expect(document.activeElement?.id).toBe("new-token");
    q<HTMLInputElement>("#new-token").value = " ya29.fresh ";
    click("#continue-upload");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(calls.find(([c]) => c === "renew_token")![1]).toEqual({ token: "ya29.fresh" });
    expect(uploads(calls).map((a) => a.mode)).toEqual(["new", "resume"]);
    expect(text(q(".upload-summary"))).toContain("120 already there from the interrupted upload");
  });

  it("a renewal that fails says why and keeps the form", async () => {
    const gcs = ready((s) => {
      s.kind = "gcs";
      s.signedIn = signedIn({ who: "the access token in ~/token.txt", short_lived: true, file: "~/token.txt" });
      s.signedInFor = destinationKey(s);
    });
    const { calls, entered, q, click } = setup(
      {
        start_upload: () => Promise.reject({ code: "access_denied", message: "token expired", hint: "" }),
        renew_token: () => Promise.reject({ code: "access_denied", message: "~/token.txt: does not hold an access token", hint: "Write the output of `gcloud auth print-access-token` into it (one line)." }),
      },
      gcs,
    );
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(text(q(".upload-outcome"))).toContain("gcloud auth print-access-token > ~/token.txt");
    click("#continue-upload");
    await waitFor(() => !q(".upload-outcome .inline-error").hidden);
    expect(calls.find(([c]) => c === "renew_token")![1]).toEqual({ token: null });
    expect(text(q(".upload-outcome .inline-error"))).toContain("does not hold an access token");
    expect(uploads(calls).length).toBe(1);
    expect(q<HTMLButtonElement>("#continue-upload").disabled).toBe(false);
  });

  it("files changed since the interrupted upload: named, and Start again replaces the partial store after asking", async () => {
    let n = 0;
    const { calls, entered, q, click } = setup({
      start_upload: () => (++n === 1 ? Promise.reject({ code: "sources_changed", message: "the source files changed since the interrupted upload: /d/year03.nc", hint: "Start again from scratch, which replaces the partial store (--overwrite on the command line, \"Start again\" in the wizard)." }) : summaryOf()),
    });
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(text(q(".upload-outcome .inline-error"))).toContain("year03.nc");
    expect(q("#retry-upload")).toBeNull();
    click("#replace-changed");
    expect(uploads(calls).length).toBe(1); // asks first
    click("#confirm-replace");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(uploads(calls).map((a) => a.mode)).toEqual(["new", "overwrite"]);
  });

  it("access denied for keys (not a temporary token) is an error with Retry", async () => {
    const { entered, q, click } = setup({ start_upload: () => Promise.reject({ code: "access_denied", message: "access denied", hint: "Check the keys." }) });
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-outcome").hidden);
    expect(q(".upload-outcome #new-token")).toBeNull();
    expect(q("#retry-upload")).not.toBeNull();
  });

  it("offers to resume an interrupted upload of this store found on enter", async () => {
    const { calls, entered, q, click } = setup({
      interrupted_uploads: () => [{ url: "/home/me/ferry-stores/A1B.zarr", chunks_total: 10, files: ["A1B_north_america_year00.nc", "A1B_north_america_year01.nc", "A1B_north_america_year02.nc"] }],
      start_upload: () => summaryOf({ chunks_skipped: 7 }),
    });
    await entered;
    expect(q(".interrupted-banner").hidden).toBe(false);
    expect(text(q(".interrupted-banner"))).toContain("An interrupted upload of this store was found (10 chunks planned, from A1B_north_america_year00.nc, A1B_north_america_year01.nc and 1 more)");
    click("#resume-interrupted");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(uploads(calls).map((a) => a.mode)).toEqual(["resume"]);
    expect(q(".interrupted-banner").hidden).toBe(true);
  });

  it("a bad dataset turns the checklist red and keeps Start disabled; a scratch bucket is amber", async () => {
    const state = ready((s) => {
      s.kind = "gcs";
      s.forms.gcs.bucket = "leap-scratch";
      s.forms.gcs.prefix = "me/";
      s.signedIn = signedIn({ url: "gs://leap-scratch/me/", file: "/home/me/Downloads/key.json" });
      s.signedInFor = destinationKey(s);
      s.inspection!.dataset.problems.push({ severity: "error", code: "missing_variable", file: "/d/x.nc", variable: "tas", message: "x.nc lacks tas", hint: "" });
    });
    const { step, entered, q } = setup({}, state);
    await entered;
    expect(q('.checklist li[data-check="merge"]').dataset.level).toBe("red");
    expect(q('.checklist li[data-check="scratch"]').dataset.level).toBe("amber");
    expect(q('.checklist li[data-check="destination"]').dataset.level).toBe("green");
    expect(q<HTMLButtonElement>("#start-upload").disabled).toBe(true);
    expect(text(q(".start-note"))).toBe("Fix the red line first.");
    // Fixed (scanned again without the bad file): only amber left, Start allowed.
    state.inspection!.dataset.problems = [];
    await step.enter!();
    expect(q('.checklist li[data-check="merge"]').dataset.level).toBe("green");
    expect(q<HTMLButtonElement>("#start-upload").disabled).toBe(false);
    expect(text(q(".start-note"))).toBe("Look at the amber line; you may start anyway.");
  });

  it("after a cloud upload, points to the public address and the credentials file", async () => {
    const state = ready((s) => {
      s.kind = "gcs";
      s.forms.gcs.prefix = "me/";
      s.signedIn = signedIn({ file: "/home/me/Downloads/key.json" });
      s.signedInFor = destinationKey(s);
    });
    const { entered, q, click } = setup(
      { start_upload: () => summaryOf({ url: "gs://leap-persistent/me/A1B.zarr", public_url: "https://storage.googleapis.com/leap-persistent/me/A1B.zarr" }) },
      state,
    );
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-summary").hidden);
    expect(text(q('.upload-summary [data-fact="public-url"]'))).toBe("https://storage.googleapis.com/leap-persistent/me/A1B.zarr");
    const next = text(q(".what-next"));
    expect(next).toContain("gcsfs");
    expect(next).toContain("/home/me/Downloads/key.json");
  });

  it("offers to delete the credentials file after the upload: asks first, Keep keeps it, Delete deletes and signs out", async () => {
    const state = ready((s) => {
      s.kind = "gcs";
      s.forms.gcs.prefix = "me/";
      s.signedIn = signedIn({ file: "/home/me/.config/gcloud/application_default_credentials.json" });
      s.signedInFor = destinationKey(s);
    });
    let deleted = 0;
    const { entered, q, click, calls } = setup(
      {
        start_upload: () => summaryOf({ url: "gs://leap-persistent/me/A1B.zarr" }),
        delete_credentials_file: () => {
          deleted++;
          return "/home/me/.config/gcloud/application_default_credentials.json";
        },
      },
      state,
    );
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-summary").hidden);
    click("#forget-file");
    expect(text(q(".forget-file .confirm"))).toContain("Delete /home/me/.config/gcloud/application_default_credentials.json?");
    expect(deleted).toBe(0); // asking deletes nothing
    q(".forget-file .confirm button.secondary").click();
    expect(q("#forget-file")).not.toBeNull();
    click("#forget-file");
    click("#forget-file-yes");
    await waitFor(() => text(q(".forget-file")).startsWith("Deleted"));
    expect(deleted).toBe(1);
    // The webview names no path: Rust deletes the session's own file.
    expect(calls.find(([c]) => c === "delete_credentials_file")![1]).toEqual({});
    expect(state.signedIn).toBeNull();
    expect(text(q(".forget-file"))).toContain("You are signed out");
  });

  it("says why the file was not deleted, and keeps the buttons", async () => {
    const state = ready((s) => {
      s.kind = "gcs";
      s.forms.gcs.prefix = "me/";
      s.signedIn = signedIn({ file: "/ro/key.json" });
      s.signedInFor = destinationKey(s);
    });
    const { entered, q, click } = setup(
      { start_upload: () => summaryOf(), delete_credentials_file: () => Promise.reject({ code: "io", message: "/ro/key.json: cannot delete it: Permission denied", hint: "Delete it by hand." }) },
      state,
    );
    await entered;
    click("#start-upload");
    await waitFor(() => !q(".upload-summary").hidden);
    click("#forget-file");
    click("#forget-file-yes");
    await waitFor(() => !q<HTMLElement>(".forget-file .inline-error").hidden);
    expect(text(q(".forget-file .inline-error"))).toContain("Permission denied");
    expect(q<HTMLButtonElement>("#forget-file-yes").disabled).toBe(false);
    expect(state.signedIn).not.toBeNull();
  });

  it("forgets a finished upload when what would be written has changed", async () => {
    const { state, step, entered, q, click } = setup({ start_upload: () => summaryOf() });
    await entered;
    click("#start-upload");
    await waitFor(() => step.canNext());
    state.storeName = "B2";
    state.testedFor = writeKey(state);
    await step.enter!();
    expect(state.uploaded).toBeNull();
    expect(step.canNext()).toBe(false);
    expect(q(".upload-summary").hidden).toBe(true);
    expect(q("#start-upload").hidden).toBe(false);
  });
});
