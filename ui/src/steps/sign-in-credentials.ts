// "How you sign in" to a cloud destination: the methods of each family, their inputs, and what
// Ferry found on this computer (profiles, environment keys, gcloud's files, loose file modes).
// sign-in.ts owns the sign-in itself. Commands: src-tauri/src/gui/sign_in.rs.
import type { CredentialSources } from "../bindings/CredentialSources";
import type { Credentials } from "../bindings/Credentials";
import { copyText } from "../clipboard";
import { append, h, uid } from "../dom";
import { call, type FerryError, toFerryError } from "../ipc";
import type { DestinationKind } from "../state";

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

const ADC_COMMAND = "gcloud auth application-default login --no-browser --scopes=https://www.googleapis.com/auth/devstorage.read_write";

export interface CredentialsEvents {
  /** What the form says changed: a sign-in made with what was there before no longer counts. */
  stale(): void;
  /** The chosen method, or which ones can be chosen, changed: repaint the sign-in. */
  repaint(): void;
  /** Enter in a credential input: "Sign in and check". */
  submit(): void;
}

export interface CredentialsForm {
  /** The S3 and GCS forms, "Look again" and why looking failed, in page order. */
  nodes: HTMLElement[];
  method(family: CredentialFamily): S3Method | GcsMethod;
  /** Show the family's form (none for a local folder); the first time, look for saved credentials. */
  show(family: CredentialFamily | null): void;
  /** What the form says, as the `sign_in` command takes it (not for the browser method). */
  credentials(family: CredentialFamily): Credentials;
  /** Signed in: the typed secrets are now only in Ferry's memory, not in this window. */
  clearSecrets(): void;
  /** Each method: whether it can be chosen, whether it is, and its body shown only then. */
  paint(): void;
  focusMethod(family: CredentialFamily): void;
}

/** `browserBody`: the Google browser method's own bits (sign-in-google.ts). */
export function createCredentialsForm(browserBody: Node, on: CredentialsEvents): CredentialsForm {
  let s3Method: S3Method = "s3_keys";
  let gcsMethod: GcsMethod = "gcs_token";
  let sources: CredentialSources | null = null;
  let sourcesState: "unloaded" | "loading" | "loaded" | "failed" = "unloaded";
  let sourcesError: FerryError | null = null;
  const credSets = new Map<CredentialFamily, HTMLElement>();
  const methodRadios = new Map<S3Method | GcsMethod, HTMLInputElement>();
  const methodBodies = new Map<S3Method | GcsMethod, HTMLElement>();
  const methodNotes = new Map<S3Method | GcsMethod, HTMLElement>();
  // A typed secret lives only in its input until sign-in.ts sends it to Ferry's core.
  const cred: Record<"access_key_id" | "secret_access_key" | "gcs_token" | "token_file", HTMLInputElement> = {} as never;

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
        on.stale();
        on.repaint();
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
      oninput: () => on.stale(),
      onkeydown: (e: KeyboardEvent) => {
        // Enter here means "Sign in and check", not Next.
        if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing) {
          e.preventDefault();
          on.submit();
        }
      },
    });
    cred[name] = input;
    return h("div", { class: "field" }, h("label", { for: id }, label), h("div", { class: "field-row" }, input), opts.help ? h("p", { id: helpId, class: "help" }, ...opts.help) : null);
  }

  const code = (t: string) => h("code", {}, t);
  const profileId = uid("cred-profile");
  const profileSelect = h("select", { id: profileId, name: "profile", onchange: () => on.stale() });
  const rcloneProblem = h("p", { class: "warning rclone-problem", hidden: true });
  /** Credentials files other users can read: shown with the chmod that fixes them. */
  const fileWarnings = h("ul", { class: "warning file-warnings", hidden: true, "aria-label": "Credentials files others can read" });
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
    choice("gcs", "gcs_browser", "Sign in with Google in the browser", [browserBody], [
      "Opens your browser on Google's sign-in page; Ferry gets access to Cloud Storage only (read and write), kept in memory unless you tick Remember me.",
    ]),
  );
  credSets.set("s3", form("s3", s3Set)).set("gcs", form("gcs", gcsSet));
  const sourcesNote = h("p", { class: "warning", hidden: true });
  const lookAgain = h("button", { type: "button", class: "secondary look-again", onclick: () => void loadSources() }, "Look again");

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
    if (s3Method !== was.s3Method || gcsMethod !== was.gcsMethod || (s3Method === "s3_profile" && profileSelect.value !== was.profile)) on.stale();
    on.repaint();
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

  paintSources(); // "Looking for profiles…" until the first look

  return {
    nodes: [credSets.get("s3")!, credSets.get("gcs")!, h("p", { class: "help sources" }, "Added a profile or ran gcloud since Ferry started? ", lookAgain), sourcesNote],
    method: (family) => (family === "gcs" ? gcsMethod : s3Method),
    show(family) {
      for (const [f, set] of credSets) set.hidden = f !== family;
      if (family && sourcesState === "unloaded") void loadSources();
    },
    credentials(family) {
      if (family === "gcs") {
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
    },
    clearSecrets() {
      cred.secret_access_key.value = "";
      cred.gcs_token.value = "";
    },
    paint() {
      for (const [m, r] of methodRadios) {
        const available = methodAvailable(m, sources);
        const chosen = m === (m.startsWith("gcs_") ? gcsMethod : s3Method);
        r.disabled = !available;
        r.checked = chosen;
        r.closest(".choice")?.classList.toggle("unavailable", !available);
        methodBodies.get(m)!.hidden = !chosen;
      }
    },
    focusMethod(family) {
      methodRadios.get(family === "gcs" ? gcsMethod : s3Method)?.focus();
    },
  };
}
