import { beforeEach, describe, expect, it } from "vitest";
import { initialState } from "./state";
import { mockCommands, text, waitFor, walkCommands, type Handler } from "./test-utils";
import { WELCOMED_KEY } from "./welcome";
import { createWizard } from "./wizard";

function start(overrides: Record<string, Handler> = {}) {
  const calls = mockCommands({ ...walkCommands(), ...overrides });
  const root = document.createElement("div");
  document.body.append(root);
  const wizard = createWizard(root, initialState(), { listenDrop: async () => () => undefined });
  return { root, wizard, calls };
}

const welcome = () => document.querySelector<HTMLElement>(".welcome")!;
const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]')!;
const nextBtn = () => document.getElementById("next") as HTMLButtonElement;
const click = (id: string) => document.getElementById(id)!.click();
const escape = () => document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));

describe("the first-run welcome", () => {
  beforeEach(() => localStorage.clear());

  it("shows on the first run, as a labelled dialog with the keyboard on its primary button", async () => {
    start();
    expect(welcome().hidden).toBe(false);
    expect(text(document.getElementById(dialog().getAttribute("aria-labelledby")!))).toBe("Welcome to Ferry");
    expect(text(dialog())).toContain("Zarr store");
    expect(text(dialog())).toContain("catalog request");
    expect(text(dialog())).toMatch(/local folder, Google Cloud Storage, the OSN pod or another S3 service/);
    expect(text(dialog())).toMatch(/Nothing is uploaded without your go-ahead/);
    expect(document.activeElement?.id).toBe("try-sample");
    expect(text(document.getElementById("start-own"))).toBe("Start with my own files");
    // The wizard behind stays visible but out of reach.
    expect(document.querySelector(".step-footer")!.hasAttribute("inert")).toBe(true);
    expect(localStorage.getItem(WELCOMED_KEY)).toBeNull();
  });

  it("“Start with my own files” closes it on Sign in and remembers it; the next launch has no welcome", async () => {
    const { wizard } = start();
    click("start-own");
    expect(welcome().hidden).toBe(true);
    expect(localStorage.getItem(WELCOMED_KEY)).toBe("1");
    expect(wizard.current().id).toBe("sign-in");
    expect(document.querySelector(".step-footer")!.hasAttribute("inert")).toBe(false);
    await waitFor(() => !nextBtn().disabled);
    document.body.replaceChildren();
    start();
    expect(welcome().hidden).toBe(true);
  });

  it("Escape closes it like “Start with my own files”, and Enter under it does not press Next", async () => {
    const { wizard } = start();
    await waitFor(() => !nextBtn().disabled);
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await new Promise((r) => setTimeout(r, 20));
    expect(wizard.current().id).toBe("sign-in");
    escape();
    expect(welcome().hidden).toBe(true);
    expect(localStorage.getItem(WELCOMED_KEY)).toBe("1");
    expect(wizard.current().id).toBe("sign-in");
  });

  it("the sidebar's “Welcome / about” opens it again", () => {
    localStorage.setItem(WELCOMED_KEY, "1");
    start();
    expect(welcome().hidden).toBe(true);
    click("show-welcome");
    expect(welcome().hidden).toBe(false);
    expect(document.activeElement?.id).toBe("try-sample");
  });

  it("“Try it with sample data” checks the local folder, loads the sample and lands on its preview", async () => {
    const { wizard, calls, root } = start();
    click("try-sample");
    expect(welcome().hidden).toBe(true);
    expect(localStorage.getItem(WELCOMED_KEY)).toBe("1");
    await waitFor(() => wizard.current().id === "preview");
    expect(text(root.querySelector('[data-step="preview"] [data-dimension="time"]'))).toContain("time = 72");
    expect(calls.find(([c]) => c === "check_destination")![1].destination).toEqual({ kind: "local", path: "~/ferry-stores" });
    expect(calls.filter(([c]) => c === "bundled_sample").length).toBe(1);
    expect(calls.find(([c]) => c === "scan")![1].paths).toEqual(["/c/A1B_north_america_year00.nc"]);
    expect(root.querySelectorAll('[data-step="pick-files"] .file-row').length).toBe(1);
  });

  it("stops on Sign in when the folder cannot be written, with its error", async () => {
    const { wizard, calls } = start({ check_destination: () => Promise.reject({ code: "access_denied", message: "Permission denied", hint: "Choose another folder." }) });
    click("try-sample");
    await waitFor(() => text(document.querySelector('[data-step="sign-in"] .check')).includes("Cannot write here"));
    await new Promise((r) => setTimeout(r, 50));
    expect(wizard.current().id).toBe("sign-in");
    expect(calls.some(([c]) => c === "bundled_sample")).toBe(false);
  });

  it("stops on Pick files when the sample cannot be unpacked, with its error", async () => {
    const { wizard, root, calls } = start({ bundled_sample: () => Promise.reject({ code: "io", message: "Disk full", hint: "Free some space." }) });
    click("try-sample");
    await waitFor(() => wizard.current().id === "pick-files");
    await waitFor(() => text(root.querySelector('[data-step="pick-files"] .inline-error:not([hidden])')).includes("Disk full"));
    await new Promise((r) => setTimeout(r, 50));
    expect(wizard.current().id).toBe("pick-files");
    expect(calls.some(([c]) => c === "scan")).toBe(false);
  });

  it("stops on Pick files when the scan fails, with its error", async () => {
    const { wizard, root } = start({ scan: () => Promise.reject({ code: "not_netcdf", message: "Not a NetCDF file", hint: "Remove it." }) });
    click("try-sample");
    await waitFor(() => text(root.querySelector('[data-step="pick-files"] .inline-error:not([hidden])')).includes("Not a NetCDF file"));
    expect(wizard.current().id).toBe("pick-files");
    expect(root.querySelectorAll('[data-step="pick-files"] .file-row').length).toBe(1);
  });

  it("from a later step, it replaces the file list with the sample and returns to its preview", async () => {
    localStorage.setItem(WELCOMED_KEY, "1");
    const { wizard, root, calls } = start({ pick_files_dialog: () => ["/mine/a.nc", "/mine/b.nc"], describe_paths: () => ({ files: [{ path: "/mine/a.nc", size: 10 }, { path: "/mine/b.nc", size: 10 }], skipped: [] }) });
    await waitFor(() => !nextBtn().disabled);
    await wizard.next();
    root.querySelector<HTMLButtonElement>("button.add-files")!.click();
    await waitFor(() => root.querySelectorAll('[data-step="pick-files"] .file-row').length === 2);
    click("show-welcome");
    click("try-sample");
    await waitFor(() => wizard.current().id === "preview");
    expect(root.querySelectorAll('[data-step="pick-files"] .file-row').length).toBe(1);
    expect(calls.filter(([c]) => c === "scan").length).toBe(1);
  });
});

