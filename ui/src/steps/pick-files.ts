// Step 2, pick-files: dialogs, drag and drop, the bundled sample, and the scan with progress.
// Commands: src-tauri/src/gui/pick_files.rs.
import { Channel } from "@tauri-apps/api/core";
import type { Inspection } from "../bindings/Inspection";
import type { Listing } from "../bindings/Listing";
import type { PickedFile } from "../bindings/PickedFile";
import type { ScanProgress } from "../bindings/ScanProgress";
import { h } from "../dom";
import { baseName, bytes, count, dirName } from "../format";
import { showError } from "../errors";
import { call, FerryError, toFerryError } from "../ipc";
import { scanKey } from "../state";
import { why } from "../why";
import type { DropEvent, Step, StepContext } from "./step";

/** Add `added` after `files`, skipping paths already listed. */
export function mergeFiles(files: PickedFile[], added: PickedFile[]): PickedFile[] {
  const seen = new Set(files.map((f) => f.path));
  const out = files.slice();
  for (const f of added) {
    if (!seen.has(f.path)) {
      seen.add(f.path);
      out.push(f);
    }
  }
  return out;
}

export function progressText(p: ScanProgress): string {
  if (p.phase === "merging") return `Read ${count(p.total)} headers: merging and planning…`;
  return `Reading headers: ${count(p.done)} of ${count(p.total)} files`;
}

/** A store name from the files' common name: A1B_north_america_year00..05 → A1B_north_america_year. */
export function proposeStoreName(paths: string[]): string {
  const stems = paths.map((p) => baseName(p).replace(/\.(nc|nc4|cdf|netcdf)$/i, ""));
  if (stems.length === 0) return "";
  let prefix = stems[0];
  for (const s of stems.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < s.length && prefix[i] === s[i]) i++;
    prefix = prefix.slice(0, i);
  }
  const trimmed = prefix.replace(/[^A-Za-z0-9]+$/, "").replace(/[._-]*\d*$/, "").replace(/[^A-Za-z0-9]+$/, "");
  const name = (trimmed.length >= 2 ? trimmed : stems.length === 1 ? stems[0] : "dataset").replace(/[^A-Za-z0-9._-]/g, "_");
  return name.replace(/^\.+/, "") || "dataset";
}

/** Pick files, plus what the welcome's "Try it with sample data" needs from it. */
export interface PickFilesStep extends Step {
  /** Load the bundled sample (what "Use the bundled sample data" does); `replace` drops the current list first. Resolves false after showing the error inline. */
  loadSample(opts?: { replace?: boolean }): Promise<boolean>;
}

const ROW = 34; // px, the height of one row in the file list (kept in sync with .file-row in style.css)

