import { describe, expect, it } from "vitest";
import type { CredentialSources } from "../bindings/CredentialSources";
import type { DestinationDefaults } from "../bindings/DestinationDefaults";
import type { FieldIssue } from "../bindings/FieldIssue";
import type { SignedIn } from "../bindings/SignedIn";
import { destinationKey } from "../state";
import { makeCtx, mockCommands, mountIn, text, typeInto, waitFor } from "../test-utils";
import { canSentence, createSignIn, destinationReady, githubUserIssue, methodAvailable, profileChoices, proposePrefix } from "./sign-in";

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
  it("needs a passed write check for a local folder, and a passed sign-in for cloud kinds", () => {
    const none: FieldIssue[] = [];
    const err: FieldIssue[] = [{ field: "bucket", severity: "error", message: "x" }];
    expect(destinationReady("local", none, { kind: "ok", message: "" })).toBe(true);
    expect(destinationReady("local", none, { kind: "unavailable", message: "" })).toBe(false);
    expect(destinationReady("gcs", none, { kind: "idle" })).toBe(false);
    expect(destinationReady("gcs", none, { kind: "unavailable", message: "" })).toBe(false);
    expect(destinationReady("gcs", none, { kind: "idle" }, true)).toBe(true);
    expect(destinationReady("s3", none, { kind: "idle" }, true)).toBe(true);
    expect(destinationReady("gcs", err, { kind: "idle" }, true)).toBe(false);
  });
  it("offers only the sign-in methods Ferry found something for", () => {
    const src: CredentialSources = { aws_profiles: ["default"], rclone_remotes: ["rclone:osn"], rclone_problem: null, aws_environment: false, gcs_adc_file: null, file_warnings: [] };
    expect(profileChoices(src)).toEqual(["default", "rclone:osn"]);
    expect(profileChoices(null)).toEqual([]);
    expect(methodAvailable("s3_keys", null)).toBe(true);
    expect(methodAvailable("gcs_token", null)).toBe(true);
    expect(methodAvailable("gcs_browser", null)).toBe(true); // its button waits for the OAuth client file instead
    expect(methodAvailable("s3_profile", src)).toBe(true);
    expect(methodAvailable("s3_profile", { ...src, aws_profiles: [], rclone_remotes: [] })).toBe(false);
    expect(methodAvailable("s3_environment", src)).toBe(false);
    expect(methodAvailable("gcs_application_default", { ...src, gcs_adc_file: "/home/me/.config/gcloud/application_default_credentials.json" })).toBe(true);
  });
  it("says what the credentials may do", () => {
    const r: SignedIn = { who: "x", url: "s3://b/p/", can_list: true, can_write: true, can_delete: true, warnings: [], short_lived: false, file: null };
    expect(canSentence(r)).toBe("Can list, write and delete under s3://b/p/.");
    expect(canSentence({ ...r, can_delete: false })).toBe("Can list and write under s3://b/p/.");
  });
});

const noSources: CredentialSources = { aws_profiles: [], rclone_remotes: [], rclone_problem: null, aws_environment: false, gcs_adc_file: null, file_warnings: [] };

