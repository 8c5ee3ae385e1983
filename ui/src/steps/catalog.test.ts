import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CatalogDraft } from "../bindings/CatalogDraft";
import type { FieldProblem } from "../bindings/FieldProblem";
import type { FormField } from "../bindings/FormField";
import type { IssueDraft } from "../bindings/IssueDraft";
import type { IssueFields } from "../bindings/IssueFields";
import type { RenderedFeedstock } from "../bindings/RenderedFeedstock";
import type { RenderedIssue } from "../bindings/RenderedIssue";
import type { StoreInfo } from "../bindings/StoreInfo";
import type { WriteSummary } from "../bindings/WriteSummary";
import { initialState, type WizardState } from "../state";
import { makeCtx, mockCommands, mountIn, text, typeInto, waitFor, type Handler } from "../test-utils";
import { createCatalog, instructionBlocks, NO_UPLOAD, repoIssue, requiredMissing, slug } from "./catalog";

// The form as src-tauri/src/catalog/form.rs has it (the `catalog_form` command's answer).
const field = (id: string, label: string, kind: FormField["kind"], required: boolean, help = "", extra: Partial<FormField> = {}): FormField => ({ id, label, kind, required, options: [], default: null, render: null, help, ...extra });
const FORM: FormField[] = [
  field("name", "Dataset Name", "input", true, "The official name of the dataset"),
  field("url", "Dataset URL", "input", false, "Link to the official version of the dataset (if it exists)"),
  field("description", "Description", "textarea", false, "A few sentences describing why this dataset is interesting / important / useful and to which LEAP research it would be useful."),
  field("size", "Size", "input", false, "How large is the full dataset and is it split over multiple files"),
  field("license", "License", "input", true, "The usage license of the data: an official name from the SPDX license list, or a URL pointing at the official license.", { default: "Unknown" }),
  field("format", "Data Format", "dropdown", true, "", { options: ["NetCDF", "HDF", "OPeNDAP", "Zarr", "Grib", "GeoTIFF / COG", "Parquet", "CSV / TSV etc.", "Other (describe below)"] }),
  field("format-other", "Data Format (other)", "input", false, 'Only fill this out if you chose "Other" in the previous question'),
  field("location", "Access protocol", "dropdown", true, "How will Pangeo Forge Cloud access your data?", { options: ["HTTP(S)", "FTP", "S3", "Other cloud storage (GCS, ADLFS)", "Globus", "scp", "Other"] }),
  field("organization", "Source File Organization", "textarea", false, "Describe how the source files are organized in as much detail as possible."),
  field("examples", "Example URLs", "textarea", false, "If possible, give some examples of some actual URLs that point to the data", { render: "shell" }),
  field("authorization", "Authorization", "dropdown", false, "Is any authorization required to access the data?", { options: ["No; data are fully public", "Username / Password", "NASA Earthdata Login", "API Token", "Globus login", "Other authorization"] }),
  field("transformation", "Transformation / Processing", "textarea", false, "Describe how the files should be combined into one analysis-ready dataset, and any transformations or cleaning."),
  field("target-format", "Target Format", "dropdown", true, "", { options: ["Zarr", "Reference Filesystem (Kerchunk)", "Parquet", "Other"] }),
  field("comments", "Comments", "textarea", false, "Any other comments you wish to share about the dataset."),
];

const PUBLIC = "https://nyu1.osn.mghpcc.org/leap-pangeo-inbox/alice/a1b.zarr";

