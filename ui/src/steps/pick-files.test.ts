import type { Channel } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it } from "vitest";
import type { Inspection } from "../bindings/Inspection";
import type { Listing } from "../bindings/Listing";
import type { ScanProgress } from "../bindings/ScanProgress";
import fixture from "../fixtures/a1b-inspection.json";
import { filesKey } from "../state";
import { makeCtx, mockCommands, mountIn, text, waitFor } from "../test-utils";
import { markWhySeen } from "../why";
import { createPickFiles, mergeFiles, progressText, proposeStoreName } from "./pick-files";

const inspection = fixture as unknown as Inspection;
const sample: Listing = {
  files: inspection.dataset.files.map((f) => ({ path: `/cache/sample/${f.path.split("/").pop()}`, size: f.size })),
  skipped: [],
};

describe("pick-files logic", () => {
  it("merges without duplicates, keeping the order", () => {
    const a = [{ path: "/a.nc", size: 1 }];
    expect(mergeFiles(a, [{ path: "/b.nc", size: 2 }, { path: "/a.nc", size: 1 }]).map((f) => f.path)).toEqual(["/a.nc", "/b.nc"]);
  });
  it("proposes a store name from the common file name", () => {
    expect(proposeStoreName(sample.files.map((f) => f.path))).toBe("A1B_north_america_year");
    expect(proposeStoreName(["/x/tas_day_2001.nc", "/x/tas_day_2002.nc"])).toBe("tas_day");
    expect(proposeStoreName(["/x/one file.nc"])).toBe("one_file");
    expect(proposeStoreName(["/x/f0001.nc", "/x/f0002.nc"])).toBe("dataset");
  });
  it("words progress", () => {
    expect(progressText({ phase: "reading", done: 340, total: 1000 })).toBe("Reading headers: 340 of 1,000 files");
    expect(progressText({ phase: "merging", done: 1000, total: 1000 })).toContain("merging");
  });
});

function setup(handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  const calls = mockCommands({ bundled_sample: () => sample, describe_paths: () => ({ files: [], skipped: [] }), cancel_scan: () => null, ...handlers });
  const ctx = makeCtx();
  const step = createPickFiles(ctx);
  const root = mountIn();
  step.mount(root);
  step.enter!();
  return { ctx, step, root, calls };
}

const click = (root: HTMLElement, sel: string) => root.querySelector<HTMLButtonElement>(sel)!.click();

