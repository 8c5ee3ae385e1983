// Step 1, sign-in: where the store goes. Commands: src-tauri/src/gui/sign_in.rs.
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { CredentialSources } from "../bindings/CredentialSources";
import type { Credentials } from "../bindings/Credentials";
import type { Destination } from "../bindings/Destination";
import type { DestinationDefaults } from "../bindings/DestinationDefaults";
import type { FieldIssue } from "../bindings/FieldIssue";
import type { SignedIn } from "../bindings/SignedIn";
import { append, debounce, h, uid } from "../dom";
import { showError } from "../errors";
import { copyText } from "../clipboard";
import { call, FerryError, toFerryError } from "../ipc";
import { currentDestination, destinationKey, loadDestination, type DestinationKind } from "../state";
import { why } from "../why";
import { CLIENT_NEEDED, createGoogleSignIn } from "./sign-in-google";
import type { Step, StepContext } from "./step";

export const KINDS: { kind: DestinationKind; label: string; note: string }[] = [
  { kind: "local", label: "Local folder", note: "A folder on this computer or a mounted share" },
  { kind: "gcs", label: "Google Cloud Storage", note: "LEAP's leap-persistent bucket, or your own" },
  { kind: "osn", label: "OSN pod", note: "The LEAP inbox on the Open Storage Network" },
  { kind: "s3", label: "Other S3-compatible", note: "Any S3 endpoint, bucket and prefix" },
];

/** The prefix Ferry proposes for a GitHub username: `octocat/`. */
export function proposePrefix(githubUser: string): string {
  const u = githubUser.trim();
  return u ? `${u}/` : "";
}

/** GitHub usernames: letters, digits and single hyphens, at most 39 characters. */
export function githubUserIssue(u: string): string | null {
  const t = u.trim();
  if (!t) return null;
  if (t.length > 39 || !/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$/.test(t)) {
    return "A GitHub username has letters, digits and single hyphens (not at the start or end).";
  }
  return null;
}

export type CheckState =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "invalid" }
  | { kind: "ok"; message: string }
  | { kind: "unavailable"; message: string }
  | { kind: "failed"; error: FerryError };

export function checkStateFrom(outcome: CheckOutcome): CheckState {
  return outcome.checked ? { kind: "ok", message: outcome.message } : { kind: "unavailable", message: outcome.message };
}

/**
 * Next is allowed when the fields validate and, for a local folder, the write check passed; for a
 * cloud destination, "Sign in and check" passed for exactly this destination (`signedIn`).
 */
export function destinationReady(kind: DestinationKind, issues: FieldIssue[], check: CheckState, signedIn = false): boolean {
  if (issues.some((i) => i.severity === "error")) return false;
  if (kind === "local") return check.kind === "ok";
  return signedIn;
}

/** The two families of sign-in: S3 (OSN and other S3 services) and Google Cloud Storage. */
export type CredentialFamily = "s3" | "gcs";
export type S3Method = "s3_keys" | "s3_profile" | "s3_environment";
export type GcsMethod = "gcs_token" | "gcs_token_file" | "gcs_application_default" | "gcs_browser";

export function familyOf(kind: DestinationKind): CredentialFamily | null {
  return kind === "gcs" ? "gcs" : kind === "osn" || kind === "s3" ? "s3" : null;
}

/** Profiles the form offers: ~/.aws/credentials first, then rclone's S3 remotes (`rclone:NAME`). */
export function profileChoices(src: CredentialSources | null): string[] {
  return src ? [...src.aws_profiles, ...src.rclone_remotes] : [];
}

/** Which sign-in methods can be chosen, given what Ferry found on this computer. */
export function methodAvailable(method: S3Method | GcsMethod, src: CredentialSources | null): boolean {
  switch (method) {
    case "s3_profile":
      return profileChoices(src).length > 0;
    case "s3_environment":
      return !!src?.aws_environment;
    case "gcs_application_default":
      return !!src?.gcs_adc_file;
    default:
      return true; // typed keys, a pasted token, a token file, the browser (its button waits for a client file)
  }
}

/** "Can list, write and delete under …": what the check found, in one sentence. */
export function canSentence(r: SignedIn): string {
  const can = [r.can_list && "list", r.can_write && "write", r.can_delete && "delete"].filter((x): x is string => !!x);
  if (can.length === 0) return `Checked ${r.url}.`;
  const list = can.length === 1 ? can[0] : `${can.slice(0, -1).join(", ")} and ${can[can.length - 1]}`;
  return `Can ${list} under ${r.url}.`;
}

const ADC_COMMAND = "gcloud auth application-default login --no-browser --scopes=https://www.googleapis.com/auth/devstorage.read_write";

