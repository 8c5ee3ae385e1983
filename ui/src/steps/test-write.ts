// Step 4, test-write: the first steps of the real dataset, written beside the store with the
// real plan and codec, read back and compared byte for byte; the measured speed projects the
// full upload. Commands: src-tauri/src/gui/test_write.rs (run_test_write, cancel_write).
import { Channel } from "@tauri-apps/api/core";
import type { Progress } from "../bindings/Progress";
import type { TestWriteReport } from "../bindings/TestWriteReport";
import type { WriteChoices } from "../bindings/WriteChoices";
import { h, uid } from "../dom";
import { showError } from "../errors";
import { bytes, count, duration, mb, rate, ratio } from "../format";
import { CODECS, CONCURRENCY, DEFAULT_CHOICES, formatCompression, parseCompression, parseWhole, sameChoices, saveChoices } from "../choices";
import { call, FerryError, toFerryError } from "../ipc";
import { currentDestination, writeKey, type WizardState } from "../state";
import { why } from "../why";
import type { Step, StepContext } from "./step";
import { cancelWrite, fraction, progressParts } from "./write-common";

export function destinationLabel(ctx: StepContext): string {
  const d = currentDestination(ctx.state);
  switch (d.kind) {
    case "local":
      return d.path;
    case "gcs":
      return `gs://${d.bucket}/${d.prefix}`;
    case "osn":
      return `OSN pod, ${ctx.state.defaults?.osn_bucket ?? "leap-pangeo-inbox"}/${d.prefix}`;
    case "s3":
      return `${d.endpoint}/${d.bucket}/${d.prefix}`;
  }
}

// The option values and their parsing live in choices.ts (state.ts loads the remembered ones).
export { CODECS, formatCompression, parseCompression, parseWhole, type CodecName } from "../choices";

/** The passed test for what would be written now, if any. */
export function currentTest(s: WizardState): TestWriteReport | null {
  return s.testReport && s.testedFor === writeKey(s) ? s.testReport : null;
}