// The a1b draft of tests/golden/catalog/a1b_osn (issue.md).
function a1bFields(): IssueFields {
  return {
    name: "a1b",
    url: "",
    description: "",
    size: "6 NetCDF files totalling 702.1 kB on disk (117.0 kB each); 524.5 kB uncompressed; 3.2 kB as Zarr",
    license: "Unknown",
    format: "NetCDF",
    "format-other": "",
    location: "S3",
    organization:
      "6 NetCDF files, each with 12 time steps (yearly): 72 time steps in all, from 1860-06-01 to 1931-06-01. The files are named A1B_north_america_year00.nc to A1B_north_america_year05.nc. The time axis uses the 360_day calendar.\n\nData variables:\n\n- `air_temperature` (time, latitude, longitude), in K\n\nDimensions after merging: time=72, latitude=37, longitude=49, bnds=2.",
    examples: PUBLIC,
    authorization: "",
    transformation:
      'Ferry concatenated the 6 files along `time` (ordered by time) into one Zarr store, combining them as `xr.open_mfdataset(files, combine="by_coords", data_vars="minimal", coords="minimal", compat="override")` does.\n\nWritten as Zarr v2, compressed with blosc/zstd, with consolidated metadata. Chunks:\n\n- `air_temperature`: time=72, latitude=37, longitude=49',
    "target-format": "Zarr",
    comments: `The Zarr store is at ${PUBLIC} (\`s3://leap-pangeo-inbox/alice/a1b.zarr\` on the OSN pod).\n\nOpen it with:\n\n\`\`\`python\nimport xarray as xr\n\nds = xr.open_dataset("${PUBLIC}", engine="zarr", chunks={})\n\`\`\`\n\nDrafted with Ferry.`,
  };
}

function a1bStore(complete = true): StoreInfo {
  return {
    url: "s3://leap-pangeo-inbox/alice/a1b.zarr",
    public_url: PUBLIC,
    kind: { type: "s3", endpoint: "https://nyu1.osn.mghpcc.org", bucket: "leap-pangeo-inbox" },
    complete,
    zarr_bytes: complete ? 3200 : null,
    zarr_format: 2,
    arrays: [{ name: "air_temperature", dims: ["time", "latitude", "longitude"], shape: [72, 37, 49], chunks: [72, 37, 49], inner_chunks: null, compressor: "blosc/zstd" }],
    attrs: {},
  };
}

// A small stand-in for the core's render (markdown.rs, url.rs): the same layout and validations.
let urlLimit = 8000;
function body(f: IssueFields): string {
  const get = (id: string) => (f as Record<string, string>)[id] ?? "";
  return FORM.map((x) => {
    const v = get(x.id).trim();
    const shown = v === "" ? "_No response_" : x.render ? `\`\`\`${x.render}\n${v}\n\`\`\`` : v;
    return `### ${x.label}\n\n${shown}`;
  }).join("\n\n");
}
function validate(f: IssueFields): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const x of FORM) {
    const v = ((f as Record<string, string>)[x.id] ?? "").trim();
    if (x.required && !v) out.push({ field: x.id, code: "required", message: `${x.label} is required.` });
    else if (x.kind === "dropdown" && v && !x.options.includes(v)) out.push({ field: x.id, code: "not_an_option", message: `${x.label}: "${v}" is not one of the form's options.` });
  }
  return out;
}
function render(issue: IssueDraft): RenderedIssue {
  const title = `New Dataset [${issue.fields.name.trim()}]`;
  const base = `https://github.com/${issue.repo}/issues/new`;
  const full = `${base}?template=new_dataset.yaml&title=${encodeURIComponent(title)}&labels=dataset&${FORM.map((x) => `${x.id}=${encodeURIComponent((issue.fields as Record<string, string>)[x.id] ?? "")}`).join("&")}`;
  const b = body(issue.fields);
  const prefilled = full.length <= urlLimit;
  return {
    repo: issue.repo,
    title,
    labels: ["dataset"],
    body: b,
    document: `# ${title}\n\n${b}\n`,
    link: prefilled
      ? { url: full, prefilled, clipboard: null, message: null, full_length: full.length }
      : {
          url: `${base}?title=${encodeURIComponent(title)}&labels=dataset`,
          prefilled,
          clipboard: b,
          message: `The draft is too long for a prefilled link (${Math.ceil(full.length / 1000)} KB; GitHub takes about 8 KB), so the issue opens with its title only. The text of the request is on the clipboard: paste it as the issue's description.`,
          full_length: full.length,
        },
    problems: validate(issue.fields),
  };
}
function feedstock(issue: IssueDraft, store: StoreInfo, people: { maintainer_name: string; github_user: string }): RenderedFeedstock {
  const name = people.maintainer_name || people.github_user;
  const maintainers = name ? [{ name, github: people.github_user || null }] : [];
  const repo = "leap-stc/a1b_feedstock";
  const metaUrl = `https://github.com/${repo}/blob/main/feedstock/meta.yaml`;
  return {
    draft: {
      repo,
      meta: { title: issue.fields.name, description: issue.fields.description, maintainers, provenance: { providers: [], license: issue.fields.license, license_link: null } },
      catalog: { meta_yaml_url: metaUrl, tags: ["zarr"], stores: [{ id: "a1b", name: "a1b", url: store.public_url ?? store.url }] },
      store_complete: store.complete,
      store_local: false,
    },
    meta_yaml: `title: "${issue.fields.name}"\nprovenance:\n  license: "${issue.fields.license}"\nmaintainers:\n${maintainers.map((m) => `  - name: "${m.name}"\n    github: "${m.github}"`).join("\n")}\n`,
    catalog_yaml: `"ncviewjs:meta_yaml_url": "${metaUrl}"\ntags:\n  - "zarr"\nstores:\n  - id: "a1b"\n    url: "${store.public_url}"\n`,
    problems: issue.fields.description ? [] : [{ file: "meta.yaml", path: "description", message: "The catalog needs a description." }],
    instructions: `## What to do with meta.yaml and catalog.yaml\n\n1. Create the feedstock repository \`${repo}\` from the template\n   https://github.com/leap-stc/LEAP_template_feedstock ("Use this template").\n2. Replace \`feedstock/meta.yaml\` and \`feedstock/catalog.yaml\` with these two files.\n`,
  };
}

