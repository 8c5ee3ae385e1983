import type { Channel } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it } from "vitest";
import type { Inspection } from "../bindings/Inspection";
import type { Progress } from "../bindings/Progress";
import type { TestWriteReport } from "../bindings/TestWriteReport";
import fixture from "../fixtures/a1b-inspection.json";
import { CHOICES_KEY } from "../choices";
import { duration, rate, ratio } from "../format";
import { initialState, writeKey } from "../state";
import { makeCtx, mockCommands, mountIn, text, typeInto, waitFor, type Handler } from "../test-utils";
import { markWhySeen } from "../why";
import { createTestWrite, formatCompression, parseCompression, parseWhole } from "./test-write";

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

function progress(p: Partial<Progress>): Progress {
  return { phase: "chunks", bytes_done: 0, bytes_total: 1000, chunks_done: 0, chunks_total: 10, chunks_skipped: 0, bytes_stored: 0, elapsed_s: 1, mb_per_s: 0, eta_s: null, waiting_for_network: false, ...p };
}

function setup(handlers: Record<string, Handler> = {}) {
  const calls = mockCommands({ cancel_write: () => true, open_link: () => null, ...handlers });
  const state = initialState();
  state.inspection = fresh();
  state.storeName = "A1B";
  const ctx = makeCtx(state);
  const step = createTestWrite(ctx);
  const root = mountIn();
  root.dataset.step = "test-write";
  step.mount(root);
  step.enter!();
  const run = () => root.querySelector<HTMLButtonElement>("#run-test-write")!;
  return { calls, state, ctx, step, root, run };
}

describe("test-write logic", () => {
  it("parses and formats compression choices", () => {
    expect(parseCompression("zstd:3")).toEqual({ codec: "zstd", level: 3 });
    expect(parseCompression("blosc-zstd:9")).toEqual({ codec: "blosc-zstd", level: 9 });
    expect(parseCompression("gzip:12")).toEqual({ codec: "gzip", level: 5 });
    expect(parseCompression("none")).toEqual({ codec: "none", level: 0 });
    expect(formatCompression("gzip", 4)).toBe("gzip:4");
    expect(formatCompression("none", 0)).toBe("none");
  });
  it("accepts whole numbers in range only", () => {
    expect(parseWhole("8", 1, 64)).toBe(8);
    expect(parseWhole("0", 1, 64)).toBeNull();
    expect(parseWhole("65", 1, 64)).toBeNull();
    expect(parseWhole("2.5", 1, 64)).toBeNull();
  });
  it("formats durations, rates and ratios", () => {
    expect(duration(0.2)).toBe("a second or less");
    expect(duration(42)).toBe("42 s");
    expect(duration(185)).toBe("3 min 05 s");
    expect(duration(1500)).toBe("25 min");
    expect(duration(7800)).toBe("2 h 10 min");
    expect(duration(27 * 3600)).toBe("1 d 3 h");
    expect(rate(45.23)).toBe("45.2 MB/s");
    expect(rate(0.314)).toBe("0.31 MB/s");
    expect(ratio(3.28)).toBe("3.3×");
  });
});

