// Helpers for the Vitest unit tests (jsdom + @tauri-apps/api/mocks).
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach } from "vitest";
import type { InvokeArgs } from "@tauri-apps/api/core";
import { initialState, type WizardState } from "./state";
import type { DropEvent, StepContext, StepId } from "./steps/step";

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