function a1bDraft(complete = true): CatalogDraft {
  const store = a1bStore(complete);
  const fields = a1bFields();
  const notes: IssueDraft["notes"] = [
    { field: "name", code: "name_from_store", message: "No title attribute in the data: the name is the store's. Give the dataset's official name." },
    { field: "description", code: "description_missing", message: "No summary or comment attribute in the data: write a few sentences on why this dataset is useful to LEAP research." },
    { field: "license", code: "license_unknown", message: 'No license attribute in the data: the license is "Unknown". Give its SPDX name (e.g. CC-BY-4.0) or a link to it.' },
  ];
  if (!complete) {
    fields.comments = `**The store is not complete yet:** it has no consolidated metadata, so its upload has not finished.\n\n${fields.comments}`;
    notes.push({ field: null, code: "store_incomplete", message: "The store has no consolidated metadata: its upload did not finish. Finish (resume) the upload before submitting; the draft says so meanwhile." });
  }
  const issue: IssueDraft = { repo: "leap-stc/data-management", fields, notes };
  return { issue, rendered: render(issue), store, feedstock: feedstock(issue, store, { maintainer_name: "", github_user: "alice-example" }) };
}

const uploaded: WriteSummary = {
  url: "s3://leap-pangeo-inbox/alice/a1b.zarr",
  public_url: PUBLIC,
  snippet: "",
  bytes: 524_500,
  bytes_stored: 3200,
  chunks: 1,
  chunks_skipped: 0,
  objects: 12,
  seconds: 1.2,
  mb_per_s: 0.4,
  compression_ratio: 160,
};