describe("test-write step", () => {
  beforeEach(() => localStorage.clear());

  it("runs the test with progress from the channel, shows the result and allows Next", async () => {
    let release: () => void = () => undefined;
    const { calls, state, ctx, step, root, run } = setup({
      run_test_write: (a) => {
        const ch = a.onProgress as Channel<Progress>;
        ch.onmessage(progress({ phase: "chunks", bytes_done: 500, chunks_done: 5, mb_per_s: 12.5, eta_s: 1 }));
        return new Promise((resolve) => (release = () => resolve(report)));
      },
    });
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("Run the test write first.");
    expect(root.querySelector(".test-progress")!.classList.contains("idle")).toBe(true);
    run().click();
    await waitFor(() => text(root.querySelector(".test-progress .progress-text")) === "Writing beside the store: 5 of 10 chunks");
    expect(root.querySelector<HTMLProgressElement>(".test-progress progress")!.value).toBe(0.5);
    expect(text(root.querySelector(".test-progress .progress-stats"))).toBe("500 B of 1.0 kB, 12.5 MB/s");
    expect(root.querySelector(".test-progress")!.classList.contains("idle")).toBe(false);
    expect(run().disabled).toBe(true);
    expect(root.querySelector<HTMLButtonElement>("#cancel-test-write")!.disabled).toBe(false);
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("Testing…");
    const args = calls.find(([c]) => c === "run_test_write")![1];
    expect(args.destination).toEqual({ kind: "local", path: "~/ferry-stores" });
    expect(args.store).toBe("A1B");
    expect(args.choices).toEqual({ zarr_format: 2, compression: "zstd:3", concurrency: 8 });
    release();
    await waitFor(() => !root.querySelector<HTMLElement>(".test-result")!.hidden);
    const card = text(root.querySelector(".test-result"));
    expect(card).toContain("The test write passed");
    expect(text(root.querySelector('[data-fact="written"]'))).toBe("72 steps of time: 19 objects, 524.5 kB (160.0 kB stored)");
    expect(text(root.querySelector('[data-fact="throughput"]'))).toBe("45.2 MB/s");
    expect(text(root.querySelector('[data-fact="latency"]'))).toContain("4.2 ms");
    expect(text(root.querySelector('[data-fact="ratio"]'))).toBe("3.3× with zstd:3");
    expect(text(root.querySelector('[data-fact="projected-size"]'))).toBe("about 160.0 kB stored (524.5 kB uncompressed)");
    expect(text(root.querySelector('[data-fact="projected-time"]'))).toBe("about 3 min 10 s at the measured speed");
    expect(text(root.querySelector('[data-fact="test-store"]'))).toBe("/home/me/ferry-stores/A1B.ferry-test.zarr (deleted afterwards)");
    expect(state.testReport).toEqual(report);
    expect(state.testedFor).toBe(writeKey(state));
    expect(step.canNext()).toBe(true);
    expect(run().disabled).toBe(false);
    expect(run().textContent).toBe("Run the test write again");
    expect(root.querySelector(".test-progress")!.classList.contains("idle")).toBe(true);
    expect(ctx.refreshed).toBeGreaterThan(0);
  });

  it("a change of the advanced options invalidates the passed test", async () => {
    const { state, ctx, step, root, run } = setup({ run_test_write: () => report });
    const details = root.querySelector<HTMLDetailsElement>("details.advanced")!;
    expect(details.open).toBe(false);
    run().click();
    await waitFor(() => step.canNext());
    // Uploads at once.
    const conc = root.querySelector<HTMLInputElement>('input[type="number"][max="64"]')!;
    expect(conc.value).toBe("8");
    expect(root.querySelector(`label[for="${conc.id}"]`)!.textContent).toBe("Uploads at once");
    typeInto(conc, "16");
    expect(state.choices.concurrency).toBe(16);
    expect(step.canNext()).toBe(false);
    expect(ctx.invalidated).toContain("test-write");
    expect(root.querySelector<HTMLElement>(".test-result")!.hidden).toBe(true);
    expect(root.querySelector<HTMLElement>(".stale-note")!.hidden).toBe(false);
    // Out of range: flagged, not taken, and the test cannot run.
    typeInto(conc, "0");
    expect(conc.getAttribute("aria-invalid")).toBe("true");
    expect(state.choices.concurrency).toBe(16);
    expect(run().disabled).toBe(true);
    expect(step.blocker!()).toBe("Fix the advanced options, then run the test write.");
    typeInto(conc, "8");
    expect(run().disabled).toBe(false);
    // Back to the tested options: the test counts again.
    expect(step.canNext()).toBe(true);
    // Compression: a codec brings its default level; the level field follows.
    const codec = root.querySelector<HTMLSelectElement>("select")!;
    codec.value = "gzip";
    codec.dispatchEvent(new Event("change"));
    expect(state.choices.compression).toBe("gzip:5");
    expect(step.canNext()).toBe(false);
    codec.value = "none";
    codec.dispatchEvent(new Event("change"));
    expect(state.choices.compression).toBe("none");
    // Zarr format.
    const v3 = root.querySelector<HTMLInputElement>('input[type="radio"][value="3"]')!;
    v3.checked = true;
    v3.dispatchEvent(new Event("change"));
    expect(state.choices.zarr_format).toBe(3);
  });

  it("a change of store name (elsewhere) shows the test as out of date on enter", async () => {
    const { state, step, root, run } = setup({ run_test_write: () => report });
    run().click();
    await waitFor(() => step.canNext());
    state.storeName = "other";
    step.enter!();
    expect(step.canNext()).toBe(false);
    expect(root.querySelector<HTMLElement>(".test-result")!.hidden).toBe(true);
    expect(root.querySelector<HTMLElement>(".stale-note")!.hidden).toBe(false);
  });

  it("shows a failure inline with its hint, and the button works again", async () => {
    const { state, step, root, run } = setup({
      run_test_write: () => Promise.reject({ code: "access_denied", message: "s3://b/x.ferry-test.zarr: access denied", hint: "Check that the key may write under this prefix." }),
    });
    run().click();
    await waitFor(() => !root.querySelector<HTMLElement>(".inline-error")!.hidden);
    const err = root.querySelector(".inline-error")!;
    expect(err.querySelector("strong")!.textContent).toBe("s3://b/x.ferry-test.zarr: access denied");
    expect(err.querySelector(".hint")!.textContent).toBe("Check that the key may write under this prefix.");
    expect(run().disabled).toBe(false);
    expect(step.canNext()).toBe(false);
    expect(state.testReport).toBeNull();
    expect(document.activeElement).toBe(run());
  });

  it("Escape cancels a running test write", async () => {
    let reject: (e: unknown) => void = () => undefined;
    const { calls, step, root, run } = setup({
      run_test_write: () => new Promise((_, rj) => (reject = rj)),
      cancel_write: () => {
        reject({ code: "cancelled", message: "stopped: 1 of 9 chunks were written", hint: "Run the same command again with --resume" });
        return true;
      },
    });
    expect(step.escape!()).toBe(false);
    run().click();
    await waitFor(() => run().disabled);
    expect(step.escape!()).toBe(true);
    await waitFor(() => !root.querySelector<HTMLElement>(".inline-error")!.hidden);
    expect(calls.filter(([c]) => c === "cancel_write").length).toBe(1);
    const err = root.querySelector(".inline-error")!;
    expect(err.classList.contains("neutral")).toBe(true);
    expect(text(err)).toContain("Test write cancelled.");
    expect(text(err)).not.toContain("--resume");
    expect(run().disabled).toBe(false);
    expect(step.canNext()).toBe(false);
  });

  it("asks again when the cancel comes before the write has begun", async () => {
    let reject: (e: unknown) => void = () => undefined;
    let asked = 0;
    const { root, run } = setup({
      run_test_write: () => new Promise((_, rj) => (reject = rj)),
      cancel_write: () => {
        asked++;
        if (asked < 2) return false; // nothing running yet in the core
        reject({ code: "cancelled", message: "stopped", hint: "" });
        return true;
      },
    });
    run().click();
    await waitFor(() => run().disabled);
    root.querySelector<HTMLButtonElement>("#cancel-test-write")!.click();
    await waitFor(() => !run().disabled, 3000);
    expect(asked).toBe(2);
  });

  it("explains itself in a why panel with a Learn more link", () => {
    const { root } = setup();
    const w = root.querySelector<HTMLDetailsElement>('details.why[data-why="test-write"]')!;
    expect(text(w.querySelector("summary"))).toContain("Why: a test write first");
    expect(w.querySelector<HTMLAnchorElement>("a.learn-more")!.href).toBe("https://docs.xarray.dev/en/stable/user-guide/io.html#zarr");
  });
});

