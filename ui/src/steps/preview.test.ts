import type { Slice } from "../bindings/Slice";
import { colour, pixels } from "./quicklook";
import { beforeEach, describe, expect, it } from "vitest";
import type { Inspection } from "../bindings/Inspection";
import type { Plan } from "../bindings/Plan";
import type { VarPlan } from "../bindings/VarPlan";
import fixture from "../fixtures/a1b-inspection.json";
import { initialState } from "../state";
import { makeCtx, mockCommands, mountIn, text, typeInto, waitFor } from "../test-utils";
import { markWhySeen } from "../why";
import { chunkGrid, chunkStats, createPreview, liveChunks, parseLength, problemCounts, pythonSnippet, timeRange } from "./preview";

const fresh = (): Inspection => JSON.parse(JSON.stringify(fixture));
const air = (): VarPlan => fresh().plan.variables.find((v) => v.name === "air_temperature")!;

describe("preview logic", () => {
  it("applies typed chunk lengths, clamped to the dimension", () => {
    expect(liveChunks(air(), { time: 24 })).toEqual([24, 37, 49]);
    expect(liveChunks(air(), { time: 1000 })).toEqual([72, 37, 49]);
    expect(liveChunks(air(), { latitude: null })).toEqual([72, 37, 49]);
  });
  it("computes MB per chunk and the chunk count live", () => {
    const v = air();
    const st = chunkStats(v, [24, 37, 49]);
    expect(st.chunkBytes).toBe(24 * 37 * 49 * 4);
    expect(st.nChunks).toBe(3);
    expect(st.level).toBe("ok"); // small, but the whole variable is under 10 MB
    const big: VarPlan = { ...v, shape: [10000, 720, 1440], chunks: [10, 720, 1440], chunk_bytes: 10 * 720 * 1440 * 4, total_bytes: 10000 * 720 * 1440 * 4 };
    expect(chunkStats(big, [100, 720, 1440]).level).toBe("large");
    expect(chunkStats(big, [1, 720, 1440]).level).toBe("small");
    expect(chunkStats(big, [24, 720, 1440]).level).toBe("ok");
  });
  it("parses chunk lengths", () => {
    expect(parseLength("24")).toBe(24);
    expect(parseLength("")).toBeNull();
    expect(parseLength("-1")).toBeNull();
    expect(parseLength("0")).toBe("invalid");
    expect(parseLength("2.5")).toBe("invalid");
    expect(parseLength("abc")).toBe("invalid");
  });
  it("writes the xarray snippet", () => {
    expect(pythonSnippet("gs://leap-persistent/me/x.zarr")).toBe('import xarray as xr\nds = xr.open_dataset("gs://leap-persistent/me/x.zarr", engine="zarr", chunks={})');
  });
  it("summarises time and problems", () => {
    expect(timeRange(fresh().dataset)).toBe("1860-06-01T00:00:00 to 1931-06-01T00:00:00 · 72 steps, yearly · calendar 360_day");
    const p = (severity: "error" | "warning" | "info") => ({ severity, code: "x", file: null, variable: null, message: "", hint: "" });
    expect(problemCounts([p("error"), p("warning"), p("warning"), p("info")])).toBe("1 error, 2 warnings, 1 note");
  });
  it("draws the chunk grid", () => {
    const v = air();
    const svg = chunkGrid(v, [24, 37, 49]);
    expect(svg.querySelectorAll("line").length).toBe(2); // time split in 3
    expect(svg.getAttribute("aria-label")).toContain("time 72: 3 chunks of 24");
    expect(chunkGrid(v, [72, 10, 7]).querySelectorAll("line").length).toBe(3 + 6);
  });
});

/** A 2×2 slice: 200 K bottom-left, 300 K beside it, one value missing. */
function slice(step: number): Slice {
  return { variable: "air_temperature", step, steps: 72, dims: ["latitude", "longitude"], width: 2, height: 2, stride: 1, values: [200, 300, null, 250], min: 200, max: 300, units: "K", file: "year00.nc" };
}

function setup(ins: Inspection = fresh(), handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  const state = initialState();
  state.inspection = ins;
  state.storeName = "A1B_north_america_year";
  const calls = mockCommands({
    store_url: (a) => `/home/me/ferry-stores/${a.store}.zarr`,
    quicklook_variables: () => ["air_temperature"],
    quicklook: (a) => slice(Number(a.step)),
    ...handlers,
  });
  const ctx = makeCtx(state);
  const step = createPreview(ctx);
  const root = mountIn();
  step.mount(root);
  step.enter!();
  return { ctx, step, root, calls };
}