describe("pick-files step", () => {
  it("lists the bundled sample with sizes, and removes a file", async () => {
    const { step, root, ctx } = setup();
    expect(step.canNext()).toBe(false);
    expect(root.querySelector<HTMLElement>(".empty")!.hidden).toBe(false);
    click(root, "button.sample");
    await waitFor(() => ctx.state.files.length === 6);
    expect(text(root.querySelector(".summary"))).toBe("6 files, 702.1 kB");
    const rows = root.querySelectorAll(".file-row");
    expect(rows.length).toBe(6);
    expect(text(rows[0])).toContain("A1B_north_america_year00.nc");
    expect(text(rows[0])).toContain("117.0 kB");
    expect(step.canNext()).toBe(true);
    expect(step.nextLabel!()).toBe("Scan and preview");
    rows[0].querySelector("button")!.click();
    expect(ctx.state.files.length).toBe(5);
    expect(ctx.invalidated).toContain("pick-files");
    expect(root.querySelector(".file-row button")!.getAttribute("aria-label")).toBe("Remove A1B_north_america_year01.nc");
  });

  it("renders only the visible rows of a long list", async () => {
    const many: Listing = { files: Array.from({ length: 1000 }, (_, i) => ({ path: `/k1000/f${String(i).padStart(4, "0")}.nc`, size: 1000 })), skipped: [] };
    const { root, ctx } = setup({ describe_paths: () => many });
    ctx.drop!({ type: "drop", paths: ["/k1000"] });
    await waitFor(() => ctx.state.files.length === 1000);
    expect(text(root.querySelector(".summary"))).toBe("1,000 files, 1.0 MB");
    expect(root.querySelectorAll(".file-row").length).toBeLessThan(60);
  });

  it("adds dropped paths and shows a drop target while dragging", async () => {
    const { root, ctx, calls } = setup({ describe_paths: (a) => ({ files: (a.paths as string[]).map((p) => ({ path: `${p}/x.nc`, size: 5 })), skipped: [{ path: "/d/readme.txt", reason: "not NetCDF" }] }) });
    ctx.drop!({ type: "over" });
    expect(root.classList.contains("drop-target")).toBe(true);
    ctx.drop!({ type: "leave" });
    ctx.drop!({ type: "drop", paths: ["/d"] });
    expect(root.classList.contains("drop-target")).toBe(false);
    await waitFor(() => ctx.state.files.length === 1);
    expect(calls.find(([c]) => c === "describe_paths")![1]).toEqual({ paths: ["/d"] });
    expect(text(root.querySelector(".skipped"))).toContain("1 item skipped");
  });

  it("shows a failed pick inline, with its hint", async () => {
    const { root } = setup();
    mockCommands({
      pick_folder_dialog: () => "/tmp/x",
      describe_paths: () => Promise.reject({ code: "no_netcdf_files", message: "no NetCDF file found in /tmp/x", hint: "Pick a folder that holds some." }),
    });
    click(root, "button.add-folder");
    await waitFor(() => !root.querySelector<HTMLElement>(".inline-error")!.hidden);
    const err = root.querySelector(".inline-error")!;
    expect(err.querySelector("strong")!.textContent).toBe("no NetCDF file found in /tmp/x");
    expect(err.querySelector(".hint")!.textContent).toBe("Pick a folder that holds some.");
  });

  it("scans on Next with progress from the channel, and keeps the inspection", async () => {
    let release: () => void = () => undefined;
    const { step, root, ctx, calls } = setup({
      scan: (a) => {
        const ch = a.onProgress as Channel<ScanProgress>;
        ch.onmessage({ phase: "reading", done: 3, total: 6 });
        return new Promise((resolve) => (release = () => resolve(inspection)));
      },
    });
    click(root, "button.sample");
    await waitFor(() => ctx.state.files.length === 6);
    const done = step.next!();
    await waitFor(() => text(root.querySelector(".scan-text")) === "Reading headers: 3 of 6 files");
    expect(root.querySelector<HTMLProgressElement>("progress")!.value).toBe(3);
    expect(step.canNext()).toBe(false);
    expect(root.querySelector<HTMLButtonElement>("button.sample")!.disabled).toBe(true);
    release();
    expect(await done).toBe(true);
    expect(ctx.state.inspection).toBe(inspection);
    expect(ctx.state.scannedKey).toBe(filesKey(ctx.state.files));
    expect(ctx.state.storeName).toBe("A1B_north_america_year");
    expect(root.querySelector<HTMLElement>(".scan")!.hidden).toBe(true);
    expect(calls.find(([c]) => c === "scan")![1].paths).toEqual(sample.files.map((f) => f.path));
    // Unchanged files: Next does not scan again.
    expect(step.nextLabel!()).toBe("Next");
    expect(await step.next!()).toBe(true);
    expect(calls.filter(([c]) => c === "scan").length).toBe(1);
  });

  it("shows a scan error inline and stays", async () => {
    const { step, root, ctx } = setup({ scan: () => Promise.reject({ code: "cannot_merge", message: "the files cannot be combined", hint: "Pick files of one dataset." }) });
    click(root, "button.sample");
    await waitFor(() => ctx.state.files.length === 6);
    expect(await step.next!()).toBe(false);
    expect(text(root.querySelector(".scan ~ .inline-error"))).toContain("Pick files of one dataset.");
    expect(ctx.state.inspection).toBeNull();
  });

  it("Escape cancels a running scan", async () => {
    const { step, root, ctx, calls } = setup({ scan: () => new Promise(() => undefined) });
    click(root, "button.sample");
    await waitFor(() => ctx.state.files.length === 6);
    const done = step.next!();
    await waitFor(() => !root.querySelector<HTMLElement>(".scan")!.hidden);
    expect(step.escape!()).toBe(true);
    expect(await done).toBe(false);
    expect(calls.some(([c]) => c === "cancel_scan")).toBe(true);
    expect(text(root.querySelector(".scan ~ .inline-error"))).toContain("Scan cancelled.");
    expect(step.canNext()).toBe(true);
  });
});

