import { describe, expect, it } from "vitest";
import type { InterruptedUpload } from "./bindings/InterruptedUpload";
import type { Inspection } from "./bindings/Inspection";
import type { WizardSession } from "./bindings/WizardSession";
import fixture from "./fixtures/a1b-inspection.json";
import { filesText, resumable, whereText, type Resumable } from "./resume";
import { initialState, planInputs, restoreSession, sessionOverrides } from "./state";
import { mockCommands, text, waitFor, walkCommands, type Handler } from "./test-utils";
import { createWizard } from "./wizard";

const session: WizardSession = {
  destination: { kind: "local", path: "/data/stores" },
  store: "A1B_monthly.zarr",
  files: ["/c/A1B_north_america_year00.nc", "/c/A1B_north_america_year01.nc"],
  plan: { concat_dim: "time", group: "", target_mb: 50, overrides: [{ dim: "time", len: 6 }] },
  choices: { zarr_format: 3, compression: "gzip:4", concurrency: 2 },
};
const interrupted: InterruptedUpload = { url: "/data/stores/A1B_monthly.zarr", chunks_total: 12, files: ["A1B_north_america_year00.nc", "A1B_north_america_year01.nc"], session };
const fromCli: InterruptedUpload = { url: "s3://b/p/cli.zarr", chunks_total: 3, files: [], session: null };

function start(extra: Record<string, Handler> = {}) {
  localStorage.setItem("ferry.welcomed", "1");
  const calls = mockCommands({
    ...walkCommands(),
    interrupted_uploads: () => [interrupted, fromCli],
    describe_paths: (a) => ({ files: (a.paths as string[]).map((path) => ({ path, size: 117013 })), skipped: [] }),
    replan: () => (fixture as unknown as Inspection).plan,
    forget_interrupted: () => null,
    ...extra,
  });
  const root = document.createElement("div");
  document.body.append(root);
  const state = initialState();
  const wizard = createWizard(root, state, { listenDrop: async () => () => undefined });
  return { root, wizard, calls, state };
}

const offer = (root: HTMLElement) => root.querySelector<HTMLElement>(".resume-offer")!;
const resumeBtn = (root: HTMLElement) => root.querySelector<HTMLButtonElement>(".resume-upload")!;

describe("resume at launch: helpers", () => {
  it("offers only the uploads the wizard started", () => {
    expect(resumable([interrupted, fromCli]).map((u) => u.url)).toEqual([interrupted.url]);
  });
  it("says where the store is and from which files", () => {
    expect(whereText(interrupted as Resumable)).toBe("A1B_monthly.zarr in /data/stores");
    expect(filesText(["a.nc", "b.nc", "c.nc", "d.nc"])).toBe("a.nc, b.nc and 2 more");
  });
  it("puts the inputs back, and they come out the same", () => {
    const s = initialState();
    restoreSession(s, session);
    expect(s.kind).toBe("local");
    expect(s.forms.local.path).toBe("/data/stores");
    expect([s.storeName, s.storeNameEdited, s.targetMb]).toEqual(["A1B_monthly.zarr", true, 50]);
    expect(s.choices).toEqual(session.choices);
    s.overrides = sessionOverrides(session);
    expect(planInputs(s)).toEqual(session.plan);
  });
});

describe("resume at launch: the wizard", () => {
  it("shows the interrupted upload with Resume and Forget it", async () => {
    const { root } = start();
    await waitFor(() => !offer(root).hidden);
    expect(root.querySelectorAll(".resume-item").length).toBe(1);
    expect(text(offer(root))).toContain("An upload did not finish: A1B_monthly.zarr in /data/stores");
    expect(text(offer(root))).toContain("12 chunks planned, from A1B_north_america_year00.nc, A1B_north_america_year01.nc");
  });

  it("Resume: sign-in, scan, the same plan, test write, then the upload in resume mode", async () => {
    const { root, calls, wizard } = start();
    await waitFor(() => !offer(root).hidden);
    resumeBtn(root).click();
    await waitFor(() => calls.some(([c]) => c === "start_upload"), 4000);
    expect(wizard.current().id).toBe("upload");
    const scan = calls.find(([c]) => c === "scan")![1];
    expect(scan.paths).toEqual(session.files);
    expect(scan.concatDim).toBe("time");
    expect(scan.targetChunkMb).toBe(50);
    const replan = calls.filter(([c]) => c === "replan").at(-1)![1];
    expect(replan).toEqual({ targetMb: 50, overrides: [{ dim: "time", len: 6 }] });
    const up = calls.find(([c]) => c === "start_upload")![1];
    expect(up.mode).toBe("resume");
    expect(up.destination).toEqual(session.destination);
    expect(up.store).toBe("A1B_monthly.zarr");
    expect(up.choices).toEqual(session.choices);
    expect(up.plan).toEqual(session.plan);
    expect(calls.some(([c]) => c === "run_test_write")).toBe(true);
    // The offer is done once the upload runs.
    await waitFor(() => offer(root).hidden);
  });

  it("stops and names a source file that is gone, before anything is scanned", async () => {
    const { root, calls } = start({ describe_paths: () => ({ files: [{ path: session.files[0], size: 1 }], skipped: [] }) });
    await waitFor(() => !offer(root).hidden);
    resumeBtn(root).click();
    await waitFor(() => text(root.querySelector(".resume-status")).includes("missing"));
    expect(text(root.querySelector(".resume-status"))).toContain("A1B_north_america_year01.nc is missing");
    expect(resumeBtn(root).disabled).toBe(false);
    expect(calls.some(([c]) => c === "scan" || c === "start_upload")).toBe(false);
  });

  it("stops at Sign in when a cloud key must be typed again", async () => {
    const cloud: InterruptedUpload = { ...interrupted, url: "s3://inbox/me/A1B_monthly.zarr", session: { ...session, destination: { kind: "s3", endpoint: "http://127.0.0.1:9", bucket: "inbox", prefix: "me" } } };
    const { root, calls, wizard, state } = start({ interrupted_uploads: () => [cloud], credential_sources: () => ({ aws_profiles: [], rclone_remotes: [], rclone_problem: null, aws_environment: false, gcs_adc_file: null, file_warnings: [] }) });
    await waitFor(() => !offer(root).hidden);
    resumeBtn(root).click();
    await waitFor(() => text(root.querySelector(".resume-status")).includes("Sign in below"));
    expect(wizard.current().id).toBe("sign-in");
    expect(state.kind).toBe("s3");
    expect(root.querySelector<HTMLInputElement>('[data-panel="s3"] input[name="bucket"]')!.value).toBe("inbox");
    expect(calls.some(([c]) => c === "scan")).toBe(false);
  });

  it("Forget it drops the record on this computer and hides the offer", async () => {
    const { root, calls } = start();
    await waitFor(() => !offer(root).hidden);
    root.querySelector<HTMLButtonElement>(".forget-upload")!.click();
    await waitFor(() => offer(root).hidden);
    expect(calls.find(([c]) => c === "forget_interrupted")![1]).toEqual({ url: interrupted.url });
  });
});
