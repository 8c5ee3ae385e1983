// Where the store goes: the kind (local folder, GCS, OSN, other S3) and its panel of fields, with
// each field's issue under it. Edits go straight into the wizard state's forms; sign-in.ts checks
// them. Commands: src-tauri/src/gui/sign_in.rs.
import type { FieldIssue } from "../bindings/FieldIssue";
import { h, uid } from "../dom";
import { call, toFerryError } from "../ipc";
import type { DestinationKind, WizardState } from "../state";

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

export interface DestinationEvents {
  /** A field changed (typed, or a folder chosen): check the destination again. */
  changed(): void;
  /** A kind was chosen (already in `s.kind`). */
  kindChosen(): void;
}

export interface DestinationForm {
  /** The kind radios, then the local, GCS, OSN and S3 panels, in page order. */
  nodes: HTMLElement[];
  /** Show the panel and check the radio of `s.kind`. */
  show(): void;
  /** Put each issue under its field (only the shown kind's), and refresh the URL previews. */
  paintIssues(issues: FieldIssue[]): void;
  /** The state's forms changed behind the inputs' back (loaded, resumed, picked): show them. */
  syncInputs(): void;
}

interface Field {
  name: string;
  input: HTMLInputElement;
  issue: HTMLElement;
}

export function createDestinationForm(s: WizardState, on: DestinationEvents): DestinationForm {
  const fields = new Map<string, Field>(); // "kind.field"
  const panels = new Map<DestinationKind, HTMLElement>();
  const radios = new Map<DestinationKind, HTMLInputElement>();

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

  function setUser(kind: "gcs" | "osn", v: string): void {
    const f = s.forms[kind];
    f.githubUser = v;
    if (!f.prefixEdited) {
      f.prefix = proposePrefix(v);
      const input = fields.get(`${kind}.prefix`)?.input;
      if (input) input.value = f.prefix;
    }
    on.changed();
  }

  function setPrefix(kind: "gcs" | "osn", v: string): void {
    s.forms[kind].prefix = v;
    s.forms[kind].prefixEdited = v.trim() !== "" && v !== proposePrefix(s.forms[kind].githubUser);
    on.changed();
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
        on.changed();
      }
    } catch (e) {
      const err = toFerryError(e);
      pickError.textContent = `${err.message}. ${err.hint}`;
    }
  }

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
        on.kindChosen();
      },
    });
    radios.set(k.kind, radio);
    group.append(h("label", { class: "kind", for: id, dataset: { kind: k.kind } }, radio, h("span", { class: "kind-title" }, k.label), h("span", { class: "kind-note" }, k.note)));
  }

  const choose = h("button", { type: "button", class: "secondary", onclick: () => void chooseFolder() }, "Choose…");
  const pickError = h("p", { class: "field-issue error", "aria-live": "polite" });
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
        on.changed();
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
  const gcsUrl = h("code", { class: "url-preview" });
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
        on.changed();
      },
    }),
    field("gcs", "prefix", "Prefix (folder in the bucket)", {
      value: s.forms.gcs.prefix,
      placeholder: "octocat/",
      oninput: (v) => setPrefix("gcs", v),
    }),
    h("p", { class: "help" }, "Stores go under ", gcsUrl),
  );
  const osnUrl = h("code", { class: "url-preview" });
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
        on.changed();
      },
    }),
    field("s3", "bucket", "Bucket", {
      value: s.forms.s3.bucket,
      placeholder: "my-bucket",
      oninput: (v) => {
        s.forms.s3.bucket = v;
        on.changed();
      },
    }),
    field("s3", "prefix", "Prefix (folder in the bucket)", {
      value: s.forms.s3.prefix,
      placeholder: "project/",
      oninput: (v) => {
        s.forms.s3.prefix = v;
        on.changed();
      },
    }),
  );
  // The GitHub username fields have no Rust-side issue: their own inline issue goes under them.
  const userIssues = { gcs: fields.get("gcs.github-user")!.issue, osn: fields.get("osn.github-user")!.issue };
  for (const k of ["gcs", "osn"]) fields.delete(`${k}.github-user`);
  panels.set("local", local).set("gcs", gcs).set("osn", osn).set("s3", s3);

  return {
    nodes: [group, local, gcs, osn, s3],
    show() {
      for (const [k, panel] of panels) panel.hidden = k !== s.kind;
      for (const [k, r] of radios) r.checked = k === s.kind;
    },
    paintIssues(issues) {
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
    },
    syncInputs,
  };
}
