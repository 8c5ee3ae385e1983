import { describe, expect, it } from "vitest";
import type { Inspection } from "../bindings/Inspection";
import fixture from "../fixtures/a1b-inspection.json";
import { initialState } from "../state";
import { makeCtx, mockCommands, mountIn, text } from "../test-utils";
import { createCatalog } from "./catalog";
import type { Step, StepContext } from "./step";
import { createTestWrite } from "./test-write";
import { createUpload } from "./upload";

const cases: [string, string, (c: StepContext) => Step][] = [
  ["test-write", "test_write_status", createTestWrite],
  ["upload", "upload_status", createUpload],
  ["catalog", "catalog_status", createCatalog],
];

describe.each(cases)("%s", (id, command, create) => {
  it("shows its layout, says it arrives with the upload engine, and keeps Next disabled", async () => {
    const calls = mockCommands({ [command]: () => ({ available: false, message: "This step arrives with the upload engine." }) });
    const state = initialState();
    state.inspection = fixture as unknown as Inspection;
    state.storeName = "A1B";
    const step = create(makeCtx(state));
    expect(step.id).toBe(id);
    const root = mountIn();
    step.mount(root);
    await step.enter!();
    expect(calls.map(([c]) => c)).toEqual([command]);
    expect(text(root.querySelector(".not-yet"))).toBe("This step arrives with the upload engine.");
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("This step arrives with the upload engine.");
    const action = root.querySelector<HTMLButtonElement>("button.primary")!;
    expect(action.disabled).toBe(true);
    // No progress is faked.
    expect(root.querySelector("progress")).toBeNull();
  });
});

it("the upload layout summarises what will be written", async () => {
  mockCommands({ upload_status: () => ({ available: false, message: "This step arrives with the upload engine." }) });
  const state = initialState();
  state.inspection = fixture as unknown as Inspection;
  state.storeName = "A1B";
  const step = createUpload(makeCtx(state));
  const root = mountIn();
  step.mount(root);
  await step.enter!();
  expect(text(root.querySelector(".facts-list"))).toContain("~/ferry-stores");
  expect(text(root.querySelector(".facts-list"))).toContain("A1B.zarr");
  expect(text(root.querySelector(".facts-list"))).toContain("6 (702.1 kB)");
});