describe("preview step", () => {
  it("shows the dataset like ncdump -h: the concat dimension, variables with dtype and shape, attributes", async () => {
    const { root, step } = setup();
    const time = root.querySelector('[data-dimension="time"]')!;
    expect(text(time)).toContain("time = 72");
    expect(text(time.querySelector(".badge.concat"))).toBe("concat dimension · 6 files");
    expect(root.querySelector('[data-dimension="latitude"] .badge.concat')).toBeNull();
    const air = Array.from(root.querySelectorAll(".var")).find((d) => d.querySelector(".var-name")?.textContent === "air_temperature")!;
    expect(text(air.querySelector("summary"))).toContain("air_temperature float32 (time: 72, latitude: 37, longitude: 49)");
    expect(text(air)).toContain('units = "K"');
    expect(text(root.querySelector(".dataset"))).toContain(':Conventions = "CF-1.5"');
    expect(text(root.querySelector(".facts.time"))).toContain("calendar 360_day");
    expect(root.querySelector(".problems-box")).toBeNull();
    await waitFor(() => step.canNext());
    expect(text(root.querySelector(".snippet"))).toContain('xr.open_dataset("/home/me/ferry-stores/A1B_north_america_year.zarr", engine="zarr", chunks={})');
    // The quick look draws a slice of the real data, with its range and a step slider.
    await waitFor(() => text(root.querySelector(".quicklook-scale")).includes("K"));
    expect([".lo", ".hi", ".units"].map((c) => text(root.querySelector(`.quicklook-scale ${c}`)))).toEqual(["200", "300", "K"]);
    expect(root.querySelector<HTMLInputElement>("#quicklook-step")!.max).toBe("71");
    expect(text(root.querySelector(".quicklook-caption"))).toContain("latitude ↑ by longitude →, from year00.nc");
  });

  it("quick look: a new step is asked of the core, and its colours follow the range", async () => {
    const { root, calls } = setup();
    await waitFor(() => root.querySelector<HTMLInputElement>("#quicklook-step")?.max === "71");
    const slider = root.querySelector<HTMLInputElement>("#quicklook-step")!;
    slider.value = "12";
    slider.dispatchEvent(new Event("input"));
    await waitFor(() => calls.some(([c, a]) => c === "quicklook" && a.step === 12));
    expect(colour(0)).toEqual([68, 1, 84]);
    expect(colour(1)).toEqual([253, 231, 37]);
    const px = pixels(slice(0));
    // Row 0 is drawn at the bottom; a missing value is transparent.
    expect(Array.from(px.slice(px.length - 8, px.length - 4))).toEqual([...colour(0), 255]);
    expect(px[3]).toBe(0);
  });

  it("puts problems first, with their hints, and blocks Next on errors", async () => {
    const ins = fresh();
    ins.dataset.problems = [
      { severity: "warning", code: "gap", file: "/d/b.nc", variable: null, message: "a gap of 2 steps", hint: "Check for a missing file." },
      { severity: "error", code: "truncated_file", file: "/d/a.nc", variable: null, message: "the file ends early", hint: "Download it again." },
    ];
    const { root, step } = setup(ins);
    const box = root.querySelector(".problems-box")!;
    expect(box.classList.contains("has-errors")).toBe(true);
    expect(text(box.querySelector("h2"))).toBe("Problems: 1 error, 1 warning");
    const items = box.querySelectorAll(".problem");
    expect(items[0].classList.contains("error")).toBe(true);
    expect(text(items[0])).toContain("a.nc");
    expect(text(items[0])).toContain("Download it again.");
    await new Promise((r) => setTimeout(r, 50));
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toContain("errors");
  });

  it("edits a chunk length: live numbers while typing, the core re-plans on Enter", async () => {
    const planned: Plan = fresh().plan;
    const v = planned.variables.find((x) => x.name === "air_temperature")!;
    v.chunks = [24, 37, 49];
    v.n_chunks = 3;
    v.chunk_bytes = 24 * 37 * 49 * 4;
    planned.overrides = [{ dim: "time", len: 24 }];
    const { root, step, calls, ctx } = setup(fresh(), { replan: () => planned });
    const input = root.querySelector<HTMLInputElement>('input.chunk-input[data-dim="time"]')!;
    expect(input.value).toBe("72");
    expect(input.getAttribute("aria-label")).toContain("Chunk length along time for air_temperature");
    typeInto(input, "24");
    const row = root.querySelector('tr[data-var="air_temperature"]')!;
    expect(text(row.querySelector(".n"))).toBe("3");
    expect(text(row.querySelector(".mb"))).toBe("0.17");
    expect(root.querySelector(".chunk-grid")!.querySelectorAll("line").length).toBe(2);
    expect(step.canNext()).toBe(false); // typed but not applied
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await waitFor(() => calls.some(([c]) => c === "replan"));
    expect(calls.find(([c]) => c === "replan")![1]).toEqual({ targetMb: 100, overrides: [{ dim: "time", len: 24 }] });
    await waitFor(() => step.canNext());
    expect(ctx.state.overrides).toEqual({ time: 24 });
    expect(ctx.state.inspection!.plan).toBe(planned);
    expect(root.querySelector<HTMLInputElement>('input.chunk-input[data-dim="time"]')!.value).toBe("24");
  });

  it("rejects a bad length inline and Escape reverts it", async () => {
    const { root, step } = setup();
    const input = root.querySelector<HTMLInputElement>('input.chunk-input[data-dim="time"]')!;
    typeInto(input, "0");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(text(root.querySelector(".card .inline-error"))).toContain("not a chunk length along time");
    typeInto(input, "12");
    expect(step.escape!()).toBe(true);
    expect(root.querySelector<HTMLInputElement>('input.chunk-input[data-dim="time"]')!.value).toBe("72");
  });

  it("shows a re-plan error from the core inline", async () => {
    const { root } = setup(fresh(), { replan: () => Promise.reject({ code: "bad_argument", message: "--chunks: the dataset has no dimension x", hint: "Its dimensions are time." }) });
    const input = root.querySelector<HTMLInputElement>('input.chunk-input[data-dim="time"]')!;
    typeInto(input, "10");
    input.dispatchEvent(new Event("change"));
    await waitFor(() => !root.querySelector<HTMLElement>(".card .inline-error")!.hidden);
    expect(text(root.querySelector(".card .inline-error"))).toContain("Its dimensions are time.");
  });

  it("validates the store name through the core", async () => {
    const { root, step } = setup(fresh(), {
      store_url: (a) => ((a.store as string).includes("/") ? Promise.reject({ code: "bad_argument", message: '"a/b" is not a usable store name', hint: "Use letters, digits" }) : `/s/${a.store}.zarr`),
    });
    await waitFor(() => step.canNext());
    typeInto(root.querySelector<HTMLInputElement>("#store-name")!, "a/b");
    await waitFor(() => !step.canNext());
    expect(text(root.querySelector("#snippet-error"))).toContain("not a usable store name");
  });
});