describe("pick-files why panel", () => {
  beforeEach(() => localStorage.clear());

  it("explains why one Zarr store, open the first time, with a Learn more link to zarr.dev", async () => {
    const { root, calls } = setup({ open_link: () => null });
    const w = root.querySelector<HTMLDetailsElement>('details.why[data-why="pick-files"]')!;
    expect(text(w.querySelector("summary"))).toContain("Why: one Zarr store, not the files as they are");
    expect(w.open).toBe(true);
    const t = text(w);
    expect(t).toContain("one Zarr store");
    expect(t).toContain("analysis-ready and cloud-optimized (ARCO)");
    expect(t).toContain("only the chunks it needs");
    expect(t).toContain("one line of xarray");
    // Right under the lead, before the buttons.
    expect(w.previousElementSibling!.classList.contains("lead")).toBe(true);
    const link = w.querySelector<HTMLAnchorElement>("a.learn-more")!;
    expect(link.href).toBe("https://zarr.dev/");
    expect(text(link)).toBe("Learn more: zarr.dev");
    link.click();
    await waitFor(() => calls.some(([c]) => c === "open_link"));
    expect(calls.find(([c]) => c === "open_link")![1]).toEqual({ url: "https://zarr.dev/" });
  });

  it("is closed the next time, once the step was shown", () => {
    const first = setup();
    const w1 = first.root.querySelector<HTMLDetailsElement>('details.why[data-why="pick-files"]')!;
    expect(w1.open).toBe(true);
    // Built but never shown (the wizard builds every step at start): still open next time.
    expect(setup().root.querySelector<HTMLDetailsElement>('details.why[data-why="pick-files"]')!.open).toBe(true);
    markWhySeen(first.root); // what the wizard does when it shows the step
    expect(localStorage.getItem("ferry.why.pick-files.seen")).toBe("1");
    expect(setup().root.querySelector<HTMLDetailsElement>('details.why[data-why="pick-files"]')!.open).toBe(false);
    // Already built panels stay as they were.
    expect(w1.open).toBe(true);
  });
});

describe("pick-files: how the files are joined (advanced)", () => {
  it("is folded and automatic by default: the scan gets no join options", async () => {
    const { step, root, ctx, calls } = setup({ scan: () => inspection });
    const adv = root.querySelector<HTMLDetailsElement>("details.join-options")!;
    expect(adv.open).toBe(false);
    expect(text(adv.querySelector("summary"))).toBe("Advanced: how the files are joined");
    expect(adv.querySelector<HTMLInputElement>('input[name="concat_dim"]')!.placeholder).toBe("found automatically");
    click(root, "button.sample");
    await waitFor(() => ctx.state.files.length === 6);
    expect(await step.next!()).toBe(true);
    const args = calls.find(([c]) => c === "scan")![1];
    expect(args.concatDim).toBeNull();
    expect(args.group).toBeNull();
    expect(step.nextLabel!()).toBe("Next");
  });

  it("a dimension or group typed in makes the next Next scan again, with them", async () => {
    const { step, root, ctx, calls } = setup({ scan: () => inspection });
    click(root, "button.sample");
    await waitFor(() => ctx.state.files.length === 6);
    await step.next!();
    const dim = root.querySelector<HTMLInputElement>('input[name="concat_dim"]')!;
    dim.value = " time ";
    dim.dispatchEvent(new Event("input"));
    const group = root.querySelector<HTMLInputElement>('input[name="group"]')!;
    group.value = "/forecast";
    group.dispatchEvent(new Event("input"));
    expect(ctx.invalidated).toContain("pick-files");
    expect(step.nextLabel!()).toBe("Scan and preview");
    await step.next!();
    const scans = calls.filter(([c]) => c === "scan");
    expect(scans.length).toBe(2);
    expect(scans[1][1].concatDim).toBe("time");
    expect(scans[1][1].group).toBe("/forecast");
    expect(step.nextLabel!()).toBe("Next");
  });
});