describe("test-write: remembered options", () => {
  beforeEach(() => localStorage.clear());

  const byLabel = (root: HTMLElement, label: string) => {
    const l = Array.from(root.querySelectorAll("label")).find((x) => text(x) === label)!;
    return root.querySelector<HTMLInputElement & HTMLSelectElement>(`#${l.htmlFor}`)!;
  };
  const inputs = (root: HTMLElement) => ({
    v3: root.querySelector<HTMLInputElement>('input[type="radio"][value="3"]')!,
    codec: byLabel(root, "Compression"),
    level: byLabel(root, "Level"),
    conc: byLabel(root, "Uploads at once"),
    reset: root.querySelector<HTMLButtonElement>("button.reset-choices")!,
    advanced: root.querySelector<HTMLDetailsElement>("details.advanced")!,
  });

  it("keeps the options for the next run (a reload), and Reset to defaults forgets them", () => {
    const first = setup();
    let f = inputs(first.root);
    expect(f.advanced.open).toBe(false);
    expect(f.reset.disabled).toBe(true);
    f.v3.checked = true;
    f.v3.dispatchEvent(new Event("change"));
    f.codec.value = "gzip";
    f.codec.dispatchEvent(new Event("change"));
    typeInto(f.level, "7");
    typeInto(f.conc, "16");
    expect(first.state.choices).toEqual({ zarr_format: 3, compression: "gzip:7", concurrency: 16 });
    expect(JSON.parse(localStorage.getItem(CHOICES_KEY)!)).toEqual({ zarr_format: 3, compression: "gzip:7", concurrency: 16 });
    expect(f.reset.disabled).toBe(false);
    // A value out of range is flagged, and neither taken nor remembered.
    typeInto(f.conc, "65");
    expect(JSON.parse(localStorage.getItem(CHOICES_KEY)!).concurrency).toBe(16);

    // The next run: a fresh state reads them back, the form shows them, Advanced is open to show they are not the defaults.
    document.body.replaceChildren();
    const again = setup();
    f = inputs(again.root);
    expect(again.state.choices).toEqual({ zarr_format: 3, compression: "gzip:7", concurrency: 16 });
    expect(f.v3.checked).toBe(true);
    expect(f.codec.value).toBe("gzip");
    expect(f.level.value).toBe("7");
    expect(f.conc.value).toBe("16");
    expect(f.advanced.open).toBe(true);
    expect(text(f.advanced)).toContain("Ferry remembers these options for next time.");

    // Reset to defaults: the form and the state go back, nothing stays remembered.
    f.reset.click();
    expect(again.state.choices).toEqual({ zarr_format: 2, compression: "zstd:3", concurrency: 8 });
    expect(localStorage.getItem(CHOICES_KEY)).toBeNull();
    expect(f.v3.checked).toBe(false);
    expect(f.codec.value).toBe("zstd");
    expect(f.level.value).toBe("3");
    expect(f.conc.value).toBe("8");
    expect(f.reset.disabled).toBe(true);
    document.body.replaceChildren();
    expect(inputs(setup().root).advanced.open).toBe(false);
  });

  it("Reset to defaults also clears a value being typed that is out of range", () => {
    const { root, run } = setup();
    const f = inputs(root);
    typeInto(f.conc, "0");
    expect(run().disabled).toBe(true);
    expect(f.reset.disabled).toBe(false);
    f.reset.click();
    expect(f.conc.value).toBe("8");
    expect(f.conc.getAttribute("aria-invalid")).toBeNull();
    expect(run().disabled).toBe(false);
  });

  it("a reset after a passed test with other options asks for a new test", async () => {
    localStorage.setItem(CHOICES_KEY, JSON.stringify({ zarr_format: 2, compression: "zstd:3", concurrency: 4 }));
    const { root, step, ctx, run } = setup({ run_test_write: () => report });
    run().click();
    await waitFor(() => step.canNext());
    inputs(root).reset.click();
    expect(step.canNext()).toBe(false);
    expect(ctx.invalidated).toContain("test-write");
  });

  it("ignores invalid remembered options", () => {
    localStorage.setItem(CHOICES_KEY, JSON.stringify({ zarr_format: 5, compression: "brotli:3", concurrency: -1, password: "x" }));
    const { root, state, calls, run } = setup({ run_test_write: () => report });
    expect(state.choices).toEqual({ zarr_format: 2, compression: "zstd:3", concurrency: 8 });
    const f = inputs(root);
    expect(f.advanced.open).toBe(false);
    expect(f.conc.value).toBe("8");
    run().click();
    expect(calls.find(([c]) => c === "run_test_write")![1].choices).toEqual({ zarr_format: 2, compression: "zstd:3", concurrency: 8 });
  });
});

describe("test-write why panel", () => {
  beforeEach(() => localStorage.clear());

  it("is open the first time and closed once the step was shown", () => {
    const { root } = setup();
    expect(root.querySelector<HTMLDetailsElement>('details.why[data-why="test-write"]')!.open).toBe(true);
    markWhySeen(root);
    document.body.replaceChildren();
    expect(setup().root.querySelector<HTMLDetailsElement>('details.why[data-why="test-write"]')!.open).toBe(false);
  });
});