interface Field {
  name: string;
  input: HTMLInputElement;
  issue: HTMLElement;
}

export function createSignIn(ctx: StepContext): Step {
  const s = ctx.state;
  let issues: FieldIssue[] = [];
  let check: CheckState = { kind: "idle" };
  let pending = false;
  let seq = 0;
  let loaded = false;
  const fields = new Map<string, Field>(); // "kind.field"
  const panels = new Map<DestinationKind, HTMLElement>();
  const radios = new Map<DestinationKind, HTMLInputElement>();
  let statusEl: HTMLElement;
  let pickError: HTMLElement;
  let gcsUrl: HTMLElement;
  let osnUrl: HTMLElement;
  let userIssues: { gcs: HTMLElement; osn: HTMLElement };
  let localCheck: HTMLElement;

  // Cloud sign-in. The secret lives only in its input until "Sign in and check" sends it to Ferry's
  // core, which keeps it in memory; the input is then cleared. Nothing of it goes into `s`.
  let s3Method: S3Method = "s3_keys";
  let gcsMethod: GcsMethod = "gcs_token";
  let sources: CredentialSources | null = null;
  let sourcesState: "unloaded" | "loading" | "loaded" | "failed" = "unloaded";
  let sourcesError: FerryError | null = null;
  let authing = false;
  /** How the current sign-in was made (typed secrets are cleared from the form after it). */
  let signedWith: Credentials["method"] | "gcs_browser" | null = null;
  /** Bumped by every change of destination or credentials: a check that started before is stale. */
  let authGen = 0;
  let cloud: HTMLElement;
  const credSets = new Map<CredentialFamily, HTMLElement>();
  const methodRadios = new Map<S3Method | GcsMethod, HTMLInputElement>();
  const methodBodies = new Map<S3Method | GcsMethod, HTMLElement>();
  const methodNotes = new Map<S3Method | GcsMethod, HTMLElement>();
  const cred: Record<"access_key_id" | "secret_access_key" | "gcs_token" | "token_file", HTMLInputElement> = {} as never;
  let profileSelect: HTMLSelectElement;
  let rcloneProblem: HTMLElement;
  /** Credentials files other users can read: shown with the chmod that fixes them. */
  let fileWarnings: HTMLElement;
  let sourcesNote: HTMLElement;
  let checkBtn: HTMLButtonElement;
  let signOutBtn: HTMLButtonElement;
  let authStatus: HTMLElement;
  let authError: HTMLElement;
  const google = createGoogleSignIn(() => {
    paintAuth();
    ctx.refresh();
  });
  const browser = () => s.kind === "gcs" && gcsMethod === "gcs_browser";
  /** sign_in and sign_out run one after the other, in the order they were asked for. */
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(f: () => Promise<T>): Promise<T> {
    const p = queue.then(f, f);
    queue = p.catch(() => undefined);
    return p;
  }

  function field(kind: DestinationKind, name: string, label: string, opts: { value: string; placeholder?: string; help?: string; readonly?: boolean; oninput?: (v: string) => void; extra?: Node }): HTMLElement {
    const id = uid(`${kind}-${name}`);
    const issueId = `${id}-issue`;
    const helpId = `${id}-help`;
    const input = h("input", {
      id,
      type: "text",
      name,
      value: opts.value,
      placeholder: opts.placeholder,
      readonly: opts.readonly,
      spellcheck: "false",
      autocomplete: "off",
      "aria-describedby": `${opts.help ? helpId + " " : ""}${issueId}`,
      oninput: () => opts.oninput?.(input.value),
    });
    const issue = h("p", { id: issueId, class: "field-issue", "aria-live": "polite" });
    fields.set(`${kind}.${name}`, { name, input, issue });
    return h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h("div", { class: "field-row" }, input, opts.extra),
      opts.help ? h("p", { id: helpId, class: "help" }, opts.help) : null,
      issue,
    );
  }

  const revalidate = debounce(() => void validateAndCheck(), 250);
  function changed(): void {
    markStale();
    pending = true;
    check = { kind: "checking" };
    paintStatus();
    ctx.refresh();
    revalidate();
  }

  async function validateAndCheck(): Promise<void> {
    const my = ++seq;
    const dest = currentDestination(s);
    pending = true;
    let found: FieldIssue[];
    try {
      found = await call<FieldIssue[]>("validate_destination", { destination: dest });
    } catch (e) {
      found = [];
      check = { kind: "failed", error: toFerryError(e) };
    }
    if (my !== seq) return;
    issues = found;
    paintIssues();
    if (issues.some((i) => i.severity === "error")) {
      check = { kind: "invalid" };
    } else if (s.kind !== "local") {
      // A cloud destination is checked by "Sign in and check", with the chosen credentials.
      check = { kind: "idle" };
    } else {
      check = { kind: "checking" };
      paintStatus();
      try {
        const outcome = await call<CheckOutcome>("check_destination", { destination: dest });
        if (my !== seq) return;
        check = checkStateFrom(outcome);
      } catch (e) {
        if (my !== seq) return;
        check = { kind: "failed", error: toFerryError(e) };
      }
    }
    pending = false;
    paintStatus();
    ctx.refresh();
  }

  function paintIssues(): void {
    for (const [key, f] of fields) {
      const [kind] = key.split(".");
      const mine = kind === s.kind ? issues.filter((i) => i.field === f.name) : [];
      const worst = mine.find((i) => i.severity === "error") ?? mine[0];
      f.issue.textContent = worst ? worst.message : "";
      f.issue.className = `field-issue ${worst ? worst.severity : ""}`;
      f.input.setAttribute("aria-invalid", String(worst?.severity === "error"));
    }
    gcsUrl.textContent = `gs://${s.forms.gcs.bucket.trim() || "…"}/${s.forms.gcs.prefix.trim()}`;
    osnUrl.textContent = `${s.defaults?.osn_endpoint ?? ""}/${s.defaults?.osn_bucket ?? ""}/${s.forms.osn.prefix.trim()}`;
    userIssues.gcs.textContent = githubUserIssue(s.forms.gcs.githubUser) ?? "";
    userIssues.osn.textContent = githubUserIssue(s.forms.osn.githubUser) ?? "";
  }

  function paintStatus(): void {
    statusEl.replaceChildren();
    statusEl.className = `check check-${check.kind}`;
    const title = (t: string) => h("strong", {}, t);
    switch (check.kind) {
      case "idle":
        break;
      case "checking":
        statusEl.append(h("span", { class: "spinner", "aria-hidden": "true" }), " Checking…");
        break;
      case "invalid":
        statusEl.append("Fix the highlighted field to check this destination.");
        break;
      case "ok":
        statusEl.append(h("span", { class: "icon", "aria-hidden": "true" }, "✓"), " ", title("Ready. "), check.message);
        break;
      case "unavailable":
        statusEl.append(h("span", { class: "icon", "aria-hidden": "true" }, "ⓘ"), " ", title("Not checked: "), check.message);
        break;
      case "failed":
        append(
          statusEl,
          h("span", { class: "icon", "aria-hidden": "true" }, "✗"),
          " ",
          title("Cannot write here. "),
          check.error.message,
          check.error.hint ? h("span", { class: "hint" }, check.error.hint) : null,
        );
        break;
    }
  }

  function showKind(): void {
    for (const [k, panel] of panels) panel.hidden = k !== s.kind;
    for (const [k, r] of radios) r.checked = k === s.kind;
    const fam = familyOf(s.kind);
    cloud.hidden = fam === null;
    localCheck.hidden = fam !== null;
    for (const [f, set] of credSets) set.hidden = f !== fam;
    if (fam && sourcesState === "unloaded") void loadSources();
    if (fam === "gcs") void google.load();
    paintAuth();
  }

  // ---- Cloud sign-in ----

  function isSignedIn(): boolean {
    return s.kind !== "local" && !!s.signedIn && s.signedInFor === destinationKey(s);
  }

  function signOutNow(): void {
    void serial(() => call("sign_out")).catch(() => undefined);
  }

  /** The destination or the credentials changed: a sign-in (or a check under way) no longer counts. */
  function markStale(): void {
    authGen++;
    google.reset(); // the browser's answer would be for what was there before
    if (!s.signedIn && !authing) return;
    const had = !!s.signedIn;
    s.signedIn = null;
    s.signedInFor = null;
    signOutNow();
    if (had) ctx.invalidateAfter("sign-in");
    paintAuth();
    ctx.refresh();
  }

  async function loadSources(): Promise<void> {
    const was = { s3Method, gcsMethod, profile: profileSelect.value };
    sourcesState = "loading";
    paintSources();
    try {
      sources = await call<CredentialSources>("credential_sources");
      sourcesState = "loaded";
      sourcesError = null;
    } catch (e) {
      sources = null;
      sourcesState = "failed";
      sourcesError = toFerryError(e);
    }
    // A method that is no longer available falls back to typing the keys / pasting a token.
    if (!methodAvailable(s3Method, sources)) s3Method = "s3_keys";
    if (!methodAvailable(gcsMethod, sources)) gcsMethod = "gcs_token";
    paintSources();
    // What the sign-in was made with is gone: it needs a fresh check with what is there now.
    if (s3Method !== was.s3Method || gcsMethod !== was.gcsMethod || (s3Method === "s3_profile" && profileSelect.value !== was.profile)) markStale();
    paintAuth();
  }

  function paintSources(): void {
    const found = profileChoices(sources);
    const before = profileSelect.value;
    profileSelect.replaceChildren();
    const group = (label: string, names: string[]) =>
      names.length ? h("optgroup", { label }, ...names.map((n) => h("option", { value: n }, n.startsWith("rclone:") ? n.slice("rclone:".length) : n))) : null;
    append(profileSelect, group("~/.aws/credentials", sources?.aws_profiles ?? []), group("rclone", sources?.rclone_remotes ?? []));
    if (found.includes(before)) profileSelect.value = before;
    profileSelect.disabled = found.length === 0;

    const note = (m: S3Method | GcsMethod, ...parts: (Node | string)[]) => methodNotes.get(m)!.replaceChildren(...parts);
    const code = (t: string) => h("code", {}, t);
    if (sourcesState === "loading" || sourcesState === "unloaded") {
      note("s3_profile", "Looking for profiles…");
      note("s3_environment", "Looking at Ferry's environment…");
    } else {
      note(
        "s3_profile",
        ...(found.length
          ? [`${found.length} found.`]
          : ["None found: Ferry looked in ", code("~/.aws/credentials"), " (or the file ", code("AWS_SHARED_CREDENTIALS_FILE"), " names) and in rclone's config file."]),
      );
      note(
        "s3_environment",
        ...(sources?.aws_environment
          ? [code("AWS_ACCESS_KEY_ID"), " and ", code("AWS_SECRET_ACCESS_KEY"), " are set."]
          : [code("AWS_ACCESS_KEY_ID"), " and ", code("AWS_SECRET_ACCESS_KEY"), " were not both set when Ferry started."]),
      );
    }
    const adc = sources?.gcs_adc_file;
    const copyStatus = h("span", { class: "copy-status", role: "status" });
    const cmd = h("code", { class: "command" }, ADC_COMMAND);
    note(
      "gcs_application_default",
      h("span", { class: "adc-file" }, ...(adc ? ["In use: ", code(adc), "."] : [sourcesState === "loaded" ? "None found on this computer." : "Looking for them…"])),
      h("span", { class: "block" }, adc ? "To sign in again, run this in a terminal, then press “Look again”:" : "To create them, run this in a terminal, then press “Look again”:"),
      h(
        "span",
        { class: "command-line" },
        cmd,
        h("button", { type: "button", class: "secondary icon-button", "aria-label": "Copy the gcloud command", onclick: () => void copyCommand(ADC_COMMAND, copyStatus) }, "Copy"),
        copyStatus,
      ),
    );
    rcloneProblem.textContent = sources?.rclone_problem ? `rclone: ${sources.rclone_problem}` : "";
    rcloneProblem.hidden = !sources?.rclone_problem;
    const loose = sources?.file_warnings ?? [];
    fileWarnings.replaceChildren(...loose.map((w) => h("li", {}, w)));
    fileWarnings.hidden = loose.length === 0;
    sourcesNote.hidden = sourcesState !== "failed";
    sourcesNote.textContent = sourcesError ? `Ferry could not look for saved credentials: ${sourcesError.message}. ${sourcesError.hint}` : "";
  }

  async function copyCommand(t: string, status: HTMLElement): Promise<void> {
    await copyText(t);
    status.textContent = "Copied.";
    setTimeout(() => (status.textContent = ""), 2000);
  }


  /** What the form says, as the `sign_in` command takes it. */
  function credentials(): Credentials {
    if (s.kind === "gcs") {
      switch (gcsMethod) {
        case "gcs_token":
          return { method: "gcs_token", token: cred.gcs_token.value };
        case "gcs_token_file":
          return { method: "gcs_token_file", path: cred.token_file.value };
        case "gcs_application_default":
          return { method: "gcs_application_default" };
        case "gcs_browser":
          throw new Error("gcs_browser signs in with sign_in_with_google, not sign_in");
      }
    }
    switch (s3Method) {
      case "s3_keys":
        return { method: "s3_keys", access_key_id: cred.access_key_id.value, secret_access_key: cred.secret_access_key.value };
      case "s3_profile":
        return { method: "s3_profile", profile: profileSelect.value };
      case "s3_environment":
        return { method: "s3_environment" };
    }
  }

  async function signIn(): Promise<void> {
    if (authing || s.kind === "local") return;
    showError(authError, null);
    const bad = issues.find((i) => i.severity === "error");
    if (bad && !pending) {
      showError(authError, new FerryError({ code: "bad_argument", message: bad.message, hint: "Fix the highlighted field, then sign in again." }));
      authError.scrollIntoView?.({ block: "nearest" });
      return;
    }
    const viaBrowser = browser();
    if (viaBrowser && !google.clientFile()) return;
    if (s.signedIn) markStale(); // a fresh check replaces the session: sign out first
    const gen = ++authGen;
    const key = destinationKey(s);
    const destination = currentDestination(s);
    // The browser sign-in checks access exactly like sign_in: from here on it is the same path.
    const creds = viaBrowser ? null : credentials();
    authing = true;
    paintAuth();
    ctx.refresh();
    try {
      const out = await serial(() => (creds ? call<SignedIn>("sign_in", { destination, credentials: creds }) : google.signIn(destination)));
      if (gen === authGen && key === destinationKey(s)) {
        s.signedIn = out;
        s.signedInFor = key;
        signedWith = creds ? creds.method : "gcs_browser";
        // The secret is now only in Ferry's memory: not in this window any more.
        cred.secret_access_key.value = "";
        cred.gcs_token.value = "";
      } else {
        signOutNow(); // something changed while checking: this sign-in is for what was there before
      }
    } catch (e) {
      const err = toFerryError(e);
      if (gen === authGen && viaBrowser && err.code === "cancelled") {
        google.cancelled();
      } else if (gen === authGen) {
        showError(authError, err);
        // The button sits low on the page: bring the answer into view.
        authError.scrollIntoView?.({ block: "nearest" });
      }
    } finally {
      authing = false;
      paintAuth();
      ctx.refresh();
      if (viaBrowser) google.returnFocus(checkBtn);
    }
  }

  function signOut(): void {
    markStale();
    showError(authError, null);
    paintAuth();
    // The Sign out button is gone now: focus goes to how you sign in.
    methodRadios.get(s.kind === "gcs" ? gcsMethod : s3Method)?.focus();
  }

  function paintAuth(): void {
    if (!checkBtn) return;
    for (const [m, r] of methodRadios) {
      const available = methodAvailable(m, sources);
      const chosen = m === (m.startsWith("gcs_") ? gcsMethod : s3Method);
      r.disabled = !available;
      r.checked = chosen;
      r.closest(".choice")?.classList.toggle("unavailable", !available);
      methodBodies.get(m)!.hidden = !chosen;
    }
    const viaBrowser = browser();
    google.paint(viaBrowser);
    checkBtn.disabled = authing || (viaBrowser && !google.clientFile());
    checkBtn.textContent = viaBrowser ? (authing ? "Signing in…" : "Sign in with Google") : authing ? "Checking…" : "Sign in and check";
    checkBtn.setAttribute("aria-busy", String(authing));
    const signedIn = isSignedIn();
    signOutBtn.hidden = !signedIn;
    authStatus.replaceChildren();
    if (authing) {
      // A browser sign-in says what it waits for in its own status line.
      if (!google.waiting()) authStatus.append(h("span", { class: "spinner", "aria-hidden": "true" }), " Checking: listing your prefix, writing and deleting one small object…");
    } else if (signedIn && s.signedIn) {
      const r = s.signedIn;
      authStatus.append(
        h(
          "div",
          { class: "signed-in" },
          h("p", {}, h("span", { class: "icon", "aria-hidden": "true" }, "✓"), " ", h("strong", {}, `Signed in as ${r.who}.`), " ", canSentence(r)),
          ...r.warnings.map((w) => h("p", { class: "warning" }, w)),
          r.short_lived ? h("p", { class: "warning short-lived" }, "This token lives about an hour; Ferry warns before a longer upload.") : null,
          r.file ? h("p", { class: "help" }, "Credentials file: ", h("code", {}, r.file)) : null,
          signedWith === "s3_keys" || signedWith === "gcs_token"
            ? h("p", { class: "help" }, "The field was cleared: the secret is now only in Ferry's memory, until you sign out or quit.")
            : null,
        ),
      );
    } else if (authError.hidden) {
      authStatus.append(h("span", { class: "muted" }, "Not signed in yet."));
    }
  }

  function choice<M extends S3Method | GcsMethod>(family: CredentialFamily, method: M, label: string, body: (Node | null)[], note?: (Node | string)[]): HTMLElement {
    const id = uid(`method-${method}`);
    const noteEl = h("span", { id: `${id}-note`, class: "choice-note" }, ...(note ?? []));
    const radio = h("input", {
      type: "radio",
      name: "method",
      id,
      value: method,
      "aria-describedby": noteEl.id,
      onchange: () => {
        if (!radio.checked) return;
        if (family === "s3") s3Method = method as S3Method;
        else gcsMethod = method as GcsMethod;
        markStale();
        paintAuth();
      },
    });
    methodRadios.set(method, radio);
    methodNotes.set(method, noteEl);
    const bodyEl = h("div", { class: "choice-body" }, ...body);
    methodBodies.set(method, bodyEl);
    return h("div", { class: "choice", dataset: { method } }, h("label", { for: id, class: "choice-label" }, radio, " ", label), noteEl, bodyEl);
  }

  function credInput(name: keyof typeof cred, label: string, type: "text" | "password", opts: { placeholder?: string; help?: (Node | string)[] } = {}): HTMLElement {
    const id = uid(`cred-${name}`);
    const helpId = `${id}-help`;
    const input = h("input", {
      id,
      name,
      type,
      placeholder: opts.placeholder,
      autocomplete: "off",
      autocapitalize: "off",
      spellcheck: "false",
      "aria-describedby": opts.help ? helpId : undefined,
      oninput: () => markStale(),
      onkeydown: (e: KeyboardEvent) => {
        // Enter here means "Sign in and check", not Next.
        if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing) {
          e.preventDefault();
          void signIn();
        }
      },
    });
    cred[name] = input;
    return h("div", { class: "field" }, h("label", { for: id }, label), h("div", { class: "field-row" }, input), opts.help ? h("p", { id: helpId, class: "help" }, ...opts.help) : null);
  }

  function buildCloud(): HTMLElement {
    const code = (t: string) => h("code", {}, t);
    const profileId = uid("cred-profile");
    profileSelect = h("select", { id: profileId, name: "profile", onchange: () => markStale() });
    rcloneProblem = h("p", { class: "warning rclone-problem", hidden: true });
    fileWarnings = h("ul", { class: "warning file-warnings", hidden: true, "aria-label": "Credentials files others can read" });
    // Each family in its own <form>: the radios share name="method" but are separate groups.
    const form = (family: CredentialFamily, set: HTMLElement) =>
      h("form", { class: "how-form", dataset: { credentials: family }, hidden: true, onsubmit: (e: Event) => e.preventDefault() }, set);
    const s3Set = h(
      "fieldset",
      { class: "panel how" },
      h("legend", {}, "How you sign in"),
      choice("s3", "s3_keys", "Access key and secret", [
        credInput("access_key_id", "Access key ID", "text"),
        credInput("secret_access_key", "Secret access key", "password", { help: ["Sent only to Ferry's core when you press “Sign in and check”; the field is cleared once you are signed in."] }),
      ]),
      choice("s3", "s3_profile", "A profile from ~/.aws/credentials or rclone", [h("div", { class: "field" }, h("label", { for: profileId }, "Profile"), h("div", { class: "field-row" }, profileSelect))]),
      rcloneProblem,
      fileWarnings,
      choice("s3", "s3_environment", "Keys from the environment", []),
    );
    const gcsSet = h(
      "fieldset",
      { class: "panel how" },
      h("legend", {}, "How you sign in"),
      choice("gcs", "gcs_token", "Temporary access token", [
        credInput("gcs_token", "Access token", "password", {
          help: ["What ", code("gcloud auth print-access-token"), " prints on the hub; it lives about an hour."],
        }),
      ]),
      choice("gcs", "gcs_token_file", "Token file", [
        credInput("token_file", "File holding the token", "text", { placeholder: "~/token.txt", help: ["A file with one access token in it. ~ is your home folder."] }),
      ]),
      choice("gcs", "gcs_application_default", "Application default credentials", []),
      choice("gcs", "gcs_browser", "Sign in with Google in the browser", [google.body], [
        "Opens your browser on Google's sign-in page; Ferry gets access to Cloud Storage only (read and write), and forgets it when you quit.",
      ]),
    );
    credSets.set("s3", form("s3", s3Set)).set("gcs", form("gcs", gcsSet));
    sourcesNote = h("p", { class: "warning", hidden: true });
    const lookAgain = h("button", { type: "button", class: "secondary look-again", onclick: () => void loadSources() }, "Look again");
    checkBtn = h("button", { type: "button", id: "sign-in-check", class: "primary", "aria-describedby": google.blocked.id, onclick: () => void signIn() }, "Sign in and check");
    signOutBtn = h("button", { type: "button", id: "sign-out", class: "secondary", hidden: true, onclick: () => signOut() }, "Sign out");
    authStatus = h("div", { class: "auth-status", role: "status", "aria-live": "polite" });
    authError = h("div", { class: "inline-error", role: "alert", hidden: true });
    return h(
      "section",
      { class: "cloud-sign-in", "aria-label": "Sign in", hidden: true },
      h("h2", { class: "section" }, "Sign in"),
      credSets.get("s3")!,
      credSets.get("gcs")!,
      h("p", { class: "help sources" }, "Added a profile or ran gcloud since Ferry started? ", lookAgain),
      sourcesNote,
      h("div", { class: "sign-in-actions" }, checkBtn, google.cancelButton, signOutBtn, google.blocked),
      google.status,
      authStatus,
      authError,
    );
  }

  function setUser(kind: "gcs" | "osn", v: string): void {
    const f = s.forms[kind];
    f.githubUser = v;
    if (!f.prefixEdited) {
      f.prefix = proposePrefix(v);
      const input = fields.get(`${kind}.prefix`)?.input;
      if (input) input.value = f.prefix;
    }
    changed();
  }

  function setPrefix(kind: "gcs" | "osn", v: string): void {
    s.forms[kind].prefix = v;
    s.forms[kind].prefixEdited = v.trim() !== "" && v !== proposePrefix(s.forms[kind].githubUser);
    changed();
  }

  function syncInputs(): void {
    const set = (key: string, v: string) => {
      const f = fields.get(key);
      if (f) f.input.value = v;
    };
    set("local.path", s.forms.local.path);
    set("gcs.bucket", s.forms.gcs.bucket);
    set("gcs.prefix", s.forms.gcs.prefix);
    set("osn.prefix", s.forms.osn.prefix);
    set("s3.endpoint", s.forms.s3.endpoint);
    set("s3.bucket", s.forms.s3.bucket);
    set("s3.prefix", s.forms.s3.prefix);
  }

  async function chooseFolder(): Promise<void> {
    pickError.textContent = "";
    try {
      const picked = await call<string | null>("pick_destination_folder");
      if (picked) {
        s.forms.local.path = picked;
        syncInputs();
        changed();
      }
    } catch (e) {
      const err = toFerryError(e);
      pickError.textContent = `${err.message}. ${err.hint}`;
    }
  }

  function mount(root: HTMLElement): void {
    const group = h("div", { class: "kinds", role: "radiogroup", "aria-label": "Destination kind" });
    for (const k of KINDS) {
      const id = uid(`kind-${k.kind}`);
      const radio = h("input", {
        type: "radio",
        name: "destination-kind",
        id,
        value: k.kind,
        onchange: () => {
          s.kind = k.kind;
          showError(authError, null); // it was about the other destination
          showKind();
          changed();
        },
      });
      radios.set(k.kind, radio);
      group.append(h("label", { class: "kind", for: id, dataset: { kind: k.kind } }, radio, h("span", { class: "kind-title" }, k.label), h("span", { class: "kind-note" }, k.note)));
    }

    const choose = h("button", { type: "button", class: "secondary", onclick: () => void chooseFolder() }, "Choose…");
    pickError = h("p", { class: "field-issue error", "aria-live": "polite" });
    const local = h(
      "fieldset",
      { class: "panel", dataset: { panel: "local" } },
      h("legend", {}, "Local folder"),
      field("local", "path", "Folder for the store", {
        value: s.forms.local.path,
        placeholder: "~/ferry-stores",
        help: "The Zarr store is written inside this folder. ~ is your home folder; a missing folder is created when the store is written.",
        oninput: (v) => {
          s.forms.local.path = v;
          changed();
        },
        extra: choose,
      }),
      pickError,
    );

    const gcsUser = field("gcs", "github-user", "GitHub username", {
      value: s.forms.gcs.githubUser,
      placeholder: "octocat",
      help: "Used to propose your folder: leap-persistent/<username>/.",
      oninput: (v) => setUser("gcs", v),
    });
    gcsUrl = h("code", { class: "url-preview" });
    const gcs = h(
      "fieldset",
      { class: "panel", dataset: { panel: "gcs" }, hidden: true },
      h("legend", {}, "Google Cloud Storage"),
      gcsUser,
      field("gcs", "bucket", "Bucket", {
        value: s.forms.gcs.bucket,
        placeholder: "leap-persistent",
        help: "leap-persistent keeps data; leap-scratch is emptied after 7 days.",
        oninput: (v) => {
          s.forms.gcs.bucket = v;
          changed();
        },
      }),
      field("gcs", "prefix", "Prefix (folder in the bucket)", {
        value: s.forms.gcs.prefix,
        placeholder: "octocat/",
        oninput: (v) => setPrefix("gcs", v),
      }),
      h("p", { class: "help" }, "Stores go under ", gcsUrl),
    );
    osnUrl = h("code", { class: "url-preview" });
    const osn = h(
      "fieldset",
      { class: "panel", dataset: { panel: "osn" }, hidden: true },
      h("legend", {}, "OSN pod"),
      field("osn", "endpoint", "Endpoint", { value: s.defaults?.osn_endpoint ?? "https://nyu1.osn.mghpcc.org", readonly: true, help: "Preset for the LEAP pod." }),
      field("osn", "bucket", "Bucket", { value: s.defaults?.osn_bucket ?? "leap-pangeo-inbox", readonly: true }),
      field("osn", "github-user", "GitHub username", { value: s.forms.osn.githubUser, placeholder: "octocat", oninput: (v) => setUser("osn", v) }),
      field("osn", "prefix", "Prefix (folder in the bucket)", { value: s.forms.osn.prefix, placeholder: "octocat/", oninput: (v) => setPrefix("osn", v) }),
      h("p", { class: "help" }, "Stores go under ", osnUrl),
    );
    const s3 = h(
      "fieldset",
      { class: "panel", dataset: { panel: "s3" }, hidden: true },
      h("legend", {}, "Other S3-compatible service"),
      field("s3", "endpoint", "Endpoint URL", {
        value: s.forms.s3.endpoint,
        placeholder: "https://s3.example.org",
        oninput: (v) => {
          s.forms.s3.endpoint = v;
          changed();
        },
      }),
      field("s3", "bucket", "Bucket", {
        value: s.forms.s3.bucket,
        placeholder: "my-bucket",
        oninput: (v) => {
          s.forms.s3.bucket = v;
          changed();
        },
      }),
      field("s3", "prefix", "Prefix (folder in the bucket)", {
        value: s.forms.s3.prefix,
        placeholder: "project/",
        oninput: (v) => {
          s.forms.s3.prefix = v;
          changed();
        },
      }),
    );
    // The GitHub username fields have no Rust-side issue: their own inline issue goes under them.
    userIssues = { gcs: fields.get("gcs.github-user")!.issue, osn: fields.get("osn.github-user")!.issue };
    for (const k of ["gcs", "osn"]) fields.delete(`${k}.github-user`);

    panels.set("local", local).set("gcs", gcs).set("osn", osn).set("s3", s3);
    statusEl = h("div", { class: "check", role: "status", "aria-live": "polite" });
    localCheck = h("div", { class: "local-check" }, h("h2", { class: "section" }, "Access check"), statusEl);
    cloud = buildCloud();
    root.append(
      h("p", { class: "lead" }, "Where should the Zarr store go? Ferry remembers your choice for next time."),
      why(
        "sign-in",
        "what Ferry keeps of your sign-in",
        [
          "The key, token or profile you choose stays only in Ferry's memory, for this session: nothing is written to disk, and the secret never comes back to this window. Ferry shows only who you are signed in as. Sign out, or quit Ferry, and it is gone.",
          "“Sign in and check” lists your prefix, writes one small object under it and deletes it again, so a wrong key or a missing permission shows up now rather than hours into an upload.",
          "Ferry remembers only the destination (bucket and prefix) for next time, never a credential. A local folder needs no sign-in.",
        ],
        { label: "LEAP docs", url: "https://leap-stc.github.io/" },
      ),
      h("h2", { class: "section" }, "Destination"),
      group,
      local,
      gcs,
      osn,
      s3,
      cloud,
      localCheck,
    );
    paintSources();
    showKind();
  }

  return {
    id: "sign-in",
    title: "Sign in",
    summary: "Where the store goes",
    mount,
    async enter() {
      if (!loaded) {
        loaded = true;
        try {
          const d = await call<DestinationDefaults>("destination_defaults");
          s.defaults = d;
          loadDestination(s, d.initial);
          syncInputs();
          showKind();
        } catch (e) {
          check = { kind: "failed", error: toFerryError(e) };
        }
      }
      await validateAndCheck();
    },
    busy: () => pending || authing,
    /** The destination was put back into the state (resume at launch): show it and check it. */
    async run() {
      syncInputs();
      showKind();
      await validateAndCheck();
    },
    canNext: () => !pending && !authing && destinationReady(s.kind, issues, check, isSignedIn()),
    blocker() {
      if (pending) return "Checking the destination…";
      if (issues.some((i) => i.severity === "error")) return "Fix the highlighted field first.";
      if (s.kind === "local" && check.kind === "failed") return "Choose a folder Ferry can write to.";
      if (s.kind !== "local" && authing) return google.waiting() ? "Finish signing in in the browser, or cancel." : "Checking access…";
      if (browser() && !isSignedIn() && !google.clientFile()) return CLIENT_NEEDED;
      if (s.kind !== "local" && !isSignedIn()) return "Sign in and check access first.";
      return null;
    },
    /** Escape stops only a wait for the browser. */
    escape: () => google.cancel(),
    async next() {
      const destination: Destination = currentDestination(s);
      try {
        await call("remember_destination", { destination });
      } catch {
        // Not remembering the choice is no reason to stop: the destination itself checked fine.
      }
      return true;
    },
  };
}
