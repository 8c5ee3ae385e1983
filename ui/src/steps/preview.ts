// Step 3, preview: the merged dataset (like `ncdump -h`), problems per file, the chunk plan
// (editable; re-planned by the core), a drawing of the chunk grid, and the Python snippet.
// Commands: src-tauri/src/gui/preview.rs (replan) and sign_in.rs (store_url).
import type { Dataset } from "../bindings/Dataset";
import type { MergedVar } from "../bindings/MergedVar";
import type { Plan } from "../bindings/Plan";
import type { Problem } from "../bindings/Problem";
import type { VarPlan } from "../bindings/VarPlan";
import { append, debounce, h, svg, uid } from "../dom";
import { attrValue, baseName, bytes, count, mb } from "../format";
import { showError } from "../errors";
import { copyText } from "../clipboard";
import { call, FerryError, toFerryError } from "../ipc";
import { currentDestination } from "../state";
import { why } from "../why";
import { createQuickLook } from "./quicklook";
import type { Step, StepContext } from "./step";

/** The range the core's planner calls good (plan::GOOD_CHUNK_MB): outside it, a warning. */
export const GOOD_MB = { min: 10, max: 200 };

export type Edits = Record<string, number | null>;

/** A variable's chunk shape with the user's (not yet re-planned) lengths applied. */
export function liveChunks(v: VarPlan, edits: Edits): number[] {
  return v.dims.map((d, i) => {
    if (!(d in edits)) return v.chunks[i];
    const e = edits[d];
    const full = Math.max(1, v.shape[i]);
    return e === null ? full : Math.min(Math.max(1, e), full);
  });
}

export interface ChunkStats {
  chunkBytes: number;
  nChunks: number;
  level: "ok" | "small" | "large";
}

export function chunkStats(v: VarPlan, chunks: number[]): ChunkStats {
  const prod = (a: number[]) => a.reduce((x, y) => x * y, 1);
  const itemsize = v.chunk_bytes / Math.max(1, prod(v.chunks));
  const chunkBytes = prod(chunks) * itemsize;
  const nChunks = v.shape.reduce((n, s, i) => n * Math.max(1, Math.ceil(s / chunks[i])), 1);
  const m = chunkBytes / 1e6;
  const level = m > GOOD_MB.max ? "large" : m < GOOD_MB.min && v.total_bytes > GOOD_MB.min * 1e6 && nChunks > 1 ? "small" : "ok";
  return { chunkBytes, nChunks, level };
}

/** Parse a chunk-length field: empty means the whole dimension; otherwise a whole number ≥ 1. */
export function parseLength(text: string): number | null | "invalid" {
  const t = text.trim();
  if (t === "" || t === "-1") return null;
  if (!/^\d+$/.test(t)) return "invalid";
  const n = Number(t);
  return n >= 1 ? n : "invalid";
}

export function pythonSnippet(url: string): string {
  return `import xarray as xr\nds = xr.open_dataset(${JSON.stringify(url)}, engine="zarr", chunks={})`;
}

export function problemCounts(problems: Problem[]): string {
  const n = (sev: Problem["severity"]) => problems.filter((p) => p.severity === sev).length;
  const parts: string[] = [];
  const add = (k: number, one: string, many: string) => k && parts.push(`${k} ${k === 1 ? one : many}`);
  add(n("error"), "error", "errors");
  add(n("warning"), "warning", "warnings");
  add(n("info"), "note", "notes");
  return parts.join(", ");
}

export function timeRange(ds: Dataset): string | null {
  const t = ds.time;
  if (!t) return null;
  const range = t.first && t.last ? `${t.first} to ${t.last}` : "empty";
  return `${range} · ${count(t.steps)} steps, ${t.step} · calendar ${t.calendar}`;
}

/** The data variable the grid drawing shows first: the biggest. */
export function biggest(plan: Plan, ds: Dataset): VarPlan | undefined {
  const data = new Set(ds.variables.filter((v) => v.role === "data").map((v) => v.name));
  return plan.variables.filter((v) => data.has(v.name)).sort((a, b) => b.total_bytes - a.total_bytes)[0];
}

