// Step 6, catalog: draft the "New Dataset" request (an issue on leap-stc/data-management) and
// the feedstock's catalog files from the scan and the finished upload. The user edits the
// form; the core re-renders it (live Markdown preview, validation, the prefilled GitHub link).
// Nothing is sent from here: the user opens the drafted issue in the browser and submits it.
// Commands: src-tauri/src/gui/catalog.rs.
import type { CatalogDraft } from "../bindings/CatalogDraft";
import type { CatalogPeople } from "../bindings/CatalogPeople";
import type { DraftNote } from "../bindings/DraftNote";
import type { FieldProblem } from "../bindings/FieldProblem";
import type { FormField } from "../bindings/FormField";
import type { IssueDraft } from "../bindings/IssueDraft";
import type { IssueFields } from "../bindings/IssueFields";
import type { RenderedFeedstock } from "../bindings/RenderedFeedstock";
import type { RenderedIssue } from "../bindings/RenderedIssue";
import type { StoreInfo } from "../bindings/StoreInfo";
import type { WriteSummary } from "../bindings/WriteSummary";
import { append, h, uid } from "../dom";
import { showError } from "../errors";
import { copyText } from "../clipboard";
import { call, FerryError, toFerryError } from "../ipc";
import type { WizardState } from "../state";
import { why } from "../why";
import type { Step, StepContext } from "./step";

export const DEFAULT_REPO = "leap-stc/data-management";
/** Edits are re-rendered once typing pauses this long. */
export const RENDER_DELAY_MS = 250;
export const NO_UPLOAD = "Upload the store first: the request describes the finished store";
/** Draft notes about the data itself, which editing the field does not make untrue. */
const STICKY_NOTES = new Set(["local_store"]);

/** The GitHub user name entered at sign-in, for the destination in use (else either). */
export function githubUser(s: WizardState): string {
  const { gcs, osn } = s.forms;
  const v = s.kind === "osn" ? osn.githubUser : s.kind === "gcs" ? gcs.githubUser : gcs.githubUser || osn.githubUser;
  return v.trim().replace(/^@/, "");
}

/** A file name from a title: `New Dataset [A1B v2]` → `new-dataset-a1b-v2`. */
export function slug(title: string): string {
  const s = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return s || "catalog-request";
}

/** `owner/name` as GitHub allows it; null when fine. */
export function repoIssue(repo: string): string | null {
  const r = repo.trim();
  if (r === "") return null; // the default
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(r)) return `"${r}" is not a GitHub repository: write it as owner/name, e.g. ${DEFAULT_REPO}.`;
  return null;
}

/** The required fields the draft leaves empty: they keep "Open in browser" disabled. */
export function requiredMissing(problems: FieldProblem[], form: FormField[]): string[] {
  return problems.filter((p) => p.code === "required").map((p) => form.find((f) => f.id === p.field)?.label ?? p.field);
}