describe("preview why panel", () => {
  beforeEach(() => localStorage.clear());
  const panel = (root: HTMLElement) => root.querySelector<HTMLDetailsElement>('details.why[data-why="preview"]')!;

  it("explains chunks of about 100 MB in the chunk plan, open the first time, with a Learn more link", async () => {
    const { root, calls } = setup(fresh(), { open_link: () => null });
    const w = panel(root);
    expect(w.open).toBe(true);
    expect(text(w.querySelector("summary"))).toContain("Why: chunks of about 100 MB");
    const t = text(w);
    expect(t).toContain("each chunk is one object in the bucket");
    expect(t).toContain("many requests");
    expect(t).toContain("download more than they need");
    expect(t).toContain("10–200 MB is the usual range");
    expect(t).toContain("Chunk grid drawing");
    // In the chunk plan card, under its title and above the table.
    expect(w.closest(".plan-card")).not.toBeNull();
    expect(w.previousElementSibling!.id).toBe("plan-title");
    expect(w.compareDocumentPosition(root.querySelector("table.plan")!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(w.compareDocumentPosition(root.querySelector(".chunk-grid")!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const link = w.querySelector<HTMLAnchorElement>("a.learn-more")!;
    expect(link.href).toBe("https://docs.xarray.dev/en/stable/user-guide/dask.html#chunking-and-performance");
    link.click();
    await waitFor(() => calls.some(([c]) => c === "open_link"));
    expect(calls.find(([c]) => c === "open_link")![1]).toEqual({ url: "https://docs.xarray.dev/en/stable/user-guide/dask.html#chunking-and-performance" });
  });

  it("is closed the next time, once the step was shown", () => {
    const { root } = setup();
    expect(panel(root).open).toBe(true);
    markWhySeen(root);
    expect(panel(setup().root).open).toBe(false);
  });

  it("keeps the same panel, as the user left it, when a new scan re-renders the preview", () => {
    const { root, step, ctx } = setup();
    const w = panel(root);
    w.open = false;
    ctx.state.inspection = fresh();
    step.enter!();
    expect(panel(root)).toBe(w);
    expect(w.open).toBe(false);
    expect(root.querySelectorAll("details.why").length).toBe(1);
  });
});