function setup(handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  const calls = mockCommands({
    destination_defaults: () => defaults,
    validate_destination: () => [],
    check_destination: () => ({ checked: true, message: "/home/me/ferry-stores exists and is writable." }),
    remember_destination: () => null,
    credential_sources: () => noSources,
    sign_out: () => null,
    oauth_client_file: () => null,
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

  it("GCS: proposes the prefix from the GitHub username, warns about leap-scratch, and asks to sign in", async () => {
    const { step, root, ctx, calls } = setup({
      validate_destination: (a) => {
        const d = a.destination as { kind: string; bucket?: string };
        return d.bucket === "leap-scratch" ? [{ field: "bucket", severity: "warning", message: "leap-scratch is emptied after 7 days" }] : [];
      },
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
    await waitFor(() => calls.filter(([c]) => c === "validate_destination").length >= 2 && step.blocker!() !== "Checking the destination…");
    // A cloud destination is checked by signing in, not by check_destination.
    expect(calls.filter(([c, a]) => c === "check_destination" && (a.destination as { kind: string }).kind === "gcs")).toEqual([]);
    expect(root.querySelector<HTMLElement>(".cloud-sign-in")!.hidden).toBe(false);
    expect(root.querySelector<HTMLElement>(".local-check")!.hidden).toBe(true);
    expect(text(root.querySelector(".auth-status"))).toContain("Not signed in yet");
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("Sign in and check access first.");
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

describe("cloud sign-in", () => {
  const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const ok = (over: Partial<SignedIn> = {}): SignedIn => ({
    who: "access key AKIA…",
    url: "https://s3.example.org/my-bucket/me/",
    can_list: true,
    can_write: true,
    can_delete: true,
    warnings: [],
    short_lived: false,
    file: null,
    ...over,
  });
  const q = <T extends Element>(root: Element, sel: string) => root.querySelector<T>(sel)!;
  function pick(root: HTMLElement, kind: string) {
    const r = q<HTMLInputElement>(root, `input[name="destination-kind"][value="${kind}"]`);
    r.checked = true;
    r.dispatchEvent(new Event("change"));
  }
  async function s3Filled(handlers: Parameters<typeof setup>[0] = {}) {
    const t = setup(handlers);
    await t.step.enter!();
    pick(t.root, "s3");
    typeInto(q(t.root, '[data-panel="s3"] input[name="endpoint"]'), "https://s3.example.org");
    typeInto(q(t.root, '[data-panel="s3"] input[name="bucket"]'), "my-bucket");
    typeInto(q(t.root, '[data-panel="s3"] input[name="prefix"]'), "me/");
    await waitFor(() => t.step.blocker!() !== "Checking the destination…");
    return t;
  }
  const signInCalls = (calls: [string, Record<string, unknown>][]) => calls.filter(([c]) => c === "sign_in").map(([, a]) => a);

  it("S3 with typed keys: sends exactly the form's payload, shows who, enables Next, and keeps no secret", async () => {
    let release: (v: SignedIn) => void = () => undefined;
    const { step, root, ctx, calls } = await s3Filled({ sign_in: () => new Promise<SignedIn>((r) => (release = r)) });
    expect(q<HTMLInputElement>(root, 'input[name="method"][value="s3_keys"]').checked).toBe(true);
    const secret = q<HTMLInputElement>(root, 'input[name="secret_access_key"]');
    expect(secret.type).toBe("password");
    expect(secret.getAttribute("autocomplete")).toBe("off");
    typeInto(q(root, 'input[name="access_key_id"]'), "AKIAEXAMPLE");
    typeInto(secret, SECRET);
    expect(step.canNext()).toBe(false);
    const btn = q<HTMLButtonElement>(root, "#sign-in-check");
    btn.click();
    await waitFor(() => signInCalls(calls).length === 1);
    expect(btn.disabled).toBe(true);
    expect(btn.textContent).toBe("Checking…");
    expect(step.canNext()).toBe(false);
    expect(signInCalls(calls)[0]).toEqual({
      destination: { kind: "s3", endpoint: "https://s3.example.org", bucket: "my-bucket", prefix: "me/" },
      credentials: { method: "s3_keys", access_key_id: "AKIAEXAMPLE", secret_access_key: SECRET },
    });
    release(ok());
    await waitFor(() => root.querySelector(".signed-in"));
    expect(text(q(root, ".signed-in"))).toContain("Signed in as access key AKIA…. Can list, write and delete under https://s3.example.org/my-bucket/me/.");
    expect(btn.disabled).toBe(false);
    expect(btn.textContent).toBe("Sign in and check");
    expect(step.canNext()).toBe(true);
    expect(step.blocker!()).toBeNull();
    expect(ctx.state.signedIn?.who).toBe("access key AKIA…");
    expect(ctx.state.signedInFor).toBe(destinationKey(ctx.state));
    // The secret is only in Ferry's core now: not in the input, the page, or the wizard state.
    expect(secret.value).toBe("");
    expect(q<HTMLInputElement>(root, 'input[name="access_key_id"]').value).toBe("AKIAEXAMPLE");
    expect(JSON.stringify(ctx.state)).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(q<HTMLElement>(root, "#sign-out").hidden).toBe(false);
    // Remembering the destination remembers the destination only.
    await step.next!();
    const remembered = calls.find(([c]) => c === "remember_destination")![1];
    expect(Object.keys(remembered)).toEqual(["destination"]);
    expect(JSON.stringify(remembered)).not.toContain(SECRET);
  });

  it("shows a refused sign-in inline with its hint, keeps the inputs and keeps Next disabled", async () => {
    const { step, root, ctx } = await s3Filled({
      sign_in: () => Promise.reject({ code: "access_denied", message: "s3://my-bucket/me/: access was refused (403)", hint: "Check the access key and secret, and that they may write under this prefix." }),
    });
    typeInto(q(root, 'input[name="access_key_id"]'), "AKIAEXAMPLE");
    typeInto(q(root, 'input[name="secret_access_key"]'), SECRET);
    q<HTMLButtonElement>(root, "#sign-in-check").click();
    await waitFor(() => !q<HTMLElement>(root, ".cloud-sign-in .inline-error").hidden);
    const err = q<HTMLElement>(root, ".cloud-sign-in .inline-error");
    expect(text(err)).toContain("access was refused (403)");
    expect(text(err)).toContain("Check the access key and secret");
    expect(q<HTMLInputElement>(root, 'input[name="secret_access_key"]').value).toBe(SECRET);
    expect(q<HTMLInputElement>(root, 'input[name="access_key_id"]').value).toBe("AKIAEXAMPLE");
    expect(root.querySelector(".signed-in")).toBeNull();
    expect(ctx.state.signedIn).toBeNull();
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("Sign in and check access first.");
    expect(q<HTMLButtonElement>(root, "#sign-in-check").disabled).toBe(false);
  });

  it("editing the bucket after signing in makes the sign-in stale: Next is disabled and Ferry signs out", async () => {
    const { step, root, ctx, calls } = await s3Filled({ sign_in: () => ok() });
    typeInto(q(root, 'input[name="access_key_id"]'), "AKIAEXAMPLE");
    typeInto(q(root, 'input[name="secret_access_key"]'), SECRET);
    q<HTMLButtonElement>(root, "#sign-in-check").click();
    await waitFor(() => step.canNext());
    expect(calls.some(([c]) => c === "sign_out")).toBe(false);
    typeInto(q(root, '[data-panel="s3"] input[name="bucket"]'), "other-bucket");
    expect(step.canNext()).toBe(false);
    expect(ctx.state.signedIn).toBeNull();
    expect(ctx.state.signedInFor).toBeNull();
    expect(ctx.invalidated).toContain("sign-in");
    await waitFor(() => calls.some(([c]) => c === "sign_out"));
    expect(root.querySelector(".signed-in")).toBeNull();
    expect(q<HTMLElement>(root, "#sign-out").hidden).toBe(true);
    await waitFor(() => step.blocker!() !== "Checking the destination…");
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBe("Sign in and check access first.");
  });

  it("changing the credentials after signing in also needs a fresh check; Sign out forgets the session", async () => {
    const { step, root, ctx, calls } = await s3Filled({ sign_in: () => ok() });
    typeInto(q(root, 'input[name="access_key_id"]'), "AKIAEXAMPLE");
    typeInto(q(root, 'input[name="secret_access_key"]'), SECRET);
    q<HTMLButtonElement>(root, "#sign-in-check").click();
    await waitFor(() => step.canNext());
    typeInto(q(root, 'input[name="secret_access_key"]'), "another");
    expect(step.canNext()).toBe(false);
    await waitFor(() => calls.filter(([c]) => c === "sign_out").length === 1);
    q<HTMLButtonElement>(root, "#sign-in-check").click();
    await waitFor(() => step.canNext());
    q<HTMLButtonElement>(root, "#sign-out").click();
    expect(ctx.state.signedIn).toBeNull();
    expect(step.canNext()).toBe(false);
    await waitFor(() => calls.filter(([c]) => c === "sign_out").length === 2);
    expect(q<HTMLElement>(root, "#sign-out").hidden).toBe(true);
  });

  it("lists profiles from ~/.aws/credentials, then rclone remotes, and signs in with the one chosen", async () => {
    const { root, calls } = await s3Filled({
      credential_sources: () => ({ ...noSources, aws_profiles: ["default", "osn"], rclone_remotes: ["rclone:leap-osn"], aws_environment: true }),
      sign_in: () => ok({ who: "profile leap-osn (rclone)" }),
    });
    await waitFor(() => root.querySelectorAll('select[name="profile"] option').length === 3);
    const select = q<HTMLSelectElement>(root, 'select[name="profile"]');
    expect(Array.from(select.options).map((o) => o.value)).toEqual(["default", "osn", "rclone:leap-osn"]);
    const profile = q<HTMLInputElement>(root, 'input[name="method"][value="s3_profile"]');
    const env = q<HTMLInputElement>(root, 'input[name="method"][value="s3_environment"]');
    expect(profile.disabled).toBe(false);
    expect(env.disabled).toBe(false);
    expect(select.closest<HTMLElement>(".choice-body")!.hidden).toBe(true);
    profile.checked = true;
    profile.dispatchEvent(new Event("change"));
    expect(select.closest<HTMLElement>(".choice-body")!.hidden).toBe(false);
    expect(q<HTMLElement>(root, 'input[name="access_key_id"]').closest<HTMLElement>(".choice-body")!.hidden).toBe(true);
    select.value = "rclone:leap-osn";
    select.dispatchEvent(new Event("change"));
    q<HTMLButtonElement>(root, "#sign-in-check").click();
    await waitFor(() => root.querySelector(".signed-in"));
    expect(signInCalls(calls)[0].credentials).toEqual({ method: "s3_profile", profile: "rclone:leap-osn" });
    expect(text(q(root, ".signed-in"))).toContain("Signed in as profile leap-osn (rclone).");
  });

  it("says where it looked and disables profile and environment choices when Ferry found none; shows rclone's problem", async () => {
    const { step, root } = setup({
      destination_defaults: () => ({ ...defaults, initial: { kind: "osn", prefix: "me/" }, remembered: true }),
      credential_sources: () => ({ ...noSources, rclone_problem: "rclone's config is encrypted. Set RCLONE_CONFIG_PASS." }),
    });
    await step.enter!();
    await waitFor(() => text(root.querySelector('.choice[data-method="s3_profile"] .choice-note')).includes("None found"));
    expect(text(root.querySelector('.choice[data-method="s3_profile"] .choice-note'))).toContain("~/.aws/credentials");
    expect(text(root.querySelector('.choice[data-method="s3_profile"] .choice-note'))).toContain("rclone");
    expect(q<HTMLInputElement>(root, 'input[name="method"][value="s3_profile"]').disabled).toBe(true);
    expect(q<HTMLInputElement>(root, 'input[name="method"][value="s3_environment"]').disabled).toBe(true);
    expect(q<HTMLInputElement>(root, 'input[name="method"][value="s3_keys"]').checked).toBe(true);
    const problem = q<HTMLElement>(root, ".rclone-problem");
    expect(problem.hidden).toBe(false);
    expect(text(problem)).toContain("encrypted");
  });

  it("warns about credentials files other users can read, with the chmod that fixes it", async () => {
    const { step, root } = setup({
      destination_defaults: () => ({ ...defaults, initial: { kind: "osn", prefix: "me/" }, remembered: true }),
      credential_sources: () => ({ ...noSources, aws_profiles: ["osn"], file_warnings: ["/home/me/.aws/credentials is readable by other users of this computer; run: chmod 600 /home/me/.aws/credentials"] }),
    });
    await step.enter!();
    const list = q<HTMLElement>(root, ".file-warnings");
    await waitFor(() => !list.hidden);
    expect(text(list)).toContain("chmod 600 /home/me/.aws/credentials");
  });

  it("shows no file warning when the files are private", async () => {
    const { step, root } = setup({ credential_sources: () => ({ ...noSources, aws_profiles: ["osn"] }) });
    await step.enter!();
    await waitFor(() => root.querySelector(".file-warnings") !== null);
    expect(q<HTMLElement>(root, ".file-warnings").hidden).toBe(true);
  });

  it("GCS: a pasted token, with Enter in the token field; the short life and the scratch-bucket warning are shown in amber", async () => {
    const scratch = "leap-scratch is emptied after 7 days: use it for trials only; leap-persistent keeps data.";
    const { step, root, ctx, calls } = setup({
      destination_defaults: () => ({ ...defaults, initial: { kind: "gcs", bucket: "leap-scratch", prefix: "octocat/" }, remembered: true }),
      sign_in: () => ok({ who: "a temporary access token", url: "gs://leap-scratch/octocat/", warnings: [scratch], short_lived: true }),
    });
    await step.enter!();
    expect(ctx.state.kind).toBe("gcs");
    expect(q<HTMLElement>(root, '.how-form[data-credentials="gcs"]').hidden).toBe(false);
    expect(q<HTMLElement>(root, '.how-form[data-credentials="s3"]').hidden).toBe(true);
    expect(q<HTMLInputElement>(root, 'input[name="method"][value="gcs_token"]').checked).toBe(true);
    const token = q<HTMLInputElement>(root, 'input[name="gcs_token"]');
    expect(token.type).toBe("password");
    expect(text(token.closest(".field"))).toContain("gcloud auth print-access-token");
    expect(text(token.closest(".field"))).toContain("about an hour");
    typeInto(token, "ya29.a0AfB_secret-token");
    const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
    token.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(true); // the wizard's "Enter means Next" leaves it alone
    await waitFor(() => root.querySelector(".signed-in"));
    expect(signInCalls(calls)).toEqual([
      { destination: { kind: "gcs", bucket: "leap-scratch", prefix: "octocat/" }, credentials: { method: "gcs_token", token: "ya29.a0AfB_secret-token" } },
    ]);
    expect(text(q(root, ".signed-in"))).toContain("Signed in as a temporary access token.");
    const warnings = Array.from(root.querySelectorAll(".signed-in .warning")).map((w) => text(w));
    expect(warnings).toContain(scratch);
    expect(warnings.some((w) => w.includes("lives about an hour; Ferry warns before a longer upload"))).toBe(true);
    expect(token.value).toBe("");
    expect(JSON.stringify(ctx.state)).not.toContain("secret-token");
    expect(document.body.innerHTML).not.toContain("secret-token");
    expect(step.canNext()).toBe(true);
  });

  it("GCS: a token file, and application default credentials only when Ferry found them", async () => {
    const adc = "/home/me/.config/gcloud/application_default_credentials.json";
    let found: string | null = null;
    const { step, root, calls } = setup({
      destination_defaults: () => ({ ...defaults, initial: { kind: "gcs", bucket: "leap-persistent", prefix: "octocat/" }, remembered: true }),
      credential_sources: () => ({ ...noSources, gcs_adc_file: found }),
      sign_in: () => ok({ who: "application default credentials (authorized_user)" }),
    });
    await step.enter!();
    const adcRadio = q<HTMLInputElement>(root, 'input[name="method"][value="gcs_application_default"]');
    await waitFor(() => text(root.querySelector('.choice[data-method="gcs_application_default"]')).includes("None found"));
    expect(adcRadio.disabled).toBe(true);
    const adcText = text(root.querySelector('.choice[data-method="gcs_application_default"]'));
    expect(adcText).toContain("gcloud auth application-default login --no-browser --scopes=https://www.googleapis.com/auth/devstorage.read_write");
    // The token file.
    const fileRadio = q<HTMLInputElement>(root, 'input[name="method"][value="gcs_token_file"]');
    fileRadio.checked = true;
    fileRadio.dispatchEvent(new Event("change"));
    typeInto(q(root, 'input[name="token_file"]'), "~/token.txt");
    q<HTMLButtonElement>(root, "#sign-in-check").click();
    await waitFor(() => signInCalls(calls).length === 1);
    expect(signInCalls(calls)[0].credentials).toEqual({ method: "gcs_token_file", path: "~/token.txt" });
    await waitFor(() => step.canNext());
    // After `gcloud auth application-default login`, "Look again" finds the file.
    found = adc;
    q<HTMLButtonElement>(root, "button.look-again").click();
    await waitFor(() => !adcRadio.disabled);
    expect(text(root.querySelector('.choice[data-method="gcs_application_default"]'))).toContain(`In use: ${adc}`);
    adcRadio.checked = true;
    adcRadio.dispatchEvent(new Event("change"));
    expect(step.canNext()).toBe(false); // another way of signing in needs its own check
    q<HTMLButtonElement>(root, "#sign-in-check").click();
    await waitFor(() => signInCalls(calls).length === 2);
    expect(signInCalls(calls)[1].credentials).toEqual({ method: "gcs_application_default" });
    await waitFor(() => step.canNext());
  });

  describe("GCS: sign in with Google in the browser", () => {
    const CLIENT = "/home/me/client_secret.json";
    const who = "researcher@example.org (Google, in the browser)";
    const gcsAt = { destination_defaults: () => ({ ...defaults, initial: { kind: "gcs", bucket: "leap-persistent", prefix: "octocat/" }, remembered: true }) };
    async function chosen(handlers: Parameters<typeof setup>[0] = {}) {
      const t = setup({ ...gcsAt, ...handlers });
      await t.step.enter!();
      const radio = q<HTMLInputElement>(t.root, 'input[name="method"][value="gcs_browser"]');
      expect(radio.disabled).toBe(false);
      radio.checked = true;
      radio.dispatchEvent(new Event("change"));
      await waitFor(() => q<HTMLElement>(t.root, ".oauth-client .looking").hidden);
      return t;
    }
    /** The text a user sees: hidden elements left out. */
    const shown = (el: Element): string =>
      Array.from(el.childNodes)
        .map((n) => (n instanceof HTMLElement ? (n.hidden ? "" : shown(n)) : (n.textContent ?? "")))
        .join("")
        .replace(/\s+/g, " ")
        .trim();
    const googleCalls = (calls: [string, Record<string, unknown>][]) => calls.filter(([c]) => c === "sign_in_with_google").map(([, a]) => a);

    it("needs the OAuth client file first: Choose enables the button and shows the path", async () => {
      const { step, root, calls } = await chosen({ choose_oauth_client: () => CLIENT });
      const choiceEl = q<HTMLElement>(root, '.choice[data-method="gcs_browser"]');
      expect(text(choiceEl)).toContain("Sign in with Google in the browser");
      expect(text(choiceEl)).toContain("Ferry gets access to Cloud Storage only (read and write), kept in memory unless you tick Remember me.");
      expect(shown(choiceEl)).toContain("Needs your organisation's OAuth client file (client_secret.json). Choose the OAuth client file…");
      expect(shown(choiceEl)).not.toContain("OAuth client:");
      const choose = q<HTMLButtonElement>(root, "#choose-oauth-client");
      expect(choose.closest<HTMLElement>(".choice-body")!.hidden).toBe(false);
      const btn = q<HTMLButtonElement>(root, "#sign-in-check");
      expect(btn.textContent).toBe("Sign in with Google");
      expect(btn.disabled).toBe(true);
      expect(text(document.getElementById(btn.getAttribute("aria-describedby")!))).toBe("Choose the OAuth client file first.");
      expect(step.blocker!()).toBe("Choose the OAuth client file first.");
      choose.click();
      await waitFor(() => !btn.disabled);
      expect(calls.filter(([c]) => c === "choose_oauth_client").length).toBe(1);
      expect(shown(choiceEl)).toContain(`OAuth client: ${CLIENT} Change…`);
      expect(shown(choiceEl)).not.toContain("Needs your organisation's");
      expect(q(choiceEl, "code").textContent).toBe(CLIENT);
      expect(choose.closest<HTMLElement>("[hidden]")).not.toBeNull();
      expect(Array.from(choiceEl.querySelectorAll("button")).some((b) => b.textContent === "Change…" && b.closest("[hidden]") === null)).toBe(true);
      expect(text(document.getElementById(btn.getAttribute("aria-describedby")!))).toBe("");
      expect(step.blocker!()).toBe("Sign in and check access first.");
      // The other GCS methods keep their own button.
      const token = q<HTMLInputElement>(root, 'input[name="method"][value="gcs_token"]');
      token.checked = true;
      token.dispatchEvent(new Event("change"));
      expect(btn.textContent).toBe("Sign in and check");
    });

    it("signs in through the browser like any other method: who, then Next", async () => {
      const { step, root, ctx, calls } = await chosen({
        oauth_client_file: () => CLIENT,
        sign_in_with_google: () => ({ ...ok(), who, url: "gs://leap-persistent/octocat/" }),
      });
      expect(shown(q(root, '.choice[data-method="gcs_browser"]'))).toContain(`OAuth client: ${CLIENT}`);
      expect(root.querySelector("#choose-oauth-client")!.closest("[hidden]")).not.toBeNull();
      const btn = q<HTMLButtonElement>(root, "#sign-in-check");
      expect(btn.disabled).toBe(false);
      expect(step.canNext()).toBe(false);
      btn.click();
      await waitFor(() => root.querySelector(".signed-in"));
      expect(googleCalls(calls)).toEqual([{ destination: { kind: "gcs", bucket: "leap-persistent", prefix: "octocat/" }, remember: false }]);
      expect(signInCalls(calls)).toEqual([]);
      expect(text(q(root, ".signed-in"))).toContain(`Signed in as ${who}. Can list, write and delete under gs://leap-persistent/octocat/.`);
      expect(step.canNext()).toBe(true);
      expect(step.blocker!()).toBeNull();
      expect(ctx.state.signedIn?.who).toBe(who);
      expect(ctx.state.signedInFor).toBe(destinationKey(ctx.state));
      expect(q<HTMLElement>(root, "#sign-out").hidden).toBe(false);
      expect(q<HTMLElement>(root, "#cancel-google-sign-in").hidden).toBe(true);
      expect(btn.textContent).toBe("Sign in with Google");
      expect(step.escape!()).toBe(false); // nothing to cancel any more
      // Like any sign-in, a changed destination needs a fresh one.
      typeInto(q(root, '[data-panel="gcs"] input[name="prefix"]'), "other/");
      expect(step.canNext()).toBe(false);
      expect(ctx.state.signedIn).toBeNull();
    });

    it("waits for the browser with a Cancel button; cancelling is a neutral note, not an error", async () => {
      let reject: (e: unknown) => void = () => undefined;
      const { step, root, calls } = await chosen({
        oauth_client_file: () => CLIENT,
        sign_in_with_google: () => new Promise<SignedIn>((_, rj) => (reject = rj)),
        cancel_google_sign_in: () => {
          reject({ code: "cancelled", message: "the sign-in was cancelled", hint: "Press Sign in with Google to try again." });
          return true;
        },
      });
      const btn = q<HTMLButtonElement>(root, "#sign-in-check");
      expect(step.escape!()).toBe(false);
      btn.click();
      await waitFor(() => googleCalls(calls).length === 1);
      const wait = q<HTMLElement>(root, ".google-wait");
      expect(wait.getAttribute("role")).toBe("status");
      expect(text(wait)).toBe("Waiting for the browser… finish signing in there.");
      expect(text(q(root, ".auth-status"))).toBe("");
      const cancel = q<HTMLButtonElement>(root, "#cancel-google-sign-in");
      expect(cancel.hidden).toBe(false);
      expect(btn.disabled).toBe(true);
      expect(step.canNext()).toBe(false);
      cancel.click();
      await waitFor(() => text(wait) === "Sign-in cancelled.");
      expect(calls.filter(([c]) => c === "cancel_google_sign_in").length).toBe(1);
      expect(cancel.hidden).toBe(true);
      expect(q<HTMLElement>(root, ".cloud-sign-in .inline-error").hidden).toBe(true);
      expect(Array.from(root.querySelectorAll('[role="alert"]')).some((el) => text(el).includes("cancelled"))).toBe(false);
      expect(btn.disabled).toBe(false);
      expect(step.canNext()).toBe(false);
      expect(step.blocker!()).toBe("Sign in and check access first.");
      // Escape cancels a wait too.
      btn.click();
      await waitFor(() => googleCalls(calls).length === 2 && !cancel.hidden);
      expect(step.escape!()).toBe(true);
      await waitFor(() => text(wait) === "Sign-in cancelled.");
      expect(calls.filter(([c]) => c === "cancel_google_sign_in").length).toBe(2);
    });

    it("declining in the browser is shown inline like any refused sign-in", async () => {
      const { step, root } = await chosen({
        oauth_client_file: () => CLIENT,
        sign_in_with_google: () => Promise.reject({ code: "access_denied", message: "Google sign-in was declined", hint: "Press Sign in with Google and allow access to Cloud Storage." }),
      });
      q<HTMLButtonElement>(root, "#sign-in-check").click();
      const err = q<HTMLElement>(root, ".cloud-sign-in .inline-error");
      await waitFor(() => !err.hidden);
      expect(text(err)).toContain("Google sign-in was declined");
      expect(text(q(root, ".google-wait"))).toBe("");
      expect(step.canNext()).toBe(false);
    });

    it("shows a wrong OAuth client file next to the Choose button", async () => {
      const { root } = await chosen({
        choose_oauth_client: () => Promise.reject({ code: "bad_argument", message: "/home/me/notes.json is not an OAuth client file", hint: "Choose the client_secret.json your organisation gave you." }),
      });
      const choose = q<HTMLButtonElement>(root, "#choose-oauth-client");
      choose.click();
      const err = q<HTMLElement>(root, ".oauth-client-error");
      await waitFor(() => !err.hidden);
      expect(text(err)).toContain("is not an OAuth client file");
      expect(text(err)).toContain("Choose the client_secret.json your organisation gave you.");
      expect(err.closest('.choice[data-method="gcs_browser"]')).not.toBeNull();
      expect(q<HTMLButtonElement>(root, "#sign-in-check").disabled).toBe(true);
      expect(q<HTMLElement>(root, ".cloud-sign-in .inline-error").hidden).toBe(true);
    });
  });

  it("labels every credential input and groups the choices under a legend", async () => {
    const { root } = await s3Filled();
    for (const input of Array.from(root.querySelectorAll<HTMLInputElement | HTMLSelectElement>(".cloud-sign-in input, .cloud-sign-in select"))) {
      expect(input.labels?.length, input.name).toBeGreaterThan(0);
    }
    for (const set of Array.from(root.querySelectorAll(".how-form fieldset"))) {
      expect(text(set.querySelector("legend"))).toBe("How you sign in");
    }
    const whyEl = q<HTMLDetailsElement>(root, 'details.why[data-why="sign-in"]');
    expect(text(whyEl)).toContain("only in Ferry's memory");
    expect(text(whyEl)).toContain("nothing is written to disk");
    expect(q<HTMLAnchorElement>(whyEl, "a.learn-more").href).toBe("https://leap-stc.github.io/");
  });
});