/** The instructions' Markdown as plain elements: headings, numbered steps, paragraphs, `code`. No HTML is parsed. */
export function instructionBlocks(md: string): HTMLElement[] {
  const inline = (text: string): (string | Node)[] => text.split("`").map((part, i) => (i % 2 ? h("code", {}, part) : part));
  const out: HTMLElement[] = [];
  let list: HTMLOListElement | null = null;
  let item: string[] | null = null;
  let para: string[] = [];
  const flushItem = () => {
    if (item && list) list.append(h("li", {}, ...inline(item.join(" "))));
    item = null;
  };
  const flushPara = () => {
    if (para.length) out.push(h("p", {}, ...inline(para.join(" "))));
    para = [];
  };
  for (const raw of md.replace(/\r\n/g, "\n").split("\n")) {
    const line = raw.trim();
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const numbered = /^\d+\.\s+(.*)$/.exec(line);
    if (line === "") {
      flushItem();
      flushPara();
      list = null;
    } else if (heading) {
      flushItem();
      flushPara();
      list = null;
      out.push(h("h3", { class: "instructions-title" }, ...inline(heading[1])));
    } else if (numbered) {
      flushItem();
      flushPara();
      if (!list) {
        list = h("ol", {});
        out.push(list);
      }
      item = [numbered[1]];
    } else if (item) {
      item.push(line);
    } else {
      para.push(line);
    }
  }
  flushItem();
  flushPara();
  return out;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

interface FieldView {
  field: FormField;
  control: Control;
  note: HTMLElement;
  problem: HTMLElement;
  helpId: string;
}

export function createCatalog(ctx: StepContext): Step {
  const s = ctx.state;
  let body: HTMLElement;
  let form: FormField[] | null = null;
  let draft: CatalogDraft | null = null;
  let draftedFor: WriteSummary | null = null;
  let loadingFor: WriteSummary | null = null;
  let issue: IssueDraft | null = null;
  let drafted: IssueFields | null = null;
  let rendered: RenderedIssue | null = null;
  let feedstock: RenderedFeedstock | null = null;
  let store: StoreInfo | null = null;
  let people: CatalogPeople = { repo: DEFAULT_REPO, maintainer_name: "", github_user: "" };
  let loading = false;
  let failed: FerryError | null = null;
  let draftSeq = 0;
  let renderSeq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: Promise<void> | null = null;
  let dirty = false;

  // Elements of the drafted view (built by paintDraft).
  let views: FieldView[] = [];
  let repoInput: HTMLInputElement;
  let repoProblem: HTMLElement;
  let topNotes: HTMLElement;
  let otherProblems: HTMLElement;
  let previewCard: HTMLElement;
  let issueTitle: HTMLElement;
  let issueMeta: HTMLElement;
  let markdown: HTMLElement;
  let openBtn: HTMLButtonElement;
  let openBlocked: HTMLElement;
  let linkNote: HTMLElement;
  let actionStatus: HTMLElement;
  let actionError: HTMLElement;
  let linkFallback: HTMLElement;
  let renderError: HTMLElement;
  let metaPre: HTMLElement;
  let catalogPre: HTMLElement;
  let fileStatus: HTMLElement;
  let fileError: HTMLElement;
  let feedstockProblems: HTMLElement;
  let instructions: HTMLElement;
  let feedstockRepo: HTMLElement;

  function fieldValue(id: string): string {
    return (issue?.fields as Record<string, string> | undefined)?.[id] ?? "";
  }

  function setField(id: string, value: string): void {
    if (!issue) return;
    (issue.fields as Record<string, string>)[id] = value;
  }

  // ---- Drafting ------------------------------------------------------------------------

  async function makeDraft(): Promise<void> {
    const my = ++draftSeq;
    const up = s.uploaded;
    loadingFor = up;
    loading = true;
    failed = null;
    paintStatus();
    ctx.refresh();
    try {
      if (!form) form = await call<FormField[]>("catalog_form");
      people = { repo: DEFAULT_REPO, maintainer_name: people.maintainer_name, github_user: githubUser(s) || people.github_user };
      const d = await call<CatalogDraft>("draft_catalog", { people });
      if (my !== draftSeq) return;
      draft = d;
      draftedFor = up;
      issue = structuredClone(d.issue);
      drafted = structuredClone(d.issue.fields);
      rendered = d.rendered;
      feedstock = d.feedstock;
      store = d.store;
      people.repo = d.issue.repo || DEFAULT_REPO;
      loading = false;
      paintDraft();
    } catch (e) {
      if (my !== draftSeq) return;
      loading = false;
      failed = toFerryError(e);
      draft = null;
      paintStatus();
    }
    ctx.refresh();
  }

  // ---- Re-rendering ----------------------------------------------------------------------

  /** An edit happened: re-render once typing pauses. */
  function edited(): void {
    dirty = true;
    previewCard?.classList.add("stale");
    clearTimeout(timer);
    timer = setTimeout(() => void rerender(), RENDER_DELAY_MS);
  }

  /** Re-render now if an edit is waiting (before an action uses the rendered text). */
  async function fresh(): Promise<void> {
    if (dirty) {
      clearTimeout(timer);
      await rerender();
    } else if (pending) {
      await pending;
    }
  }

  function rerender(): Promise<void> {
    dirty = false;
    const p = doRender();
    pending = p;
    void p.finally(() => {
      if (pending === p) pending = null;
    });
    return p;
  }

  async function doRender(): Promise<void> {
    if (!issue || !store) return;
    const my = ++renderSeq;
    const snapshot: IssueDraft = structuredClone(issue);
    const who: CatalogPeople = { ...people };
    const [ri, rf] = await Promise.allSettled([
      call<RenderedIssue>("render_issue", { issue: snapshot }),
      call<RenderedFeedstock>("render_catalog_files", { issue: snapshot, store, people: who }),
    ]);
    if (my !== renderSeq) return;
    if (ri.status === "fulfilled") {
      rendered = ri.value;
      showError(renderError, null);
    } else {
      showError(renderError, toFerryError(ri.reason));
    }
    if (rf.status === "fulfilled") {
      feedstock = rf.value;
      showError(fileError, null);
    } else {
      showError(fileError, toFerryError(rf.reason));
    }
    if (!dirty) previewCard.classList.remove("stale");
    paintRendered();
    paintNotes();
    paintFeedstock();
  }

  // ---- Painting --------------------------------------------------------------------------

  function paintStatus(): void {
    if (loading) {
      body.replaceChildren(h("p", { class: "catalog-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), " Drafting the request from the scan and the store…"));
    } else if (failed) {
      const box = h("div", { class: "inline-error", role: "alert" });
      showError(box, failed);
      body.replaceChildren(box, h("div", { class: "toolbar" }, h("button", { type: "button", class: "secondary", onclick: () => void makeDraft() }, "Try again")));
    }
  }

  function lead(): HTMLElement[] {
    return [
      h("p", { class: "lead" }, "Ferry drafted the request that adds your store to the LEAP data catalog, from the files' attributes and the finished upload. Check it, fill in what is missing, then open it on GitHub and submit it there."),
      why(
        "catalog",
        "a catalog request",
        [
          "The request is a \"New Dataset\" issue on LEAP's data-management repository. Once it is accepted, the store is listed in the LEAP data catalog, so others can find your data and open it with one line of Python instead of asking you for it.",
          "A LEAP data maintainer reviews the request and may ask questions in the issue. Ferry sends nothing by itself: you open the drafted issue in your browser, read it, and submit it from your GitHub account.",
          "The two catalog files (meta.yaml and catalog.yaml) describe the dataset for the catalog; they go in a small \"feedstock\" repository, as explained below them.",
        ],
        { label: "leap-stc/data-management on GitHub", url: "https://github.com/leap-stc/data-management" },
      ),
    ];
  }

  function fieldRow(f: FormField): HTMLElement {
    const id = uid(`catalog-${f.id}`);
    const helpId = `${id}-help`;
    const noteId = `${id}-note`;
    const problemId = `${id}-problem`;
    const value = fieldValue(f.id);
    let control: Control;
    if (f.kind === "dropdown") {
      const sel = h("select", { id, name: f.id });
      const opts = f.options.slice();
      if (value && !opts.includes(value)) opts.push(value);
      sel.append(h("option", { value: "" }, f.required ? "Choose…" : "No response"));
      for (const o of opts) sel.append(h("option", { value: o }, o));
      sel.value = value;
      sel.addEventListener("change", () => onInput(f, sel));
      control = sel;
    } else if (f.kind === "textarea") {
      const lines = value.split("\n").length + Math.floor(value.length / 90);
      const ta = h("textarea", { id, name: f.id, rows: Math.min(14, Math.max(3, lines + 1)), spellcheck: f.render ? "false" : "true" });
      ta.value = value;
      if (f.render) ta.classList.add("mono");
      ta.addEventListener("input", () => onInput(f, ta));
      control = ta;
    } else {
      const inp = h("input", { id, name: f.id, type: "text", value, autocomplete: "off", placeholder: f.default ?? undefined });
      inp.addEventListener("input", () => onInput(f, inp));
      control = inp;
    }
    if (f.required) control.setAttribute("aria-required", "true");
    const described = [f.help ? helpId : "", noteId, problemId].filter(Boolean).join(" ");
    control.setAttribute("aria-describedby", described);
    const note = h("p", { id: noteId, class: "field-note", hidden: true });
    const problem = h("p", { id: problemId, class: "field-issue error" });
    views.push({ field: f, control, note, problem, helpId });
    return h(
      "div",
      { class: "field", dataset: { field: f.id } },
      h("label", { for: id }, f.label, f.required ? h("span", { class: "required", title: "required" }, " *") : null, f.required ? h("span", { class: "visually-hidden" }, " (required)") : null),
      control,
      f.help ? h("p", { id: helpId, class: "help" }, f.help) : null,
      note,
      problem,
    );
  }

  function onInput(f: FormField, c: Control): void {
    setField(f.id, c.value);
    // The user is fixing it: the old message no longer describes what is typed.
    edited();
    paintNotes();
  }

  function peopleInput(key: "maintainer_name" | "github_user", label: string, help: string): HTMLElement {
    const id = uid(`catalog-${key}`);
    const inp = h("input", { id, type: "text", value: people[key], autocomplete: "off", spellcheck: "false", "aria-describedby": `${id}-help` });
    inp.addEventListener("input", () => {
      people[key] = key === "github_user" ? inp.value.trim().replace(/^@/, "") : inp.value;
      edited();
    });
    return h("div", { class: "field", dataset: { field: key === "maintainer_name" ? "maintainer-name" : "github-user" } }, h("label", { for: id }, label), inp, h("p", { id: `${id}-help`, class: "help" }, help));
  }

  function yamlBlock(name: "meta.yaml" | "catalog.yaml", pre: HTMLElement): HTMLElement {
    const titleId = uid("yaml");
    return h(
      "section",
      { class: "yaml-file", "aria-labelledby": titleId },
      h(
        "div",
        { class: "yaml-head" },
        h("h3", { id: titleId }, name),
        h("button", { type: "button", class: "secondary", dataset: { copy: name }, "aria-label": `Copy ${name}`, onclick: () => void copyFile(name) }, "Copy"),
        h("button", { type: "button", class: "secondary", dataset: { save: name }, "aria-label": `Save ${name}…`, onclick: () => void saveFile(name) }, "Save…"),
      ),
      pre,
    );
  }

  function paintDraft(): void {
    if (!draft || !issue || !form) return;
    views = [];
    const f = form;

    // The form.
    const repoId = uid("catalog-repo");
    repoInput = h("input", { id: repoId, type: "text", value: issue.repo || DEFAULT_REPO, autocomplete: "off", spellcheck: "false", "aria-describedby": `${repoId}-help ${repoId}-problem` });
    repoProblem = h("p", { id: `${repoId}-problem`, class: "field-issue error" });
    repoInput.addEventListener("input", () => {
      const problem = repoIssue(repoInput.value);
      repoProblem.textContent = problem ?? "";
      repoInput.setAttribute("aria-invalid", String(!!problem));
      if (problem || !issue) {
        paintActions();
        return;
      }
      issue.repo = repoInput.value.trim() || DEFAULT_REPO;
      people.repo = issue.repo;
      edited();
    });
    topNotes = h("ul", { class: "draft-notes" });
    otherProblems = h("ul", { class: "draft-problems" });
    const formCard = h(
      "section",
      { class: "card catalog-form", "aria-labelledby": "catalog-form-title" },
      h("h2", { id: "catalog-form-title" }, "The request"),
      h("p", { class: "help" }, "Fields marked * are required by the form. Everything is prefilled from your data; edit freely."),
      h("div", { class: "field", dataset: { field: "target-repo" } }, h("label", { for: repoId }, "Target repository"), repoInput, h("p", { id: `${repoId}-help`, class: "help" }, `The GitHub repository the issue goes to (owner/name). LEAP's is ${DEFAULT_REPO}.`), repoProblem),
      ...f.map(fieldRow),
      h("div", { class: "toolbar" }, h("button", { type: "button", class: "link", id: "redraft", onclick: () => void makeDraft() }, "Start over from the drafted values")),
    );

    // The preview and its actions.
    issueMeta = h("p", { class: "issue-meta muted" });
    issueTitle = h("p", { class: "issue-title", id: "issue-title" });
    markdown = h("pre", { class: "markdown-preview", tabindex: "0", "aria-labelledby": "issue-title", "aria-describedby": "issue-body-label" });
    openBlocked = h("p", { id: "open-blocked", class: "blocked-reason" });
    openBtn = h("button", { type: "button", class: "primary", id: "open-issue", "aria-describedby": "open-blocked", onclick: () => void openIssue() }, "Open in browser");
    linkNote = h("p", { class: "help link-note" });
    actionStatus = h("p", { class: "action-status", role: "status" });
    actionError = h("div", { class: "inline-error", role: "alert", hidden: true });
    linkFallback = h("div", { class: "link-fallback", hidden: true });
    renderError = h("div", { class: "inline-error", role: "alert", hidden: true });
    previewCard = h(
      "section",
      { class: "card catalog-preview", "aria-labelledby": "catalog-preview-title" },
      h("h2", { id: "catalog-preview-title" }, "Preview"),
      issueMeta,
      h(
        "div",
        { class: "toolbar" },
        openBtn,
        h("button", { type: "button", class: "secondary", id: "copy-markdown", onclick: () => void copyMarkdown() }, "Copy Markdown"),
        h("button", { type: "button", class: "secondary", id: "save-markdown", onclick: () => void saveMarkdown() }, "Save as .md…"),
      ),
      openBlocked,
      linkNote,
      actionStatus,
      actionError,
      linkFallback,
      renderError,
      h("p", { class: "visually-hidden", id: "issue-body-label" }, "The issue's text in Markdown, as GitHub will show it"),
      issueTitle,
      markdown,
    );

    // The catalog files.
    metaPre = h("pre", { class: "meta-yaml yaml", tabindex: "0", "aria-label": "meta.yaml" });
    catalogPre = h("pre", { class: "catalog-yaml yaml", tabindex: "0", "aria-label": "catalog.yaml" });
    fileStatus = h("p", { class: "action-status", role: "status" });
    fileError = h("div", { class: "inline-error", role: "alert", hidden: true });
    feedstockProblems = h("ul", { class: "feedstock-problems" });
    instructions = h("div", { class: "instructions" });
    feedstockRepo = h("p", { class: "lead" });
    const filesCard = h(
      "section",
      { class: "card catalog-files", "aria-labelledby": "catalog-files-title" },
      h("h2", { id: "catalog-files-title" }, "Catalog files"),
      feedstockRepo,
      h("div", { class: "people" }, peopleInput("maintainer_name", "Maintainer name", "Who answers questions about the data (goes in meta.yaml)."), peopleInput("github_user", "GitHub user", "The maintainer's GitHub user name, without @.")),
      feedstockProblems,
      fileStatus,
      fileError,
      h("div", { class: "yaml-files" }, yamlBlock("meta.yaml", metaPre), yamlBlock("catalog.yaml", catalogPre)),
      instructions,
    );

    const warning = store && !store.complete
      ? h(
          "div",
          { class: "store-incomplete", role: "alert" },
          h("strong", {}, "The upload did not finish."),
          h("span", {}, " The store has no consolidated metadata yet, and the draft says so in its comments. Finish (resume) the upload on the Upload step, then come back and draft again before you submit the request."),
        )
      : null;

    body.replaceChildren();
    append(body, warning, topNotes, otherProblems, h("div", { class: "catalog-grid" }, formCard, previewCard), filesCard);
    paintNotes();
    paintRendered();
    paintFeedstock();
  }

  /** Draft notes beside their field (or at the top); a field's note goes once the user edits it. */
  function paintNotes(): void {
    if (!issue || !drafted) return;
    const notes = issue.notes;
    const current = (n: DraftNote) => STICKY_NOTES.has(n.code) || !n.field || fieldValue(n.field) === ((drafted as Record<string, string>)[n.field] ?? "");
    for (const v of views) {
      const mine = notes.filter((n) => n.field === v.field.id && current(n));
      v.note.hidden = mine.length === 0;
      v.note.replaceChildren(...mine.map((n) => h("span", { class: "note-line", dataset: { code: n.code } }, n.message)));
      v.control.classList.toggle("flagged", mine.length > 0);
    }
    const known = new Set(views.map((v) => v.field.id));
    const top = notes.filter((n) => (!n.field || !known.has(n.field)) && !(n.code === "store_incomplete" && store && !store.complete));
    topNotes.hidden = top.length === 0;
    topNotes.replaceChildren(...top.map((n) => h("li", { class: "field-note", dataset: { code: n.code } }, n.message)));
  }

  function paintRendered(): void {
    if (!rendered || !form) return;
    const r = rendered;
    issueMeta.replaceChildren("Goes to ", h("code", {}, r.repo), ` · label${r.labels.length === 1 ? "" : "s"} `, ...r.labels.flatMap((l, i) => [i ? ", " : "", h("code", {}, l)]));
    issueTitle.textContent = r.title;
    markdown.textContent = r.body;
    // Problems beside their fields.
    const known = new Set(form.map((f) => f.id));
    for (const v of views) {
      const mine = r.problems.filter((p) => p.field === v.field.id);
      v.problem.textContent = mine.map((p) => p.message).join(" ");
      if (mine.length) v.control.setAttribute("aria-invalid", "true");
      else v.control.removeAttribute("aria-invalid");
    }
    const other = r.problems.filter((p) => !known.has(p.field));
    otherProblems.hidden = other.length === 0;
    otherProblems.replaceChildren(...other.map((p) => h("li", { class: "field-issue error" }, p.message)));
    if (r.link.prefilled) linkNote.textContent = "";
    else linkNote.textContent = `Too long for a prefilled link (${Math.ceil(r.link.full_length / 1000)} KB; GitHub takes about 8 KB): Open in browser opens the issue with its title only and puts the text on the clipboard, to paste as its description.`;
    paintActions();
  }

  function paintActions(): void {
    if (!rendered || !form) return;
    const missing = requiredMissing(rendered.problems, form);
    const badRepo = repoIssue(repoInput.value);
    let reason = "";
    if (badRepo) reason = "Fix the target repository first.";
    else if (missing.length) reason = `Fill in the required field${missing.length === 1 ? "" : "s"} first: ${missing.join(", ")}.`;
    openBtn.disabled = reason !== "";
    openBlocked.textContent = reason;
    ctx.refresh();
  }

  function paintFeedstock(): void {
    if (!feedstock) return;
    const fs = feedstock;
    metaPre.textContent = fs.meta_yaml;
    catalogPre.textContent = fs.catalog_yaml;
    feedstockRepo.replaceChildren(
      "After the request is accepted, the dataset enters the catalog through these two files, in the feedstock repository ",
      h("code", {}, fs.draft.repo),
      ". Fill in what is marked TODO.",
    );
    feedstockProblems.hidden = fs.problems.length === 0;
    feedstockProblems.replaceChildren(
      ...fs.problems.map((p) => h("li", { class: "field-issue warning" }, h("code", {}, `${p.file}: ${p.path}`), " ", p.message)),
    );
    instructions.replaceChildren(...instructionBlocks(fs.instructions));
  }

  // ---- Actions ---------------------------------------------------------------------------

  function say(el: HTMLElement, message: string): void {
    el.textContent = message;
  }

  async function openIssue(): Promise<void> {
    await fresh();
    if (!rendered || openBtn.disabled) return;
    const link = rendered.link;
    showError(actionError, null);
    linkFallback.hidden = true;
    let message = "";
    if (!link.prefilled) {
      const copied = await copyText(link.clipboard ?? rendered.body);
      message = copied
        ? (link.message ?? "The text of the request is on the clipboard: paste it as the issue's description.")
        : "The draft is too long for a prefilled link, and the clipboard could not be reached: use Copy Markdown or Save as .md, then paste the text as the issue's description.";
    }
    try {
      await call("open_link", { url: link.url });
      say(actionStatus, message || "Opened in your browser: check the issue there and submit it.");
    } catch (e) {
      say(actionStatus, message);
      showError(actionError, toFerryError(e));
      const id = uid("issue-link");
      const inp = h("input", { id, type: "text", readonly: true, value: link.url, onfocus: (ev: Event) => (ev.target as HTMLInputElement).select() });
      linkFallback.replaceChildren(h("label", { for: id }, "The link to open"), inp);
      linkFallback.hidden = false;
    }
  }

  async function copyMarkdown(): Promise<void> {
    await fresh();
    if (!rendered) return;
    showError(actionError, null);
    say(actionStatus, (await copyText(rendered.body)) ? "Copied the issue's Markdown." : "The clipboard could not be reached: select the text in the preview and copy it.");
  }

  async function saveText(fileName: string, text: string, status: HTMLElement, errorBox: HTMLElement): Promise<void> {
    showError(errorBox, null);
    try {
      const path = await call<string | null>("save_text", { fileName, text });
      say(status, path ? `Saved to ${path}` : "");
    } catch (e) {
      say(status, "");
      showError(errorBox, toFerryError(e));
    }
  }

  async function saveMarkdown(): Promise<void> {
    await fresh();
    if (!rendered) return;
    await saveText(`${slug(rendered.title)}.md`, rendered.document, actionStatus, actionError);
  }

  async function copyFile(name: "meta.yaml" | "catalog.yaml"): Promise<void> {
    await fresh();
    if (!feedstock) return;
    const text = name === "meta.yaml" ? feedstock.meta_yaml : feedstock.catalog_yaml;
    showError(fileError, null);
    say(fileStatus, (await copyText(text)) ? `Copied ${name}.` : `The clipboard could not be reached: select the text of ${name} and copy it.`);
  }

  async function saveFile(name: "meta.yaml" | "catalog.yaml"): Promise<void> {
    await fresh();
    if (!feedstock) return;
    await saveText(name, name === "meta.yaml" ? feedstock.meta_yaml : feedstock.catalog_yaml, fileStatus, fileError);
  }

  return {
    id: "catalog",
    title: "Catalog",
    summary: "Draft the catalog request",
    mount(root) {
      // The lead and its Why panel are built once, with the step (the wizard marks the panel seen
      // when it shows the step); the body below them is redrafted.
      body = h("div", {});
      root.append(h("div", { class: "catalog" }, ...lead(), body));
    },
    async enter() {
      if (!s.uploaded) {
        draftSeq++;
        clearTimeout(timer);
        draft = null;
        draftedFor = null;
        loading = false;
        failed = null;
        body.replaceChildren(h("p", { class: "not-yet catalog-no-upload", role: "status" }, NO_UPLOAD, "."));
        ctx.refresh();
        return;
      }
      if (draft && draftedFor === s.uploaded) return;
      if (loading && loadingFor === s.uploaded) return;
      await makeDraft();
    },
    canNext: () => false,
    blocker() {
      if (!s.uploaded) return "Upload the store first.";
      if (loading) return "Drafting the request…";
      if (failed) return "The request could not be drafted.";
      return null;
    },
  };
}