export function createTestWrite(ctx: StepContext): Step {
  const s = ctx.state;
  let running = false;
  let cancelling = false;
  let invalidField = false;
  let stepsList: HTMLOListElement;
  let runBtn: HTMLButtonElement;
  let cancelBtn: HTMLButtonElement;
  let progressBox: HTMLElement;
  let progressText: HTMLElement;
  let progressStats: HTMLElement;
  let bar: HTMLProgressElement;
  let errorEl: HTMLElement;
  let staleNote: HTMLElement;
  let result: HTMLElement;
  let formatInputs: HTMLInputElement[];
  let codecSelect: HTMLSelectElement;
  let levelInput: HTMLInputElement;
  let levelField: HTMLElement;
  let levelIssue: HTMLElement;
  let concInput: HTMLInputElement;
  let concIssue: HTMLElement;
  let resetBtn: HTMLButtonElement;

  function setChoices(patch: Partial<WriteChoices>): void {
    const before = currentTest(s);
    s.choices = { ...s.choices, ...patch };
    saveChoices(s.choices);
    if (before) ctx.invalidateAfter("test-write");
    paintResult();
    ctx.refresh();
  }

  function paintSteps(): void {
    const plan = s.inspection?.plan;
    const first = plan ? plan.variables.reduce((a, v) => a + v.chunk_bytes, 0) : 0;
    const cdim = s.inspection?.dataset.concat_dim;
    const items = [
      `Write the first ${cdim ? `steps along ${cdim}` : "part of the dataset"} to a temporary folder on this computer, as a reference`,
      plan ? `Write the same to ${destinationLabel(ctx)}, beside the store: up to ${count(plan.variables.length)} arrays, about ${mb(first)} MB` : `Write the same to ${destinationLabel(ctx)}, beside the store`,
      "Read it all back and compare it with the reference, byte for byte",
      "Delete the test store, and project the full upload from the measured speed",
    ];
    stepsList.replaceChildren(...items.map((t) => h("li", {}, t)));
  }

  function paintControls(): void {
    runBtn.disabled = running || invalidField || !s.inspection || !s.storeName.trim();
    runBtn.textContent = currentTest(s) ? "Run the test write again" : "Run the test write";
    cancelBtn.disabled = !running || cancelling;
    progressBox.classList.toggle("idle", !running);
    progressBox.setAttribute("aria-busy", String(running));
    for (const el of [...formatInputs, codecSelect, levelInput, concInput]) el.disabled = running;
    resetBtn.disabled = running || (sameChoices(s.choices, DEFAULT_CHOICES) && !invalidField);
  }

  function syncInputs(): void {
    const c = s.choices;
    for (const r of formatInputs) r.checked = Number(r.value) === c.zarr_format;
    const { codec, level } = parseCompression(c.compression);
    codecSelect.value = codec;
    levelInput.value = String(level);
    paintLevel();
    concInput.value = String(c.concurrency);
    fieldIssue(concInput, concIssue, null);
    fieldIssue(levelInput, levelIssue, null);
    invalidField = false;
  }

  function paintLevel(): void {
    const c = CODECS.find((k) => k.name === codecSelect.value) ?? CODECS[0];
    levelField.hidden = c.name === "none";
    levelInput.min = String(c.min);
    levelInput.max = String(c.max);
  }

  function fieldIssue(input: HTMLInputElement, el: HTMLElement, message: string | null): void {
    el.textContent = message ?? "";
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function onCompression(fromCodec: boolean): void {
    const c = CODECS.find((k) => k.name === codecSelect.value) ?? CODECS[0];
    if (fromCodec) {
      levelInput.value = String(c.level);
      paintLevel();
    }
    if (c.name === "none") {
      fieldIssue(levelInput, levelIssue, null);
      setChoices({ compression: "none" });
    } else {
      const n = parseWhole(levelInput.value, c.min, c.max);
      fieldIssue(levelInput, levelIssue, n === null ? `Choose a level from ${c.min} to ${c.max}.` : null);
      if (n !== null) setChoices({ compression: formatCompression(c.name, n) });
    }
    validate();
  }

  function onConcurrency(): void {
    const n = parseWhole(concInput.value, CONCURRENCY.min, CONCURRENCY.max);
    fieldIssue(concInput, concIssue, n === null ? `Choose from ${CONCURRENCY.min} to ${CONCURRENCY.max}; ${DEFAULT_CHOICES.concurrency} suits most connections.` : null);
    if (n !== null) setChoices({ concurrency: n });
    validate();
  }

  function resetChoices(): void {
    if (running) return;
    if (!sameChoices(s.choices, DEFAULT_CHOICES)) setChoices({ ...DEFAULT_CHOICES });
    syncInputs();
    paintControls();
    ctx.refresh();
  }

  function validate(): void {
    invalidField = concInput.getAttribute("aria-invalid") === "true" || (!levelField.hidden && levelInput.getAttribute("aria-invalid") === "true");
    paintControls();
    ctx.refresh();
  }

  function paintProgress(p: Progress): void {
    if (!running || cancelling) return;
    const parts = progressParts(p);
    bar.max = 1;
    bar.value = fraction(p);
    if (p.phase === "done") {
      progressText.textContent = "Reading everything back and comparing it with the reference…";
    } else if (p.phase === "chunks") {
      progressText.textContent = `Writing beside the store: ${parts.chunks}`;
    } else {
      progressText.textContent = p.phase === "metadata" ? "Writing the metadata beside the store…" : "Preparing the test store…";
    }
    progressStats.textContent = p.mb_per_s > 0 ? `${parts.bytes}, ${parts.speed}` : parts.bytes;
  }

  function paintResult(): void {
    const r = currentTest(s);
    result.hidden = !r;
    staleNote.hidden = !(s.testReport && !r) || running;
    paintControls();
    if (!r) return;
    const ins = s.inspection;
    const cdim = ins?.dataset.concat_dim;
    const total = ins?.plan.total_bytes ?? 0;
    const headId = uid("test-result");
    result.setAttribute("aria-labelledby", headId);
    result.replaceChildren(
      h("h2", { id: headId }, h("span", { class: "ok-mark", "aria-hidden": "true" }, "✓"), " The test write passed"),
      h("p", { class: "help" }, "What was read back equals what was written, byte for byte."),
      h(
        "dl",
        { class: "facts-list" },
        h("dt", {}, "Written"),
        h("dd", { dataset: { fact: "written" } }, `${r.steps > 0 && cdim ? `${count(r.steps)} step${r.steps === 1 ? "" : "s"} of ${cdim}` : "the whole dataset"}: ${count(r.objects)} objects, ${bytes(r.bytes)} (${bytes(r.bytes_stored)} stored)`),
        h("dt", {}, "Compression"),
        h("dd", { dataset: { fact: "ratio" } }, `${ratio(r.compression_ratio)} with ${s.choices.compression}`),
        h("dt", {}, "Throughput"),
        h("dd", { dataset: { fact: "throughput" } }, rate(r.mb_per_s)),
        h("dt", {}, "Latency"),
        h("dd", { dataset: { fact: "latency" } }, `${r.latency_ms < 10 ? r.latency_ms.toFixed(1) : r.latency_ms.toFixed(0)} ms to write and read back one small object`),
        h("dt", {}, "Projected size"),
        h("dd", { dataset: { fact: "projected-size" } }, `about ${bytes(r.projected_bytes_stored)} stored${total ? ` (${bytes(total)} uncompressed)` : ""}`),
        h("dt", {}, "Projected upload"),
        h("dd", { dataset: { fact: "projected-time" } }, r.projected_seconds >= 1 ? `about ${duration(r.projected_seconds)} at the measured speed` : r.projected_seconds > 0 ? "under a second at the measured speed" : "too quick to measure"),
        h("dt", {}, "Test store"),
        h("dd", { dataset: { fact: "test-store" } }, h("code", {}, r.test_url), r.kept ? " (kept)" : " (deleted afterwards)"),
      ),
      h("p", { class: "help" }, "The projection comes from a small write: a full upload often runs faster, with more chunks in flight."),
    );
  }

  async function run(): Promise<void> {
    if (running || runBtn.disabled) return;
    const key = writeKey(s);
    running = true;
    cancelling = false;
    showError(errorEl, null);
    bar.removeAttribute("value");
    progressText.textContent = "Writing a reference copy on this computer and measuring the latency…";
    progressStats.textContent = "";
    paintResult();
    ctx.refresh();
    const channel = new Channel<Progress>();
    channel.onmessage = paintProgress;
    try {
      const report = await call<TestWriteReport>("run_test_write", { destination: currentDestination(s), store: s.storeName, choices: s.choices, onProgress: channel });
      s.testReport = report;
      s.testedFor = key;
    } catch (e) {
      const err = toFerryError(e);
      if (err.code === "cancelled") {
        showError(errorEl, new FerryError({ code: "cancelled", message: "Test write cancelled.", hint: "Nothing of your store was written; the next test replaces the partial test store. Press Run the test write to try again." }));
        errorEl.classList.add("neutral");
      } else {
        // A failed run says nothing good about the destination any more: test again.
        if (s.testedFor === key) {
          s.testReport = null;
          s.testedFor = null;
          ctx.invalidateAfter("test-write");
        }
        showError(errorEl, err);
      }
    } finally {
      running = false;
      cancelling = false;
      progressText.textContent = "";
      progressStats.textContent = "";
      paintResult();
      ctx.refresh();
      if (currentTest(s)) result.focus({ preventScroll: false });
      else if (!errorEl.hidden) runBtn.focus();
    }
  }

  function cancel(): void {
    if (!running || cancelling) return;
    cancelling = true;
    progressText.textContent = "Cancelling: the chunks in flight finish first…";
    paintControls();
    void cancelWrite(() => running);
  }

  function advanced(): HTMLDetailsElement {
    const fmtName = uid("zarr-format");
    const formatHelp = uid("help");
    formatInputs = [2, 3].map((n) => h("input", { type: "radio", name: fmtName, value: String(n), id: `${fmtName}-${n}`, "aria-describedby": formatHelp, onchange: () => setChoices({ zarr_format: n }) }));
    const formatSet = h(
      "fieldset",
      { class: "choice" },
      h("legend", {}, "Zarr format"),
      h("label", { for: formatInputs[0].id, class: "radio" }, formatInputs[0], h("span", {}, h("strong", {}, "2"), " (default): readable everywhere, with consolidated metadata (.zmetadata)")),
      h("label", { for: formatInputs[1].id, class: "radio" }, formatInputs[1], h("span", {}, h("strong", {}, "3"), ": the newer format, read by zarr-python 3 and other Zarr 3 tools")),
      h("p", { class: "help", id: formatHelp }, "Change it only if the people who read the data use Zarr 3 tools and want its format."),
    );

    const codecId = uid("codec");
    const levelId = uid("level");
    const codecHelp = uid("help");
    codecSelect = h("select", { id: codecId, "aria-describedby": codecHelp, onchange: () => onCompression(true) }, ...CODECS.map((c) => h("option", { value: c.name }, c.label)));
    levelIssue = h("p", { class: "field-issue error", id: uid("issue"), "aria-live": "polite" });
    levelInput = h("input", { id: levelId, type: "number", inputmode: "numeric", class: "small-number", "aria-describedby": `${codecHelp} ${levelIssue.id}`, oninput: () => onCompression(false) });
    levelField = h("span", { class: "inline-field" }, h("label", { for: levelId }, "Level"), levelInput);
    const compression = h(
      "div",
      { class: "field" },
      h("label", { for: codecId }, "Compression"),
      h("div", { class: "field-row" }, codecSelect, levelField),
      levelIssue,
      h("p", { class: "help", id: codecHelp }, "zstd level 3 is fast and compresses well; raise the level to save storage when the network is slower than your processor, or choose none for data that does not compress."),
    );

    const concId = uid("concurrency");
    const concHelp = uid("help");
    concIssue = h("p", { class: "field-issue error", id: uid("issue"), "aria-live": "polite" });
    concInput = h("input", { id: concId, type: "number", inputmode: "numeric", min: 1, max: 64, class: "small-number", "aria-describedby": `${concHelp} ${concIssue.id}`, oninput: onConcurrency });
    const concurrency = h(
      "div",
      { class: "field" },
      h("label", { for: concId }, "Uploads at once"),
      h("div", { class: "field-row" }, concInput, h("span", { class: "muted" }, "chunks in flight (1–64)")),
      concIssue,
      h("p", { class: "help", id: concHelp }, "8 suits most connections; raise it on a fast link far from the storage, lower it if the service throttles or the network is shaky."),
    );

    resetBtn = h("button", { type: "button", class: "link reset-choices", onclick: resetChoices }, "Reset to defaults");
    return h(
      "details",
      // Remembered options that are not the defaults show at once: nothing unusual is written unseen.
      { class: "advanced", open: !sameChoices(s.choices, DEFAULT_CHOICES) },
      h("summary", {}, "Advanced: format, compression, uploads at once"),
      h("p", { class: "help" }, "The defaults suit most datasets. A change here needs a new test write. Ferry remembers these options for next time."),
      formatSet,
      compression,
      concurrency,
      h("p", {}, resetBtn),
    );
  }

  function mount(root: HTMLElement): void {
    stepsList = h("ol", { class: "test-steps" });
    runBtn = h("button", { type: "button", class: "primary", id: "run-test-write", onclick: () => void run() }, "Run the test write");
    cancelBtn = h("button", { type: "button", class: "secondary", id: "cancel-test-write", onclick: cancel }, "Cancel (Esc)");
    progressText = h("span", { class: "progress-text", role: "status", "aria-live": "polite" });
    progressStats = h("span", { class: "progress-stats" });
    bar = h("progress", { class: "write-bar", "aria-label": "Test write progress" });
    progressBox = h("div", { class: "write-progress test-progress idle" }, h("div", { class: "progress-line" }, progressText, cancelBtn), bar, progressStats);
    errorEl = h("div", { class: "inline-error", role: "alert", hidden: true });
    staleNote = h("p", { class: "stale-note", hidden: true }, "The last test write was for other settings (destination, store name, files, chunks or options): run it again.");
    result = h("section", { class: "card test-result", tabindex: "-1", hidden: true });
    root.append(
      h("div", { class: "test-write" },
        h("p", { class: "lead" }, "Before the full upload, Ferry writes a small part of the store, reads it back and compares it with your files. It takes seconds, and it measures the speed to project the whole upload."),
        why(
          "test-write",
          "a test write first",
          [
            "A wrong credential, a prefix you may not write to, a proxy that alters data or a chunk plan that makes objects far too big shows up here in seconds, rather than hours into an upload.",
            "The test writes the first steps of the real dataset with the real chunk plan and compression, beside your store (its name ends in .ferry-test.zarr), reads everything back and deletes it. Your store itself is not touched.",
          ],
          { label: "Zarr in xarray's user guide", url: "https://docs.xarray.dev/en/stable/user-guide/io.html#zarr" },
        ),
        h("h2", { class: "section" }, "What the test does"),
        stepsList,
        advanced(),
        h("div", { class: "toolbar" }, runBtn),
        progressBox,
        errorEl,
        staleNote,
        result,
      ),
    );
    syncInputs();
    paintSteps();
    paintResult();
  }

  return {
    id: "test-write",
    title: "Test write",
    summary: "A small part, written and read back",
    mount,
    enter() {
      if (!running) syncInputs();
      paintSteps();
      paintResult();
    },
    canNext: () => !running && currentTest(s) !== null,
    run,
    blocker() {
      if (running) return "Testing…";
      if (!s.inspection) return "Nothing scanned yet: go back to Pick files.";
      if (invalidField) return "Fix the advanced options, then run the test write.";
      return "Run the test write first.";
    },
    escape() {
      if (running) {
        cancel();
        return true;
      }
      return false;
    },
  };
}