export function createPickFiles(ctx: StepContext): PickFilesStep {
  const s = ctx.state;
  let root: HTMLElement;
  let listBox: HTMLElement;
  let spacer: HTMLElement;
  let rows: HTMLElement;
  let empty: HTMLElement;
  let summary: HTMLElement;
  let clearBtn: HTMLButtonElement;
  let addError: HTMLElement;
  let skippedEl: HTMLElement;
  let scanBox: HTMLElement;
  let scanText: HTMLElement;
  let bar: HTMLProgressElement;
  let scanError: HTMLElement;
  let busyEl: HTMLElement;
  let busy = 0;
  let scanning = false;
  let scanSeq = 0;
  let stopWaiting: (() => void) | null = null;
  let frame = 0;
  let unsubscribe: (() => void) | null = null;


  function setFiles(files: PickedFile[]): void {
    s.files = files;
    if (scanKey(s) !== s.scannedKey) ctx.invalidateAfter("pick-files");
    paintList();
    ctx.refresh();
  }

  function paintList(): void {
    const n = s.files.length;
    empty.hidden = n > 0;
    listBox.hidden = n === 0;
    clearBtn.hidden = n === 0;
    spacer.style.height = `${n * ROW}px`;
    const total = s.files.reduce((a, f) => a + f.size, 0);
    summary.textContent = n ? `${count(n)} file${n === 1 ? "" : "s"}, ${bytes(total)}` : "";
    paintRows();
    skippedEl.replaceChildren();
    skippedEl.hidden = s.skipped.length === 0;
    if (s.skipped.length) {
      const d = h("details", {}, h("summary", {}, `${s.skipped.length} item${s.skipped.length === 1 ? "" : "s"} skipped while searching folders`));
      const ul = h("ul", {});
      for (const k of s.skipped.slice(0, 200)) ul.append(h("li", {}, h("code", {}, k.path), `: ${k.reason}`));
      d.append(ul);
      skippedEl.append(d);
    }
  }

  /** Only the visible rows exist in the DOM, so 10 000 files scroll as smoothly as 10. */
  function paintRows(): void {
    const top = listBox.scrollTop;
    const height = listBox.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW) - 5);
    const last = Math.min(s.files.length, Math.ceil((top + height) / ROW) + 5);
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const f = s.files[i];
      const name = baseName(f.path);
      frag.append(
        h(
          "div",
          { class: "file-row", role: "listitem", style: `top:${i * ROW}px`, dataset: { path: f.path } },
          h("span", { class: "file-name", title: f.path }, name),
          h("span", { class: "file-dir", title: f.path }, dirName(f.path)),
          h("span", { class: "file-size" }, bytes(f.size)),
          h("button", { type: "button", class: "icon-button", "aria-label": `Remove ${name}`, title: `Remove ${name}`, onclick: () => remove(f.path) }, "✕"),
        ),
      );
    }
    rows.replaceChildren(frag);
  }

  function remove(path: string): void {
    const i = s.files.findIndex((f) => f.path === path);
    setFiles(s.files.filter((f) => f.path !== path));
    // Keep the keyboard where it was: on the next row's remove button, else the list.
    const next = s.files[Math.min(i, s.files.length - 1)];
    const row = next && Array.from(rows.querySelectorAll<HTMLElement>(".file-row")).find((r) => r.dataset.path === next.path);
    const btn = row?.querySelector("button");
    (btn ?? (s.files.length ? listBox : root.querySelector<HTMLButtonElement>("button.add-files")))?.focus();
  }

  /** Resolves false if `work` failed (its error is shown inline). */
  async function withBusy(label: string, work: () => Promise<void>): Promise<boolean> {
    busy++;
    busyEl.textContent = label;
    busyEl.hidden = false;
    ctx.refresh();
    showError(addError, null);
    try {
      await work();
      return true;
    } catch (e) {
      showError(addError, toFerryError(e));
      return false;
    } finally {
      busy--;
      busyEl.hidden = busy === 0;
      ctx.refresh();
    }
  }

  async function addPaths(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    await withBusy("Looking for NetCDF files…", async () => {
      const listing = await call<Listing>("describe_paths", { paths });
      addListing(listing);
    });
  }

  function addListing(listing: Listing): void {
    s.skipped = s.skipped.concat(listing.skipped);
    setFiles(mergeFiles(s.files, listing.files));
  }

  async function pickFiles(): Promise<void> {
    await withBusy("Waiting for the file dialog…", async () => {
      const paths = await call<string[]>("pick_files_dialog");
      if (paths.length) addListing(await call<Listing>("describe_paths", { paths }));
    });
  }

  async function pickFolder(): Promise<void> {
    await withBusy("Waiting for the folder dialog…", async () => {
      const path = await call<string | null>("pick_folder_dialog");
      if (path) addListing(await call<Listing>("describe_paths", { paths: [path] }));
    });
  }

  async function useSample(opts: { replace?: boolean } = {}): Promise<boolean> {
    return withBusy("Unpacking the sample data…", async () => {
      const listing = await call<Listing>("bundled_sample");
      if (opts.replace) {
        s.skipped = listing.skipped;
        setFiles(listing.files);
      } else addListing(listing);
    });
  }

  function onDrop(e: DropEvent): void {
    root.classList.toggle("drop-target", e.type === "over");
    if (e.type === "drop") void addPaths(e.paths);
  }

  function setScanning(on: boolean): void {
    scanning = on;
    scanBox.hidden = !on;
    for (const b of root.querySelectorAll<HTMLButtonElement>(".toolbar button, .file-row button, button.clear")) b.disabled = on;
    ctx.refresh();
  }

  /** Advanced: how the files are joined. Right for most datasets when left empty. */
  function joinOptions(): HTMLDetailsElement {
    const field = (name: "concatDim" | "group", label: string, placeholder: string, help: string) => {
      const input = h("input", {
        type: "text",
        name: name === "concatDim" ? "concat_dim" : "group",
        value: s.scanOptions[name],
        placeholder,
        spellcheck: "false",
        oninput: (e: Event) => {
          s.scanOptions[name] = (e.target as HTMLInputElement).value;
          if (scanKey(s) !== s.scannedKey) ctx.invalidateAfter("pick-files");
          ctx.refresh();
        },
      });
      return h("label", { class: "field" }, h("span", { class: "label" }, label), input, h("span", { class: "help" }, help));
    };
    return h(
      "details",
      { class: "advanced join-options", open: !!(s.scanOptions.concatDim || s.scanOptions.group) },
      h("summary", {}, "Advanced: how the files are joined"),
      field("concatDim", "Join along dimension", "found automatically", "Leave empty: Ferry uses the unlimited dimension, else the one whose coordinate changes from file to file. Name one only when Preview joins the files along the wrong dimension."),
      field("group", "Group", "the root group", "Leave empty unless your NetCDF-4 files keep their variables in a group (Preview says so and lists the groups), e.g. /forecast."),
    );
  }

  async function runScan(): Promise<boolean> {
    const my = ++scanSeq;
    const paths = s.files.map((f) => f.path);
    const key = scanKey(s);
    const { concatDim, group } = s.scanOptions;
    showError(scanError, null);
    bar.removeAttribute("value");
    bar.max = Math.max(1, paths.length);
    scanText.textContent = `Reading headers: 0 of ${count(paths.length)} files`;
    setScanning(true);
    const channel = new Channel<ScanProgress>();
    channel.onmessage = (p) => {
      if (my !== scanSeq) return;
      bar.max = Math.max(1, p.total);
      bar.value = p.done;
      scanText.textContent = progressText(p);
    };
    // Cancel must not wait for the core: the scan's answer is dropped when it comes.
    const cancelled = new Promise<null>((resolve) => (stopWaiting = () => resolve(null)));
    try {
      const inspection = await Promise.race([call<Inspection>("scan", { paths, targetChunkMb: s.targetMb, concatDim: concatDim.trim() || null, group: group.trim() || null, onProgress: channel }), cancelled]);
      if (my !== scanSeq || !inspection) return false;
      s.inspection = inspection;
      s.scannedKey = key;
      s.overrides = {};
      if (!s.storeNameEdited) s.storeName = proposeStoreName(inspection.dataset.files.map((f) => f.path));
      return true;
    } catch (e) {
      if (my !== scanSeq) return false;
      showError(scanError, toFerryError(e));
      // Below a long list it would be out of sight.
      scanError.scrollIntoView?.({ block: "nearest" });
      return false;
    } finally {
      if (my === scanSeq) setScanning(false);
    }
  }

  function cancelScan(): void {
    scanSeq++;
    stopWaiting?.();
    setScanning(false);
    void call("cancel_scan").catch(() => undefined);
    showError(scanError, new FerryError({ code: "cancelled", message: "Scan cancelled.", hint: "Press Next to scan again." }));
    scanError.classList.add("neutral");
  }

  function mount(r: HTMLElement): void {
    root = r;
    addError = h("div", { class: "inline-error", role: "alert", hidden: true });
    busyEl = h("p", { class: "busy", role: "status", hidden: true });
    summary = h("span", { class: "summary" });
    clearBtn = h("button", { type: "button", class: "link clear", hidden: true, onclick: () => { s.skipped = []; setFiles([]); } }, "Remove all");
    spacer = h("div", { class: "file-spacer" });
    rows = h("div", { class: "file-rows" });
    spacer.append(rows);
    listBox = h("div", { class: "file-list", role: "list", tabindex: "0", "aria-label": "Files to upload", hidden: true }, spacer);
    listBox.addEventListener("scroll", () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(paintRows);
    });
    empty = h(
      "div",
      { class: "empty" },
      h("p", {}, h("strong", {}, "No files yet.")),
      h("p", {}, "Add NetCDF files or a folder of them, drop them onto this window, or try Ferry on the bundled sample: six yearly files of air temperature over North America."),
    );
    skippedEl = h("div", { class: "skipped", hidden: true });
    bar = h("progress", { class: "scan-bar", "aria-label": "Scan progress" });
    scanText = h("span", { class: "scan-text" });
    scanBox = h(
      "div",
      { class: "scan", role: "status", "aria-live": "polite", hidden: true },
      h("div", { class: "scan-line" }, scanText, h("button", { type: "button", class: "secondary", onclick: cancelScan }, "Cancel (Esc)")),
      bar,
    );
    scanError = h("div", { class: "inline-error", role: "alert", hidden: true });
    root.append(
      h("p", { class: "lead" }, "Choose the NetCDF files that make up one dataset. Ferry reads only their headers here."),
      why(
        "pick-files",
        "one Zarr store, not the files as they are",
        [
          "Ferry joins your files into one Zarr store: a single dataset that is analysis-ready and cloud-optimized (ARCO), rather than many files that each reader has to download and join.",
          "The store is cut into chunks, each an object of its own, so a reader fetches over HTTP only the chunks it needs instead of whole files.",
          "The metadata of the whole store is kept in one place (consolidated), so it opens quickly, with one line of xarray.",
        ],
        { label: "zarr.dev", url: "https://zarr.dev/" },
      ),
      h(
        "div",
        { class: "toolbar" },
        h("button", { type: "button", class: "secondary add-files", onclick: () => void pickFiles() }, "Add files…"),
        h("button", { type: "button", class: "secondary add-folder", onclick: () => void pickFolder() }, "Add a folder…"),
        h("button", { type: "button", class: "secondary sample", onclick: () => void useSample() }, "Use the bundled sample data"),
        h("span", { class: "drop-hint" }, "or drop files and folders onto this window"),
      ),
      busyEl,
      addError,
      h("div", { class: "list-head" }, summary, clearBtn),
      empty,
      listBox,
      skippedEl,
      joinOptions(),
      scanBox,
      scanError,
      h("div", { class: "drop-overlay", "aria-hidden": "true" }, "Drop to add these files"),
    );
    paintList();
  }

  return {
    id: "pick-files",
    title: "Pick files",
    summary: "The NetCDF files to convert",
    mount,
    enter() {
      unsubscribe ??= ctx.onDrop(onDrop);
      paintList();
    },
    canNext: () => s.files.length > 0 && !scanning && busy === 0,
    blocker: () => (scanning ? "Scanning…" : s.files.length === 0 ? "Add at least one file." : null),
    nextLabel: () => (s.inspection && s.scannedKey === scanKey(s) ? "Next" : "Scan and preview"),
    async next() {
      if (s.inspection && s.scannedKey === scanKey(s)) return true;
      return runScan();
    },
    busy: () => scanning || busy > 0,
    loadSample: useSample,
    escape() {
      if (scanning) {
        cancelScan();
        return true;
      }
      return false;
    },
  };
}
