import { describe, expect, it } from "vitest";
import { initialState } from "./state";
import type { DropEvent } from "./steps/step";
import { mockCommands, text, typeInto, waitFor, walkCommands } from "./test-utils";
import { createWizard, enterMeansNext } from "./wizard";

function start() {
  // A returning user: the first-run welcome is tested in welcome.test.ts.
  localStorage.setItem("ferry.welcomed", "1");
  const calls = mockCommands(walkCommands());
  let drop: (e: DropEvent) => void = () => undefined;
  const root = document.createElement("div");
  document.body.append(root);
  const wizard = createWizard(root, initialState(), { listenDrop: async (h) => ((drop = h), () => undefined) });
  return { root, wizard, calls, drop: (e: DropEvent) => drop(e) };
}

const nextBtn = () => document.getElementById("next") as HTMLButtonElement;
const backBtn = () => document.getElementById("back") as HTMLButtonElement;

describe("wizard", () => {
  it("has the six steps in order, with only the first reachable at the start", async () => {
    const { root } = start();
    const links = Array.from(root.querySelectorAll<HTMLButtonElement>(".step-link"));
    expect(links.map((l) => l.dataset.step)).toEqual(["sign-in", "pick-files", "preview", "test-write", "upload", "catalog"]);
    await waitFor(() => !nextBtn().disabled);
    expect(links[0].getAttribute("aria-current")).toBe("step");
    expect(links.slice(1).every((l) => l.disabled)).toBe(true);
    expect(backBtn().disabled).toBe(true);
    expect(text(root.querySelector("h1"))).toBe("1. Sign in");
  });

  it("walks sign-in → pick-files → preview → test-write, and Back keeps what was entered", async () => {
    const { root, wizard, calls } = start();
    await waitFor(() => !nextBtn().disabled);
    const path = root.querySelector<HTMLInputElement>('[data-panel="local"] input[name="path"]')!;
    typeInto(path, "/tmp/stores");
    await waitFor(() => !nextBtn().disabled);
    // Enter in a text field means Next.
    path.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await waitFor(() => wizard.current().id === "pick-files");
    expect(nextBtn().disabled).toBe(true);
    expect(text(document.getElementById("blocker"))).toBe("Add at least one file.");
    root.querySelector<HTMLButtonElement>("button.sample")!.click();
    await waitFor(() => !nextBtn().disabled);
    expect(nextBtn().textContent).toBe("Scan and preview");
    nextBtn().click();
    await waitFor(() => wizard.current().id === "preview");
    expect(text(root.querySelector('[data-step="preview"] [data-dimension="time"]'))).toContain("time = 72");
    await waitFor(() => !nextBtn().disabled);
    await wizard.back();
    await wizard.back();
    expect(wizard.current().id).toBe("sign-in");
    expect(root.querySelector<HTMLInputElement>('[data-panel="local"] input[name="path"]')!.value).toBe("/tmp/stores");
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    expect(root.querySelectorAll('[data-step="pick-files"] .file-row').length).toBe(1);
    expect(nextBtn().textContent).toBe("Next"); // already scanned
    // The sidebar reaches steps already visited.
    root.querySelector<HTMLButtonElement>('.step-link[data-step="preview"]')!.click();
    await waitFor(() => wizard.current().id === "preview");
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    expect(wizard.current().id).toBe("test-write");
    expect(nextBtn().disabled).toBe(true);
    expect(text(document.getElementById("blocker"))).toBe("Run the test write first.");
    expect(calls.filter(([c]) => c === "scan").length).toBe(1);
  });

  it("runs the test write, then the upload, and offers the catalog request", async () => {
    const { root, wizard, calls } = start();
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    root.querySelector<HTMLButtonElement>("button.sample")!.click();
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    expect(wizard.current().id).toBe("test-write");
    // The upload cannot be opened ahead of the test.
    expect(root.querySelector<HTMLButtonElement>('.step-link[data-step="upload"]')!.disabled).toBe(true);
    root.querySelector<HTMLButtonElement>('[data-step="test-write"] #run-test-write')!.click();
    await waitFor(() => !nextBtn().disabled);
    expect(root.querySelector<HTMLElement>('[data-step="test-write"] .test-result')!.hidden).toBe(false);
    await wizard.next();
    expect(wizard.current().id).toBe("upload");
    expect(nextBtn().disabled).toBe(true);
    expect(text(document.getElementById("blocker"))).toBe("Upload the store first.");
    await waitFor(() => calls.some(([c]) => c === "interrupted_uploads"));
    root.querySelector<HTMLButtonElement>('[data-step="upload"] #start-upload')!.click();
    await waitFor(() => !nextBtn().disabled);
    expect(nextBtn().textContent).toBe("Draft the catalog request");
    expect(root.querySelector<HTMLElement>('[data-step="upload"] .upload-summary')!.hidden).toBe(false);
    expect(calls.find(([c]) => c === "start_upload")![1].mode).toBe("new");
  });

  it("removing a file makes later steps unreachable until scanned again", async () => {
    const { root, wizard } = start();
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    root.querySelector<HTMLButtonElement>("button.sample")!.click();
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    expect(wizard.current().id).toBe("preview");
    await wizard.back();
    root.querySelector<HTMLButtonElement>(".file-row button")!.click();
    expect(root.querySelector<HTMLButtonElement>('.step-link[data-step="preview"]')!.disabled).toBe(true);
  });

  it("routes drops to the pick-files step only", async () => {
    const { drop } = start();
    await waitFor(() => !nextBtn().disabled);
    drop({ type: "drop", paths: ["/x.nc"] });
    expect(text(document.querySelector(".notice"))).toContain("Pick files step");
  });

  it("every step explains itself; a Why panel counts as seen only once its step is shown", async () => {
    localStorage.clear();
    const { root, wizard } = start();
    const panel = (id: string) => root.querySelector<HTMLDetailsElement>(`[data-step="${id}"] details.why[data-why="${id}"]`);
    const seen = (id: string) => localStorage.getItem(`ferry.why.${id}.seen`) === "1";
    await waitFor(() => !nextBtn().disabled);
    // Built with their steps (the preview's with its body, once there is a scan), all open on a first run.
    for (const id of ["sign-in", "pick-files", "test-write", "upload", "catalog"]) expect(panel(id)?.open, id).toBe(true);
    expect(seen("sign-in")).toBe(true);
    for (const id of ["pick-files", "preview", "test-write", "upload", "catalog"]) expect(seen(id), id).toBe(false);
    await wizard.next();
    expect(seen("pick-files")).toBe(true);
    root.querySelector<HTMLButtonElement>("button.sample")!.click();
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    expect(wizard.current().id).toBe("preview");
    expect(panel("preview")?.open).toBe(true);
    expect(seen("preview")).toBe(true);
    for (const id of ["test-write", "upload", "catalog"]) expect(seen(id), id).toBe(false);
    // The next run: the steps shown before start with their panel closed, the others open.
    document.body.replaceChildren();
    const again = start();
    await waitFor(() => !nextBtn().disabled);
    const open = (id: string) => again.root.querySelector<HTMLDetailsElement>(`[data-step="${id}"] details.why`)!.open;
    expect(["sign-in", "pick-files", "test-write", "upload", "catalog"].map(open)).toEqual([false, false, true, true, true]);
  });

  it("knows where Enter already does something", () => {
    const b = document.createElement("button");
    const i = document.createElement("input");
    i.type = "text";
    const t = document.createElement("textarea");
    expect(enterMeansNext(b)).toBe(false);
    expect(enterMeansNext(t)).toBe(false);
    expect(enterMeansNext(i)).toBe(true);
    expect(enterMeansNext(document.body)).toBe(true);
  });
});