/** An SVG drawing of a variable's chunk grid: the last two dimensions as a grid, others as bars. */
export function chunkGrid(v: VarPlan, chunks: number[]): SVGElement {
  const W = 360;
  const n = v.dims.length;
  const lines = (len: number, c: number, size: number, vertical: boolean, x0: number, y0: number, other: number): SVGElement[] => {
    const k = Math.ceil(len / c);
    if (k <= 1) return [];
    if (k > 120) return [svg("rect", { x: x0, y: y0, width: vertical ? size : other, height: vertical ? other : size, class: "dense" })];
    const out: SVGElement[] = [];
    for (let i = 1; i < k; i++) {
      const p = (i * c * size) / len;
      out.push(vertical ? svg("line", { x1: x0 + p, y1: y0, x2: x0 + p, y2: y0 + other }) : svg("line", { x1: x0, y1: y0 + p, x2: x0 + other, y2: y0 + p }));
    }
    return out;
  };
  const label = (x: number, y: number, text: string, anchor = "start") => svg("text", { x, y, "text-anchor": anchor }, text);
  const desc = (i: number) => {
    const k = Math.ceil(v.shape[i] / chunks[i]);
    return `${v.dims[i]} ${count(v.shape[i])}: ${count(k)} chunk${k === 1 ? "" : "s"} of ${count(chunks[i])}`;
  };
  const items: SVGElement[] = [];
  let y = 4;
  const bars = n >= 2 ? n - 2 : n;
  for (let i = 0; i < bars; i++) {
    items.push(label(0, y + 11, desc(i)));
    y += 16;
    items.push(svg("rect", { x: 0, y, width: W, height: 14, class: "extent" }), ...lines(v.shape[i], chunks[i], W, true, 0, y, 14));
    y += 24;
  }
  if (n >= 2) {
    const [a, b] = [n - 2, n - 1];
    const ratio = Math.max(1, v.shape[a]) / Math.max(1, v.shape[b]);
    const gw = Math.min(W - 10, 200 / Math.max(ratio, 0.01));
    const gh = Math.max(30, Math.min(200, gw * ratio));
    items.push(label(0, y + 11, `${desc(b)} (across) · ${desc(a)} (down)`));
    y += 18;
    items.push(svg("rect", { x: 0, y, width: gw, height: gh, class: "extent" }), ...lines(v.shape[b], chunks[b], gw, true, 0, y, gh), ...lines(v.shape[a], chunks[a], gh, false, 0, y, gw));
    const c0 = (chunks[b] * gw) / Math.max(1, v.shape[b]);
    const c1 = (chunks[a] * gh) / Math.max(1, v.shape[a]);
    items.push(svg("rect", { x: 0, y, width: c0, height: c1, class: "one-chunk" }));
    y += gh + 6;
  }
  if (n === 0) items.push(label(0, 16, "a single value: one chunk"));
  const el = svg("svg", { viewBox: `0 0 ${W} ${Math.max(y, 24)}`, width: W, height: Math.max(y, 24), role: "img", class: "chunk-grid" }, ...items);
  el.setAttribute("aria-label", `Chunk grid of ${v.name}: ${v.dims.map((_, i) => desc(i)).join("; ")}`);
  return el;
}

function signature(v: MergedVar): string {
  return v.dims.length ? `(${v.dims.map((d, i) => `${d}: ${v.shape[i]}`).join(", ")})` : "()";
}