let writeText: ReturnType<typeof vi.fn>;
beforeEach(() => {
  urlLimit = 8000;
  localStorage.clear();
  writeText = vi.fn(() => Promise.resolve());
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function setup(opts: { draft?: CatalogDraft; state?: WizardState; handlers?: Record<string, Handler> } = {}) {
  const state = opts.state ?? initialState();
  if (!opts.state) {
    state.kind = "osn";
    state.forms.osn.githubUser = "alice-example";
    state.uploaded = uploaded;
  }
  const d = opts.draft ?? a1bDraft();
  const calls = mockCommands({
    catalog_form: () => FORM,
    draft_catalog: () => structuredClone(d),
    render_issue: (a) => render(a.issue as IssueDraft),
    render_catalog_files: (a) => feedstock(a.issue as IssueDraft, a.store as StoreInfo, a.people as { maintainer_name: string; github_user: string }),
    open_link: () => null,
    save_text: (a) => `/home/alice/Documents/${a.fileName}`,
    ...opts.handlers,
  });
  const ctx = makeCtx(state);
  const step = createCatalog(ctx);
  const root = mountIn();
  root.dataset.step = "catalog";
  step.mount(root);
  return { ctx, step, root, calls };
}

const control = (root: HTMLElement, id: string) => root.querySelector<HTMLInputElement>(`[data-step="catalog"] [data-field="${id}"] input, [data-step="catalog"] [data-field="${id}"] select, [data-step="catalog"] [data-field="${id}"] textarea`)!;
const count = (calls: [string, unknown][], cmd: string) => calls.filter(([c]) => c === cmd).length;

describe("catalog logic", () => {
  it("names files after the title", () => {
    expect(slug("New Dataset [a1b]")).toBe("new-dataset-a1b");
    expect(slug("New Dataset [Élan / v2.1]")).toBe("new-dataset-elan-v2-1");
    expect(slug("[]")).toBe("catalog-request");
  });
  it("checks the target repository", () => {
    expect(repoIssue("leap-stc/data-management")).toBeNull();
    expect(repoIssue("")).toBeNull();
    expect(repoIssue("leap-stc")).toContain("owner/name");
    expect(repoIssue("https://github.com/a/b")).not.toBeNull();
  });
  it("lists the missing required fields by label", () => {
    expect(requiredMissing(validate({ ...a1bFields(), name: "", license: " " }), FORM)).toEqual(["Dataset Name", "License"]);
    expect(requiredMissing([{ field: "url", code: "not_a_url", message: "" }], FORM)).toEqual([]);
  });
  it("shows the instructions' Markdown as text, never as HTML", () => {
    const els = instructionBlocks("## What to do\n\n1. Create `x/y` from\n   the template.\n2. <b>Commit</b> them.\n\nThen wait.");
    expect(els.map((e) => e.tagName)).toEqual(["H3", "OL", "P"]);
    expect(els[1].querySelectorAll("li").length).toBe(2);
    expect(text(els[1].querySelector("li"))).toBe("Create x/y from the template.");
    expect(els[1].querySelector("li code")!.textContent).toBe("x/y");
    expect(els[1].querySelector("b")).toBeNull();
    expect(text(els[1].querySelectorAll("li")[1])).toBe("<b>Commit</b> them.");
  });
});

describe("catalog step", () => {
  it("without an upload: says so, and asks the core nothing", async () => {
    const state = initialState();
    const { root, step, calls } = setup({ state });
    await step.enter!();
    expect(text(root)).toContain(NO_UPLOAD);
    expect(calls).toEqual([]);
    expect(root.querySelector(".markdown-preview")).toBeNull();
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toContain("Upload");
  });

  it("drafts from the upload: every field of the form, in order, prefilled; notes beside their fields", async () => {
    const { root, step, calls } = setup();
    await step.enter!();
    expect(calls.map(([c]) => c)).toEqual(["catalog_form", "draft_catalog"]);
    expect(calls[1][1]).toEqual({ people: { repo: "leap-stc/data-management", maintainer_name: "", github_user: "alice-example" } });
    const ids = Array.from(root.querySelectorAll<HTMLElement>(".catalog-form [data-field]")).map((e) => e.dataset.field);
    expect(ids).toEqual(["target-repo", ...FORM.map((f) => f.id)]);
    const fields = a1bFields() as Record<string, string>;
    for (const f of FORM) expect(control(root, f.id).value, f.id).toBe(fields[f.id]);
    expect(control(root, "target-repo").value).toBe("leap-stc/data-management");
    // Kinds: dropdowns are selects with the form's options, textareas for long text.
    const format = control(root, "format") as unknown as HTMLSelectElement;
    expect(format.tagName).toBe("SELECT");
    expect(Array.from(format.options).map((o) => o.value)).toEqual(["", ...FORM[5].options]);
    expect(control(root, "organization").tagName).toBe("TEXTAREA");
    expect(control(root, "name").tagName).toBe("INPUT");
    // Labels: required marked, help under the field.
    const nameLabel = root.querySelector('[data-field="name"] label')!;
    expect(text(nameLabel)).toContain("Dataset Name *");
    expect(nameLabel.getAttribute("for")).toBe(control(root, "name").id);
    expect(text(root.querySelector('[data-field="url"] label'))).toBe("Dataset URL");
    expect(text(root.querySelector('[data-field="name"] .help'))).toBe("The official name of the dataset");
    // The license note, flagged beside the license.
    const licenseNote = root.querySelector<HTMLElement>('[data-field="license"] .field-note')!;
    expect(licenseNote.hidden).toBe(false);
    expect(text(licenseNote)).toContain('the license is "Unknown"');
    expect(control(root, "license").classList.contains("flagged")).toBe(true);
    expect(control(root, "license").getAttribute("aria-describedby")).toContain(licenseNote.id);
    // The preview: title above the body, as text.
    expect(text(root.querySelector(".issue-title"))).toBe("New Dataset [a1b]");
    const md = root.querySelector<HTMLElement>(".markdown-preview")!;
    expect(md.tagName).toBe("PRE");
    expect(md.textContent).toBe(body(a1bFields()));
    expect(md.children.length).toBe(0);
    // The catalog files, their problems and the instructions.
    expect(root.querySelector(".meta-yaml")!.textContent).toContain('github: "alice-example"');
    expect(root.querySelector(".catalog-yaml")!.textContent).toContain(`url: "${PUBLIC}"`);
    expect(text(root.querySelector(".feedstock-problems"))).toContain("meta.yaml: description");
    expect(text(root.querySelector(".instructions"))).toContain("Create the feedstock repository leap-stc/a1b_feedstock");
    expect(root.querySelector<HTMLDetailsElement>('.why[data-why="catalog"]')!.open).toBe(true);
    expect(root.querySelector(".store-incomplete")).toBeNull();
    expect(root.querySelector<HTMLButtonElement>("#open-issue")!.disabled).toBe(false);
    // Last step: no Next, nothing blocks.
    expect(step.canNext()).toBe(false);
    expect(step.blocker!()).toBeNull();
    // Entering again keeps the draft (and the edits).
    await step.enter!();
    expect(count(calls, "draft_catalog")).toBe(1);
  });

  it("re-renders edits, debounced: the license's problem clears and its note goes", async () => {
    const { root, step, calls } = setup();
    await step.enter!();
    const license = control(root, "license");
    typeInto(license, "");
    await waitFor(() => count(calls, "render_issue") === 1);
    expect(license.getAttribute("aria-invalid")).toBe("true");
    expect(text(root.querySelector('[data-field="license"] .field-issue'))).toBe("License is required.");
    expect(text(root.querySelector("#open-blocked"))).toBe("Fill in the required field first: License.");
    expect(root.querySelector<HTMLElement>('[data-field="license"] .field-note')!.hidden).toBe(true);

    typeInto(license, "CC");
    typeInto(license, "CC-BY");
    typeInto(license, "CC-BY-4.0");
    await new Promise((r) => setTimeout(r, 100));
    expect(count(calls, "render_issue")).toBe(1); // still typing
    await waitFor(() => count(calls, "render_issue") === 2);
    const [, args] = calls.filter(([c]) => c === "render_issue")[1];
    expect((args.issue as IssueDraft).fields).toEqual({ ...a1bFields(), license: "CC-BY-4.0" });
    expect((args.issue as IssueDraft).repo).toBe("leap-stc/data-management");
    await waitFor(() => license.getAttribute("aria-invalid") === null);
    expect(text(root.querySelector('[data-field="license"] .field-issue'))).toBe("");
    expect(root.querySelector(".markdown-preview")!.textContent).toContain("### License\n\nCC-BY-4.0\n\n### Data Format");
    expect(root.querySelector<HTMLButtonElement>("#open-issue")!.disabled).toBe(false);
    // The catalog files follow the edit.
    await waitFor(() => (root.querySelector(".meta-yaml")!.textContent ?? "").includes('license: "CC-BY-4.0"'));
    const files = calls.filter(([c]) => c === "render_catalog_files");
    expect(files.length).toBe(2);
    expect(files[1][1].people).toEqual({ repo: "leap-stc/data-management", maintainer_name: "", github_user: "alice-example" });
    expect(step.canNext()).toBe(false);
  });

  it("a required field left empty disables Open in browser, with the reason", async () => {
    const d = a1bDraft();
    d.issue.fields.name = "";
    d.rendered = render(d.issue);
    const { root, step, calls } = setup({ draft: d });
    await step.enter!();
    const open = root.querySelector<HTMLButtonElement>("#open-issue")!;
    expect(open.disabled).toBe(true);
    expect(text(root.querySelector("#open-blocked"))).toBe("Fill in the required field first: Dataset Name.");
    expect(open.getAttribute("aria-describedby")).toBe("open-blocked");
    expect(control(root, "name").getAttribute("aria-invalid")).toBe("true");
    expect(text(root.querySelector('[data-field="name"] .field-issue'))).toBe("Dataset Name is required.");
    open.click();
    await new Promise((r) => setTimeout(r, 20));
    expect(count(calls, "open_link")).toBe(0);
    // Filling it in enables it.
    typeInto(control(root, "name"), "A1B North America");
    await waitFor(() => !open.disabled);
    expect(text(root.querySelector(".issue-title"))).toBe("New Dataset [A1B North America]");
  });

  it("opens a prefilled link in the browser", async () => {
    const { root, step, calls } = setup();
    await step.enter!();
    root.querySelector<HTMLButtonElement>("#open-issue")!.click();
    await waitFor(() => count(calls, "open_link") === 1);
    expect((calls.find(([c]) => c === "open_link")![1].url as string).startsWith("https://github.com/leap-stc/data-management/issues/new?template=new_dataset.yaml&title=New%20Dataset%20%5Ba1b%5D")).toBe(true);
    expect(writeText).not.toHaveBeenCalled();
    await waitFor(() => text(root.querySelector(".catalog-preview .action-status")) !== "");
  });

  it("a draft too long for a link: copies the body and opens the title only", async () => {
    urlLimit = 1000; // the a1b link (about 2 KB) is longer than this
    const { root, step, calls } = setup();
    await step.enter!();
    expect(text(root.querySelector(".link-note"))).toContain("Too long for a prefilled link");
    root.querySelector<HTMLButtonElement>("#open-issue")!.click();
    await waitFor(() => count(calls, "open_link") === 1);
    expect(writeText).toHaveBeenCalledWith(body(a1bFields()));
    expect(calls.find(([c]) => c === "open_link")![1]).toEqual({ url: "https://github.com/leap-stc/data-management/issues/new?title=New%20Dataset%20%5Ba1b%5D&labels=dataset" });
    await waitFor(() => text(root.querySelector(".catalog-preview .action-status")).includes("clipboard"));
    expect(text(root.querySelector(".catalog-preview .action-status"))).toContain("opens with its title only");
  });

  it("uses the edited text when Open in browser is pressed before the re-render", async () => {
    urlLimit = 1000;
    const { root, step, calls } = setup();
    await step.enter!();
    typeInto(control(root, "description"), "Yearly air temperature over North America.");
    root.querySelector<HTMLButtonElement>("#open-issue")!.click();
    await waitFor(() => count(calls, "open_link") === 1);
    expect(writeText.mock.calls[0][0]).toContain("### Description\n\nYearly air temperature over North America.");
  });

  it("copies the Markdown body and says so", async () => {
    const { root, step } = setup();
    await step.enter!();
    root.querySelector<HTMLButtonElement>("#copy-markdown")!.click();
    await waitFor(() => writeText.mock.calls.length === 1);
    expect(writeText).toHaveBeenCalledWith(body(a1bFields()));
    const status = root.querySelector(".catalog-preview [role=status]")!;
    await waitFor(() => text(status).includes("Copied"));
  });

  it("saves the document as <slug>.md and shows where", async () => {
    const { root, step, calls } = setup();
    await step.enter!();
    root.querySelector<HTMLButtonElement>("#save-markdown")!.click();
    await waitFor(() => count(calls, "save_text") === 1);
    const args = calls.find(([c]) => c === "save_text")![1];
    expect(args).toEqual({ fileName: "new-dataset-a1b.md", text: `# New Dataset [a1b]\n\n${body(a1bFields())}\n` });
    await waitFor(() => text(root.querySelector(".catalog-preview .action-status")) === "Saved to /home/alice/Documents/new-dataset-a1b.md");
  });

  it("says nothing when the save dialog is cancelled, and shows a save error inline", async () => {
    let fail = false;
    const { root, step, calls } = setup({
      handlers: { save_text: () => (fail ? Promise.reject({ code: "io", message: "/ro/x.md: permission denied", hint: "Choose a folder you can write to." }) : null) },
    });
    await step.enter!();
    root.querySelector<HTMLButtonElement>("#save-markdown")!.click();
    await waitFor(() => count(calls, "save_text") === 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(text(root.querySelector(".catalog-preview .action-status"))).toBe("");
    fail = true;
    root.querySelector<HTMLButtonElement>("#save-markdown")!.click();
    await waitFor(() => !root.querySelector<HTMLElement>(".catalog-preview .inline-error")!.hidden);
    expect(text(root.querySelector(".catalog-preview .inline-error"))).toContain("permission denied");
    expect(text(root.querySelector(".catalog-preview .inline-error"))).toContain("Choose a folder you can write to.");
  });

  it("copies and saves the catalog files; maintainer edits re-render them", async () => {
    const { root, step, calls } = setup();
    await step.enter!();
    root.querySelector<HTMLButtonElement>('[data-copy="meta.yaml"]')!.click();
    await waitFor(() => writeText.mock.calls.length === 1);
    expect(writeText.mock.calls[0][0]).toContain('title: "a1b"');
    root.querySelector<HTMLButtonElement>('[data-save="catalog.yaml"]')!.click();
    await waitFor(() => count(calls, "save_text") === 1);
    expect(calls.find(([c]) => c === "save_text")![1].fileName).toBe("catalog.yaml");
    typeInto(control(root, "maintainer-name"), "Alice Example");
    await waitFor(() => (root.querySelector(".meta-yaml")!.textContent ?? "").includes('name: "Alice Example"'));
    const last = calls.filter(([c]) => c === "render_catalog_files").at(-1)!;
    expect(last[1].people).toEqual({ repo: "leap-stc/data-management", maintainer_name: "Alice Example", github_user: "alice-example" });
  });

  it("a bad target repository disables Open in browser; a good one goes into the link", async () => {
    const { root, step, calls } = setup();
    await step.enter!();
    const repo = control(root, "target-repo");
    typeInto(repo, "leap-stc");
    expect(repo.getAttribute("aria-invalid")).toBe("true");
    expect(root.querySelector<HTMLButtonElement>("#open-issue")!.disabled).toBe(true);
    typeInto(repo, "alice/test-catalog");
    await waitFor(() => count(calls, "render_issue") === 1);
    expect((calls.find(([c]) => c === "render_issue")![1].issue as IssueDraft).repo).toBe("alice/test-catalog");
    await waitFor(() => !root.querySelector<HTMLButtonElement>("#open-issue")!.disabled);
    expect(text(root.querySelector(".issue-meta"))).toContain("alice/test-catalog");
  });

  it("warns prominently when the store is incomplete", async () => {
    const { root, step } = setup({ draft: a1bDraft(false) });
    await step.enter!();
    const warning = root.querySelector(".store-incomplete")!;
    expect(warning).not.toBeNull();
    expect(warning.getAttribute("role")).toBe("alert");
    expect(text(warning)).toContain("The upload did not finish.");
    expect(root.querySelector(".markdown-preview")!.textContent).toContain("**The store is not complete yet:**");
  });

  it("shows a draft error inline with its hint, and tries again", async () => {
    let fail = true;
    const { root, step, calls } = setup({
      handlers: { draft_catalog: () => (fail ? Promise.reject({ code: "store_incomplete", message: "nothing has been uploaded in this session", hint: "Run the upload first: the request describes the finished store." }) : a1bDraft()) },
    });
    await step.enter!();
    expect(text(root.querySelector(".inline-error"))).toContain("nothing has been uploaded in this session");
    expect(text(root.querySelector(".inline-error"))).toContain("Run the upload first");
    expect(step.blocker!()).toBeTruthy();
    fail = false;
    Array.from(root.querySelectorAll("button")).find((b) => b.textContent === "Try again")!.click();
    await waitFor(() => root.querySelector(".markdown-preview") !== null);
    expect(count(calls, "catalog_form")).toBe(1);
    expect(step.blocker!()).toBeNull();
  });

  it("drafts again after a new upload", async () => {
    const { ctx, step, calls } = setup();
    await step.enter!();
    ctx.state.uploaded = { ...uploaded, seconds: 2 };
    await step.enter!();
    expect(count(calls, "draft_catalog")).toBe(2);
    expect(count(calls, "catalog_form")).toBe(1);
  });
});
