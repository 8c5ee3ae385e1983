import { describe, expect, it } from "vitest";
import type { DestinationDefaults } from "../bindings/DestinationDefaults";
import type { FieldIssue } from "../bindings/FieldIssue";
import { makeCtx, mockCommands, mountIn, text, typeInto, waitFor } from "../test-utils";
import { createSignIn, destinationReady, githubUserIssue, proposePrefix } from "./sign-in";

const defaults: DestinationDefaults = {
  initial: { kind: "local", path: "~/ferry-stores" },
  remembered: false,
  default_local: "~/ferry-stores",
  osn_endpoint: "https://nyu1.osn.mghpcc.org",
  osn_bucket: "leap-pangeo-inbox",
  gcs_persistent_bucket: "leap-persistent",
  gcs_scratch_bucket: "leap-scratch",
};

describe("sign-in logic", () => {
  it("proposes leap-persistent/<github-username>/", () => {
    expect(proposePrefix("octocat")).toBe("octocat/");
    expect(proposePrefix("  ")).toBe("");
  });
  it("checks GitHub usernames", () => {
    expect(githubUserIssue("octo-cat")).toBeNull();
    expect(githubUserIssue("-octo")).not.toBeNull();
    expect(githubUserIssue("a--b")).not.toBeNull();
    expect(githubUserIssue("")).toBeNull();
  });
  it("needs a passed write check for a local folder, not for cloud kinds", () => {
    const none: FieldIssue[] = [];
    const err: FieldIssue[] = [{ field: "bucket", severity: "error", message: "x" }];
    expect(destinationReady("local", none, { kind: "ok", message: "" })).toBe(true);
    expect(destinationReady("local", none, { kind: "unavailable", message: "" })).toBe(false);
    expect(destinationReady("gcs", none, { kind: "unavailable", message: "" })).toBe(true);
    expect(destinationReady("gcs", err, { kind: "unavailable", message: "" })).toBe(false);
  });
});

function setup(handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  const calls = mockCommands({
    destination_defaults: () => defaults,
    validate_destination: () => [],
    check_destination: () => ({ checked: true, message: "/home/me/ferry-stores exists and is writable." }),
    remember_destination: () => null,
    ...handlers,
  });
  const ctx = makeCtx();
  const step = createSignIn(ctx);
  const root = mountIn();
  step.mount(root);
  return { ctx, step, root, calls };
}