export function createPreview(ctx: StepContext): Step {
  const s = ctx.state;
  let root: HTMLElement;
  let body: HTMLElement;
  let plan: Plan | null = null;
  let edits: Edits = {};
  let planError: HTMLElement;
  let planBody: HTMLElement;
  let gridBox: HTMLElement;
  let gridVar = "";
  let snippetCode: HTMLElement;
  let snippetError: HTMLElement;
  let copyStatus: HTMLElement;
  let url: string | null = null;
  let urlSeq = 0;
  let replanning = false;
  let replanSeq = 0;
  let shown: unknown = null; // the inspection currently rendered
  let chunksWhy: HTMLDetailsElement | null = null; // built once: a new scan keeps it as the user left it


  function problemsSection(ds: Dataset): HTMLElement | null {
    if (!ds.problems.length) return null;
    const order = { error: 0, warning: 1, info: 2 } as const;
    const sorted = ds.problems.slice().sort((a, b) => order[a.severity] - order[b.severity]);
    const list = h("ul", { class: "problems" });
    for (const p of sorted.slice(0, 500)) {
      const icon = p.severity === "error" ? "✗" : p.severity === "warning" ? "!" : "ⓘ";
      list.append(
        h(
          "li",
          { class: `problem ${p.severity}` },
          h("span", { class: "sev", "aria-hidden": "true" }, icon),
          h(
            "div",
            {},
            h("p", { class: "problem-what" }, h("span", { class: "visually-hidden" }, `${p.severity}: `), p.file ? h("code", { class: "problem-file", title: p.file }, baseName(p.file)) : null, p.variable ? h("code", {}, p.variable) : null, p.message),
            h("p", { class: "hint" }, p.hint),
            h("p", { class: "problem-code" }, p.code),
          ),
        ),
      );
    }
    if (sorted.length > 500) list.append(h("li", { class: "problem info" }, `… and ${sorted.length - 500} more`));
    const errors = ds.problems.some((p) => p.severity === "error");
    return h(
      "section",
      { class: `problems-box ${errors ? "has-errors" : ""}`, "aria-labelledby": "problems-title" },
      h("h2", { id: "problems-title" }, `Problems: ${problemCounts(ds.problems)}`),
      errors ? h("p", {}, "The files cannot be written as one store until the errors are fixed.") : null,
      list,
    );
  }

  function attrList(attrs: Dataset["attrs"], prefix = ""): HTMLElement {
    const ul = h("ul", { class: "attrs" });
    for (const a of attrs) ul.append(h("li", {}, h("span", { class: "attr-name" }, `${prefix}${a.name}`), " = ", h("span", { class: "attr-value" }, attrValue(a))));
    return ul;
  }

  function varItem(v: MergedVar, open: boolean): HTMLElement {
    return h(
      "li",
      {},
      h(
        "details",
        { open, class: "var" },
        h("summary", {}, h("span", { class: "var-name" }, v.name), " ", h("span", { class: "dtype" }, v.dtype), " ", h("span", { class: "dims" }, signature(v)), v.attrs.length ? h("span", { class: "count" }, ` ${v.attrs.length} attributes`) : null),
        v.attrs.length ? attrList(v.attrs) : h("p", { class: "muted" }, "no attributes"),
      ),
    );
  }

  function datasetSection(ds: Dataset): HTMLElement {
    const dims = h("ul", { class: "dims-list" });
    for (const d of ds.dims) {
      dims.append(
        h(
          "li",
          { dataset: { dimension: d.name } },
          h("span", { class: "var-name" }, d.name),
          ` = ${count(d.len)}`,
          d.concat ? h("span", { class: "badge concat", title: `The files are joined along ${d.name}` }, `concat dimension · ${ds.files.length} files`) : null,
          d.unlimited ? h("span", { class: "badge" }, "unlimited") : null,
        ),
      );
    }
    const coords = ds.variables.filter((v) => v.role === "coordinate");
    const data = ds.variables.filter((v) => v.role === "data");
    const ulOf = (vs: MergedVar[], open: boolean) => {
      const ul = h("ul", { class: "vars" });
      for (const v of vs) ul.append(varItem(v, open));
      return ul;
    };
    const filesList = h("details", { class: "group" }, h("summary", {}, h("h3", {}, `Files in merged order (${count(ds.files.length)})`)));
    filesList.addEventListener("toggle", () => {
      if (filesList.querySelector("ol")) return;
      const ol = h("ol", { class: "files-order" });
      for (const f of ds.files.slice(0, 2000)) ol.append(h("li", {}, h("code", { title: f.path }, baseName(f.path)), ` ${count(f.steps)} steps`, f.first ? ` · ${f.first} to ${f.last ?? "?"}` : ""));
      filesList.append(h("p", { class: "muted" }, ds.order.note), ol);
    });
    return h(
      "section",
      { class: "dataset", "aria-labelledby": "dataset-title" },
      h("h2", { id: "dataset-title" }, "Dataset"),
      h("div", { class: "tree" },
        h("details", { open: true, class: "group" }, h("summary", {}, h("h3", {}, `Dimensions (${ds.dims.length})`)), dims),
        h("details", { open: true, class: "group" }, h("summary", {}, h("h3", {}, `Data variables (${data.length})`)), ulOf(data, data.length <= 3)),
        h("details", { open: coords.length <= 12, class: "group" }, h("summary", {}, h("h3", {}, `Coordinates (${coords.length})`)), ulOf(coords, false)),
        h("details", { open: ds.attrs.length <= 12, class: "group" }, h("summary", {}, h("h3", {}, `Global attributes (${ds.attrs.length})`)), attrList(ds.attrs, ":")),
        filesList,
      ),
    );
  }

  function dataVars(): VarPlan[] {
    const ds = s.inspection!.dataset;
    const names = new Set(ds.variables.filter((v) => v.role === "data").map((v) => v.name));
    return plan!.variables.filter((v) => names.has(v.name));
  }

  function paintPlan(): void {
    if (!plan) return;
    const ds = s.inspection!.dataset;
    const table = h(
      "table",
      { class: "plan" },
      h("caption", { class: "visually-hidden" }, "Chunk plan per data variable"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Variable"), h("th", { scope: "col" }, "Chunk length per dimension"), h("th", { scope: "col", class: "num" }, "MB / chunk"), h("th", { scope: "col", class: "num" }, "Chunks"))),
    );
    const tbody = h("tbody", {});
    for (const v of dataVars()) {
      const chunks = liveChunks(v, edits);
      const st = chunkStats(v, chunks);
      const cells = h("div", { class: "chunk-cells" });
      v.dims.forEach((d, i) => {
        const id = uid(`chunk-${v.name}-${d}`);
        const input = h("input", {
          id,
          type: "text",
          inputmode: "numeric",
          class: "chunk-input",
          value: d in edits && edits[d] === null ? "" : String(chunks[i]),
          placeholder: String(v.shape[i]),
          size: Math.max(3, String(v.shape[i]).length + 1),
          dataset: { dim: d, var: v.name },
          "aria-label": `Chunk length along ${d} for ${v.name} (1 to ${v.shape[i]}; empty for the whole dimension)`,
        });
        input.addEventListener("input", () => onEdit(d, input));
        input.addEventListener("change", () => void commit());
        input.addEventListener("keydown", (e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            e.stopPropagation();
            void commit();
          } else if (e.key === "Escape") {
            e.stopPropagation();
            revert();
          }
        });
        cells.append(h("span", { class: "chunk-cell" }, h("label", { for: id }, d), input, h("span", { class: "of" }, `of ${count(v.shape[i])}`)));
      });
      const live = d2s(v, st);
      tbody.append(
        h(
          "tr",
          { dataset: { var: v.name }, class: st.level },
          h("th", { scope: "row" }, v.name),
          h("td", {}, cells, live.warning),
          h("td", { class: "num mb" }, mb(st.chunkBytes)),
          h("td", { class: "num n" }, count(st.nChunks)),
        ),
      );
    }
    table.append(tbody);
    const coords = ds.variables.filter((v) => v.role === "coordinate").length;
    const target = h("input", { id: "target-mb", type: "text", inputmode: "decimal", class: "chunk-input", value: String(s.targetMb), size: 5, "aria-describedby": "target-help" });
    target.addEventListener("change", () => {
      const n = Number(target.value);
      if (Number.isFinite(n) && n > 0) {
        s.targetMb = n;
        void commit();
      } else {
        showError(planError, new FerryError({ code: "bad_argument", message: `Target "${target.value}" is not a positive number of megabytes.`, hint: "Try the default, 100." }));
      }
    });
    target.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        e.stopPropagation();
        target.dispatchEvent(new Event("change"));
      }
    });
    planBody.replaceChildren(
      h(
        "div",
        { class: "plan-controls" },
        h("label", { for: "target-mb" }, "Target MB per chunk"),
        target,
        h("button", { type: "button", class: "link", onclick: () => void reset(), disabled: Object.keys(s.overrides).length === 0 && s.targetMb === 100 }, "Reset to automatic"),
      ),
      h("p", { id: "target-help", class: "help" }, "A length applies to its dimension in every variable: the store has one chunk shape. Empty means the whole dimension. Enter applies, Esc reverts."),
      table,
      h("p", { class: "plan-total" }, `Total: ${bytes(plan.total_bytes)} uncompressed in ${count(plan.total_chunks)} chunks`, coords ? ` · ${coords} coordinate arrays, one chunk each` : ""),
    );
    paintGrid();
  }

  function d2s(v: VarPlan, st: ChunkStats): { warning: HTMLElement | null } {
    const committed = Object.keys(edits).length === 0;
    const text = committed && v.warning ? v.warning : st.level === "large" ? `${mb(st.chunkBytes)} MB per chunk is large: aim for ${GOOD_MB.min}–${GOOD_MB.max} MB` : st.level === "small" ? `${mb(st.chunkBytes)} MB per chunk is small: ${count(st.nChunks)} objects; aim for ${GOOD_MB.min}–${GOOD_MB.max} MB` : null;
    return { warning: text ? h("p", { class: "plan-warning" }, "! ", text) : null };
  }

  function paintGrid(): void {
    const vars = dataVars();
    if (!vars.length) {
      gridBox.replaceChildren(h("p", { class: "muted" }, "No data variables to draw."));
      return;
    }
    if (!vars.some((v) => v.name === gridVar)) gridVar = biggest(plan!, s.inspection!.dataset)?.name ?? vars[0].name;
    const v = vars.find((x) => x.name === gridVar)!;
    const select = h("select", { id: "grid-var", onchange: () => { gridVar = select.value; paintGrid(); } });
    for (const x of vars) select.append(h("option", { value: x.name, selected: x.name === gridVar }, x.name));
    gridBox.replaceChildren(
      h("div", { class: "plan-controls" }, h("label", { for: "grid-var" }, "Variable"), select),
      chunkGrid(v, liveChunks(v, edits)),
      h("p", { class: "help" }, "Lines are chunk boundaries; the filled box is one chunk."),
    );
  }

  function onEdit(dim: string, input: HTMLInputElement): void {
    const v = parseLength(input.value);
    input.setAttribute("aria-invalid", String(v === "invalid"));
    if (v === "invalid") {
      showError(planError, new FerryError({ code: "bad_argument", message: `"${input.value}" is not a chunk length along ${dim}.`, hint: "Type a whole number from 1 up, or leave it empty for the whole dimension." }));
      return;
    }
    showError(planError, null);
    edits[dim] = v;
    // The same dimension in the other variables shows the same length.
    for (const other of root.querySelectorAll<HTMLInputElement>("input.chunk-input[data-dim]")) if (other !== input && other.dataset.dim === dim) other.value = input.value;
    // Live numbers while typing; the core re-plans on Enter or leaving the field.
    for (const row of root.querySelectorAll<HTMLTableRowElement>("table.plan tbody tr")) {
      const vp = plan!.variables.find((x) => x.name === row.dataset.var);
      if (!vp) continue;
      const st = chunkStats(vp, liveChunks(vp, edits));
      row.className = st.level;
      row.querySelector(".mb")!.textContent = mb(st.chunkBytes);
      row.querySelector(".n")!.textContent = count(st.nChunks);
      row.querySelector(".plan-warning")?.remove();
      const w = d2s(vp, st).warning;
      if (w) row.querySelector("td")!.append(w);
    }
    paintGrid();
    ctx.refresh();
  }

  function revert(): void {
    edits = {};
    showError(planError, null);
    paintPlan();
    ctx.refresh();
  }

  async function reset(): Promise<void> {
    s.overrides = {};
    s.targetMb = 100;
    edits = {};
    await replan();
  }

  async function commit(): Promise<void> {
    if (Object.values(edits).some((e) => e === undefined)) return;
    const invalid = root.querySelector('input.chunk-input[aria-invalid="true"]');
    if (invalid) return;
    Object.assign(s.overrides, edits);
    edits = {};
    await replan();
  }

  async function replan(): Promise<void> {
    const my = ++replanSeq;
    replanning = true;
    ctx.refresh();
    const focused = document.activeElement as HTMLInputElement | null;
    const focusKey = focused?.classList.contains("chunk-input") ? { dim: focused.dataset.dim, v: focused.dataset.var, id: focused.id } : null;
    try {
      const overrides = Object.entries(s.overrides).map(([dim, len]) => ({ dim, len }));
      const p = await call<Plan>("replan", { targetMb: s.targetMb, overrides });
      if (my !== replanSeq) return;
      plan = p;
      s.inspection!.plan = p;
      showError(planError, null);
    } catch (e) {
      if (my !== replanSeq) return;
      showError(planError, toFerryError(e));
    } finally {
      if (my === replanSeq) {
        replanning = false;
        paintPlan();
        if (focusKey) {
          const again = focusKey.id === "target-mb" ? root.querySelector<HTMLInputElement>("#target-mb") : Array.from(root.querySelectorAll<HTMLInputElement>("input.chunk-input[data-dim]")).find((i) => i.dataset.dim === focusKey.dim && i.dataset.var === focusKey.v);
          again?.focus();
        }
        ctx.refresh();
      }
    }
  }

  const refreshUrl = debounce(() => void updateUrl(), 200);
  async function updateUrl(): Promise<void> {
    const my = ++urlSeq;
    try {
      const u = await call<string>("store_url", { destination: currentDestination(s), store: s.storeName });
      if (my !== urlSeq) return;
      url = u;
      snippetCode.textContent = pythonSnippet(u);
      showError(snippetError, null);
    } catch (e) {
      if (my !== urlSeq) return;
      url = null;
      showError(snippetError, toFerryError(e));
    }
    ctx.refresh();
  }

  async function copy(): Promise<void> {
    await copyText(snippetCode.textContent ?? "");
    copyStatus.textContent = "Copied.";
    setTimeout(() => (copyStatus.textContent = ""), 2000);
  }

  function render(): void {
    const ins = s.inspection;
    shown = ins;
    if (!ins) {
      body.replaceChildren(h("p", {}, "Nothing scanned yet: go back to Pick files."));
      return;
    }
    plan = ins.plan;
    edits = {};
    const ds = ins.dataset;
    const totalSize = ds.files.reduce((a, f) => a + f.size, 0);
    const tr = timeRange(ds);
    planError = h("div", { class: "inline-error", role: "alert", hidden: true });
    planBody = h("div", {});
    gridBox = h("div", { class: "grid-box" });
    const nameId = "store-name";
    const nameInput = h("input", { id: nameId, type: "text", value: s.storeName, spellcheck: "false", autocomplete: "off", "aria-describedby": "snippet-error" });
    nameInput.addEventListener("input", () => {
      s.storeName = nameInput.value;
      s.storeNameEdited = true;
      refreshUrl();
    });
    const quick = createQuickLook();
    snippetCode = h("code", { class: "snippet" });
    snippetError = h("div", { id: "snippet-error", class: "inline-error", role: "alert", hidden: true });
    copyStatus = h("span", { class: "copy-status", role: "status" });
    chunksWhy ??= why(
      "preview",
      "chunks of about 100 MB",
      [
        "The store is cut into chunks, and each chunk is one object in the bucket (one file in a local folder). A reader always fetches whole chunks.",
        "Too small, and reading takes many requests and listing the store is slow. Too large, and readers download more than they need and their memory use jumps.",
        `Ferry aims for about 100 MB; ${GOOD_MB.min}–${GOOD_MB.max} MB is the usual range. The Chunk grid drawing below shows where the chunks fall in one variable.`,
      ],
      { label: "Chunking and performance in xarray's user guide", url: "https://docs.xarray.dev/en/stable/user-guide/dask.html#chunking-and-performance" },
    );
    const planCard = h("section", { class: "card plan-card", "aria-labelledby": "plan-title" }, h("h2", { id: "plan-title" }, "Chunk plan"), chunksWhy, planError, planBody);
    const sections = h(
      "div",
      { class: "preview-grid" },
      datasetSection(ds),
      h(
        "div",
        { class: "side" },
        h("section", { class: "card", "aria-labelledby": "grid-title" }, h("h2", { id: "grid-title" }, "Chunk grid"), gridBox),
        h(
          "section",
          { class: "card", "aria-labelledby": "snippet-title" },
          h("h2", { id: "snippet-title" }, "Open it in Python"),
          h("div", { class: "field" }, h("label", { for: nameId }, "Store name"), h("div", { class: "field-row" }, nameInput, h("span", { class: "muted" }, ".zarr"))),
          snippetError,
          h("pre", {}, snippetCode),
          h("div", { class: "field-row" }, h("button", { type: "button", class: "secondary", onclick: () => void copy() }, "Copy"), copyStatus),
          h("p", { class: "help" }, "Works once the store is written. gs:// needs gcsfs; an https pod URL works for public buckets."),
        ),
        h("section", { class: "card quicklook-card", "aria-labelledby": "quicklook-title" }, h("h2", { id: "quicklook-title" }, "Quick look"), quick.el),
      ),
    );
    body.replaceChildren();
    append(
      body,
      h(
        "p",
        { class: "facts" },
        h("span", {}, h("strong", {}, count(ds.files.length)), ` file${ds.files.length === 1 ? "" : "s"}, ${bytes(totalSize)}`),
        h("span", {}, ds.order.note),
        ds.concat_dim ? h("span", {}, "joined along ", h("strong", {}, ds.concat_dim)) : null,
        ds.group !== "/" ? h("span", {}, `group ${ds.group}`) : null,
      ),
      tr ? h("p", { class: "facts time" }, h("span", {}, h("strong", {}, "Time: "), tr)) : null,
      ds.time?.undecodable ? h("p", { class: "plan-warning" }, `Time values shown raw: ${ds.time.undecodable}`) : null,
      problemsSection(ds),
      planCard,
      sections,
    );
    paintPlan();
    snippetCode.textContent = "";
    void updateUrl();
    void quick.load();
  }

  return {
    id: "preview",
    title: "Preview",
    summary: "The merged dataset and its chunks",
    mount(r) {
      root = r;
      body = h("div", { class: "preview" });
      root.append(body);
    },
    enter() {
      if (shown !== s.inspection) render();
      else void updateUrl();
    },
    canNext: () => !!s.inspection && !s.inspection.dataset.problems.some((p) => p.severity === "error") && !replanning && Object.keys(edits).length === 0 && url !== null,
    /** Plan again with the chunk edits in the state (resume at launch puts them back after the scan). */
    async run() {
      if (!s.inspection) return;
      if (shown !== s.inspection) render();
      edits = {};
      await replan();
      await updateUrl();
    },
    blocker() {
      if (!s.inspection) return "Scan the files first.";
      if (s.inspection.dataset.problems.some((p) => p.severity === "error")) return "Fix the errors listed under Problems first.";
      if (Object.keys(edits).length) return "Press Enter to apply the chunk lengths.";
      if (url === null) return "Name the store.";
      return null;
    },
    escape() {
      if (Object.keys(edits).length) {
        revert();
        return true;
      }
      return false;
    },
  };
}