describe("the about box (in the welcome)", () => {
  beforeEach(() => localStorage.clear());

  it("shows the version, the licence, and where the bundled sample comes from, as Rust reports them", async () => {
    start({
      about: () => ({
        name: "Ferry",
        version: "9.8.7",
        identifier: "org.leap-pangeo.ferry",
        licence: "MIT",
        homepage: "https://github.com/leap-stc/data-management",
        bundled_data: [{ name: "Sample: A1B", detail: "six yearly files", licence: "UK Open Government Licence v3.0", url: "https://github.com/SciTools/iris-sample-data" }],
        libraries: [{ name: "netCDF-C", detail: "version 4.9.0", licence: "BSD-3-Clause", url: "https://github.com/Unidata/netcdf-c" }],
      }),
    });
    const about = () => document.getElementById("about")!;
    await waitFor(() => text(about().querySelector("summary")) === "About Ferry 9.8.7");
    expect(text(document.getElementById("about-version"))).toBe("Ferry version 9.8.7 (org.leap-pangeo.ferry), licence MIT.");
    expect(text(about())).toContain("UK Open Government Licence v3.0");
    expect(text(about())).toContain("netCDF-C — version 4.9.0");
  });

  it("says so, without breaking the welcome, when the version cannot be read", async () => {
    start({ about: () => { throw { code: "internal", message: "boom", hint: "" }; } });
    await waitFor(() => text(document.getElementById("about")).includes("not available"));
    expect(document.getElementById("try-sample")).not.toBeNull();
  });
});