describe("sign-in step", () => {
  it("starts on the embedded default: a local folder at ~/ferry-stores, checked live", async () => {
    const { step, root, calls } = setup();
    await step.enter!();
    const path = root.querySelector<HTMLInputElement>('[data-panel="local"] input[name="path"]')!;
    expect(path.value).toBe("~/ferry-stores");
    expect(root.querySelector<HTMLInputElement>('input[value="local"]')!.checked).toBe(true);
    expect(text(root.querySelector(".check"))).toContain("Ready.");
    expect(step.canNext()).toBe(true);
    expect(calls.find(([c]) => c === "check_destination")![1]).toEqual({ destination: { kind: "local", path: "~/ferry-stores" } });
  });

  it("shows a failed write check inline with its hint, and blocks Next", async () => {
    const { step, root } = setup({
      check_destination: () => Promise.reject({ code: "io", message: "/srv: Ferry cannot write here (permission denied)", hint: "Choose a folder you own." }),
    });
    await step.enter!();
    const check = root.querySelector(".check")!;
    expect(check.className).toContain("check-failed");
    expect(text(check)).toContain("permission denied");
    expect(text(check)).toContain("Choose a folder you own.");
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toMatch(/write to/);
  });

  it("shows field issues next to their field", async () => {
    const { step, root } = setup({
      validate_destination: (a) => {
        const d = a.destination as { kind: string; path?: string };
        return d.kind === "local" && d.path === "relative" ? [{ field: "path", severity: "error", message: "Use a full path, starting with / or ~/." }] : [];
      },
    });
    await step.enter!();
    const input = root.querySelector<HTMLInputElement>('[data-panel="local"] input[name="path"]')!;
    typeInto(input, "relative");
    expect(step.canNext()).toBe(false);
    await waitFor(() => input.getAttribute("aria-invalid") === "true");
    const issue = document.getElementById(input.getAttribute("aria-describedby")!.split(" ").pop()!)!;
    expect(issue.textContent).toContain("full path");
    expect(step.canNext()).toBe(false);
  });

  it("GCS: proposes the prefix from the GitHub username, warns about leap-scratch, and says the check is not available", async () => {
    const { step, root, ctx } = setup({
      validate_destination: (a) => {
        const d = a.destination as { kind: string; bucket?: string };
        return d.bucket === "leap-scratch" ? [{ field: "bucket", severity: "warning", message: "leap-scratch is emptied after 7 days" }] : [];
      },
      check_destination: () => ({ checked: false, message: "Checking access to Google Cloud Storage is not available in this build yet." }),
    });
    await step.enter!();
    const gcs = root.querySelector<HTMLInputElement>('input[value="gcs"]')!;
    gcs.checked = true;
    gcs.dispatchEvent(new Event("change"));
    expect(ctx.state.kind).toBe("gcs");
    expect(root.querySelector<HTMLElement>('[data-panel="gcs"]')!.hidden).toBe(false);
    expect(root.querySelector<HTMLElement>('[data-panel="local"]')!.hidden).toBe(true);
    typeInto(root.querySelector<HTMLInputElement>('[data-panel="gcs"] input[name="github-user"]')!, "octocat");
    const prefix = root.querySelector<HTMLInputElement>('[data-panel="gcs"] input[name="prefix"]')!;
    expect(prefix.value).toBe("octocat/");
    await waitFor(() => root.querySelector(".check-unavailable"));
    expect(text(root.querySelector(".check"))).toContain("not available in this build yet");
    expect(text(root.querySelector(".check"))).not.toContain("Ready");
    expect(step.canNext()).toBe(true);
    typeInto(root.querySelector<HTMLInputElement>('[data-panel="gcs"] input[name="bucket"]')!, "leap-scratch");
    await waitFor(() => root.querySelector('[data-panel="gcs"] .field-issue.warning'));
    expect(text(root.querySelector('[data-panel="gcs"] .field-issue.warning'))).toContain("7 days");
    // A prefix typed by hand is not overwritten by a later username.
    typeInto(prefix, "shared/project/");
    typeInto(root.querySelector<HTMLInputElement>('[data-panel="gcs"] input[name="github-user"]')!, "someone");
    expect(prefix.value).toBe("shared/project/");
  });

  it("keeps each kind's fields when switching back and forth", async () => {
    const { step, root, ctx } = setup();
    await step.enter!();
    const pick = (k: string) => {
      const r = root.querySelector<HTMLInputElement>(`input[value="${k}"]`)!;
      r.checked = true;
      r.dispatchEvent(new Event("change"));
    };
    pick("s3");
    typeInto(root.querySelector<HTMLInputElement>('[data-panel="s3"] input[name="endpoint"]')!, "https://s3.example.org");
    pick("local");
    pick("s3");
    expect(root.querySelector<HTMLInputElement>('[data-panel="s3"] input[name="endpoint"]')!.value).toBe("https://s3.example.org");
    expect(ctx.state.forms.s3.endpoint).toBe("https://s3.example.org");
  });

  it("remembers the destination on Next", async () => {
    const { step, calls } = setup();
    await step.enter!();
    expect(await step.next!()).toBe(true);
    expect(calls.some(([c, a]) => c === "remember_destination" && (a.destination as { kind: string }).kind === "local")).toBe(true);
  });

  it("loads a remembered destination", async () => {
    const { step, root, ctx } = setup({ destination_defaults: () => ({ ...defaults, initial: { kind: "osn", prefix: "me/" }, remembered: true }) });
    await step.enter!();
    expect(ctx.state.kind).toBe("osn");
    expect(root.querySelector<HTMLInputElement>('[data-panel="osn"] input[name="prefix"]')!.value).toBe("me/");
    expect(root.querySelector<HTMLInputElement>('[data-panel="osn"] input[name="endpoint"]')!.readOnly).toBe(true);
  });
});
