// Helpers for the Vitest unit tests (jsdom + @tauri-apps/api/mocks).
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach } from "vitest";
import type { InvokeArgs } from "@tauri-apps/api/core";
import type { Inspection } from "./bindings/Inspection";
import fixture from "./fixtures/a1b-inspection.json";
import { initialState, type WizardState } from "./state";
import type { DropEvent, StepContext, StepId } from "./steps/step";

// jsdom has no canvas: the quick look draws nothing in unit tests (and jsdom stays quiet about it).
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

export type Handler = (args: Record<string, unknown>) => unknown;

/** Mock the Rust commands; records every call as [command, args]. Unknown commands reject. */
export function mockCommands(handlers: Record<string, Handler>): [string, Record<string, unknown>][] {
  const calls: [string, Record<string, unknown>][] = [];
  mockIPC((cmd: string, payload?: InvokeArgs) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push([cmd, args]);
    const f = handlers[cmd];
    if (!f) return Promise.reject({ code: "internal", message: `unmocked command ${cmd}`, hint: "" });
    return f(args);
  });
  return calls;
}

export interface TestCtx extends StepContext {
  refreshed: number;
  invalidated: StepId[];
  drop?: (e: DropEvent) => void;
}

export function makeCtx(state: WizardState = initialState()): TestCtx {
  const ctx: TestCtx = {
    state,
    refreshed: 0,
    invalidated: [],
    refresh() {
      ctx.refreshed++;
    },
    invalidateAfter(id) {
      ctx.invalidated.push(id);
    },
    onDrop(handler) {
      ctx.drop = handler;
      return () => (ctx.drop = undefined);
    },
  };
  return ctx;
}

export function mountIn(): HTMLElement {
  const el = document.createElement("section");
  document.body.append(el);
  return el;
}

/** Wait until `cond` holds (polling), or fail after `ms`. */
export async function waitFor(cond: () => unknown, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${cond.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function typeInto(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? "").replace(/\s+/g, " ").trim();
}

const sample = { files: [{ path: "/c/A1B_north_america_year00.nc", size: 117013 }], skipped: [] };

/** The mocked commands of a whole walk, from sign-in to the upload. */
export function walkCommands(): Record<string, Handler> {
  return {
    destination_defaults: () => ({ initial: { kind: "local", path: "~/ferry-stores" }, remembered: false, default_local: "~/ferry-stores", osn_endpoint: "https://nyu1.osn.mghpcc.org", osn_bucket: "leap-pangeo-inbox", gcs_persistent_bucket: "leap-persistent", gcs_scratch_bucket: "leap-scratch" }),
    validate_destination: () => [],
    check_destination: () => ({ checked: true, message: "writable" }),
    remember_destination: () => null,
    bundled_sample: () => sample,
    scan: () => fixture as unknown as Inspection,
    store_url: (a) => `/s/${a.store}.zarr`,
    run_test_write: () => ({ test_url: "/s/A1B.ferry-test.zarr", steps: 72, objects: 19, bytes: 524524, bytes_stored: 160000, compression_ratio: 3.3, latency_ms: 3, mb_per_s: 40, projected_bytes_stored: 160000, projected_seconds: 1, kept: false }),
    cancel_write: () => false,
    interrupted_uploads: () => [],
    start_upload: () => ({ url: "/s/A1B.zarr", public_url: "/s/A1B.zarr", snippet: "import xarray as xr", bytes: 524524, bytes_stored: 160000, chunks: 9, chunks_skipped: 0, objects: 30, seconds: 1, mb_per_s: 0.5, compression_ratio: 3.3 }),
  };
}
