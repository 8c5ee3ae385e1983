// Step 5, upload: the whole store, with a pre-upload checklist, live progress, cancel, resume of
// an interrupted upload, replace or delete of a store that is in the way, and a summary with the
// Python snippet. Commands: src-tauri/src/gui/upload.rs (start_upload, interrupted_uploads,
// delete_store), test_write.rs (cancel_write) and sign_in.rs (store_url).
import { Channel } from "@tauri-apps/api/core";
import type { InterruptedUpload } from "../bindings/InterruptedUpload";
import type { Progress } from "../bindings/Progress";
import type { UploadMode } from "../bindings/UploadMode";
import type { WriteSummary } from "../bindings/WriteSummary";
import { append, h, uid } from "../dom";
import { showError } from "../errors";
import { bytes, count, duration, rate, ratio } from "../format";
import { copyText } from "../clipboard";
import { call, FerryError, toFerryError } from "../ipc";
import { currentDestination, destinationKey, planInputs, writeKey, type WizardState } from "../state";
import { why } from "../why";
import { chunkStats, GOOD_MB } from "./preview";
import type { Step, StepContext } from "./step";
import { currentTest, destinationLabel } from "./test-write";
import { cancelWrite, fraction, phaseText, progressParts } from "./write-common";

export type Level = "green" | "amber" | "red";

export interface Check {
  id: string;
  level: Level;
  title: string;
  /** What it means, and what to do about it. */
  detail: string;
}

/** Short-lived tokens live about an hour: warn when the projected upload comes close. */
export const TOKEN_SECONDS = 50 * 60;

/** The bucket LEAP empties after 7 days. */
export function isScratch(s: WizardState): boolean {
  const d = currentDestination(s);
  const scratch = s.defaults?.gcs_scratch_bucket || "leap-scratch";
  return (d.kind === "gcs" || d.kind === "s3") && (d.bucket.trim() === scratch || d.bucket.trim() === "leap-scratch");
}

/** The pre-upload checklist, from the state: red lines stop the upload, amber ones ask for a look. */
export function preUploadChecks(s: WizardState): Check[] {
  const out: Check[] = [];
  const ins = s.inspection;
  const dest = currentDestination(s);

  if (!ins) {
    out.push({ id: "merge", level: "red", title: "Nothing scanned yet", detail: "Go back to Pick files, add the files and press Next." });
  } else {
    const errors = ins.dataset.problems.filter((p) => p.severity === "error");
    const warnings = ins.dataset.problems.filter((p) => p.severity === "warning");
    if (errors.length) {
      out.push({ id: "merge", level: "red", title: `The files do not merge: ${count(errors.length)} error${errors.length === 1 ? "" : "s"}`, detail: `${errors[0].message}. Preview lists each problem with what to do: fix or remove those files, then scan again.` });
    } else if (warnings.length) {
      out.push({ id: "merge", level: "amber", title: `The files merge, with ${count(warnings.length)} warning${warnings.length === 1 ? "" : "s"}`, detail: `${warnings[0].message}. Review the warnings in Preview; you may upload anyway.` });
    } else {
      out.push({ id: "merge", level: "green", title: "The files merge without errors", detail: `${count(ins.dataset.files.length)} file${ins.dataset.files.length === 1 ? "" : "s"} combine into one dataset.` });
    }

    const off = ins.plan.variables.filter((v) => v.warning || chunkStats(v, v.chunks).level !== "ok");
    if (off.length) {
      const names = off.slice(0, 3).map((v) => `${v.name} (${(v.chunk_bytes / 1e6).toFixed(1)} MB)`).join(", ");
      out.push({ id: "chunks", level: "amber", title: `Chunk sizes outside ${GOOD_MB.min}–${GOOD_MB.max} MB for ${count(off.length)} array${off.length === 1 ? "" : "s"}`, detail: `${names}${off.length > 3 ? ", …" : ""}. Readers fetch whole chunks: change the chunk lengths in Preview, or upload as planned.` });
    } else {
      out.push({ id: "chunks", level: "green", title: `Chunk sizes within ${GOOD_MB.min}–${GOOD_MB.max} MB`, detail: "Or the arrays are small enough for size not to matter." });
    }
  }

  if (dest.kind === "local") {
    out.push({ id: "destination", level: "green", title: "Destination checked", detail: `The folder ${dest.path} was checked writable at Sign in.` });
  } else {
    const si = s.signedIn;
    const forThis = si && s.signedInFor === destinationKey(s);
    if (!si || !forThis) {
      out.push({ id: "destination", level: "red", title: "Not signed in to this destination", detail: "Go back to Sign in and press \"Sign in and check\"." });
    } else if (!si.can_write) {
      out.push({ id: "destination", level: "red", title: "These credentials cannot write here", detail: `Signed in with ${si.who}, which may not write under ${si.url}: use other credentials or another prefix.` });
    } else {
      const may = [si.can_list ? "list" : null, "write", si.can_delete ? "delete" : null].filter(Boolean).join(", ");
      out.push({ id: "destination", level: "green", title: "Destination checked", detail: `Signed in with ${si.who}, which may ${may} under ${si.url}.` });
    }
  }

  const test = currentTest(s);
  out.push(
    test
      ? { id: "test", level: "green", title: "The test write passed for this plan", detail: `${rate(test.mb_per_s)}; the upload is projected to take about ${duration(test.projected_seconds)}.` }
      : { id: "test", level: "red", title: "No test write for these settings", detail: "Go back to Test write and run it: the destination, store name, files, chunks or options changed since." },
  );

  if (dest.kind !== "local" && s.signedIn) {
    const secs = test?.projected_seconds ?? 0;
    if (s.signedIn.short_lived && secs > TOKEN_SECONDS) {
      out.push({ id: "credentials", level: "amber", title: "The token may expire during the upload", detail: `The token lives about an hour and the upload is projected to take about ${duration(secs)}. If it expires the upload stops; sign in again and resume it, or sign in with keys or a longer-lived credential first.` });
    } else if (s.signedIn.short_lived) {
      out.push({ id: "credentials", level: "green", title: "The token outlasts the upload", detail: `The token lives about an hour; the upload is projected to take about ${duration(secs)}.` });
    } else {
      out.push({ id: "credentials", level: "green", title: "Credentials do not expire during the upload", detail: "Keys and profiles have no hourly expiry." });
    }
  }

  const scratch = isScratch(s);
  if (scratch) {
    out.push({ id: "scratch", level: "amber", title: "leap-scratch is emptied after 7 days", detail: "Fine for a trial; for data others will use, write to leap-persistent or the OSN pod." });
  }
  const rules = (s.signedIn?.warnings ?? []).filter((w) => !(scratch && /scratch/i.test(w)));
  if (dest.kind !== "local" && rules.length) {
    out.push({ id: "leap-rules", level: "amber", title: "LEAP's storage rules", detail: rules.join(" ") });
  }
  return out;
}

/** An interrupted upload recorded for this store, if any. */
export function matchInterrupted(list: InterruptedUpload[], storeName: string, storeUrl: string | null): InterruptedUpload | null {
  const name = storeName.trim().replace(/\.zarr$/, "");
  if (!name) return null;
  return list.find((u) => (storeUrl !== null && u.url === storeUrl) || u.url.endsWith(`/${name}.zarr`)) ?? null;
}

/** "stopped: 120 of 400 chunks were written…" → [120, 400]. */
function chunksFromMessage(message: string): [number, number] | null {
  const m = /(\d+) of (\d+) chunks/.exec(message);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

type View = "ready" | "running" | "stopped" | "conflict" | "failed" | "done";

const ICON: Record<Level, string> = { green: "✓", amber: "!", red: "✗" };
const LEVEL_WORD: Record<Level, string> = { green: "OK", amber: "Check", red: "Blocks the upload" };

/**
 * "Delete this file…" for the credentials file of the sign-in, after the upload (the usual advice
 * for borrowed access): asks first, then Rust deletes the session's own file and signs out.
 */
function forgetFile(file: string, onSignedOut: () => void = () => undefined): HTMLElement {
  const slot = h("span", { class: "forget-file" });
  const err = h("div", { class: "inline-error", role: "alert", hidden: true });
  const ask = (): void => {
    const yes = h("button", { type: "button", class: "danger", id: "forget-file-yes" }, "Delete it");
    const no = h("button", { type: "button", class: "secondary", onclick: () => offer() }, "Keep it");
    yes.onclick = async () => {
      yes.disabled = no.disabled = true;
      try {
        const gone = await call<string>("delete_credentials_file");
        slot.replaceChildren(h("span", { class: "done-note", role: "status" }, "Deleted ", h("code", {}, gone), ". You are signed out; sign in again for another upload."));
        onSignedOut();
      } catch (e) {
        showError(err, toFerryError(e));
        yes.disabled = no.disabled = false;
      }
    };
    // A block of its own: the confirm box's border must not run over the line above.
    slot.replaceChildren(h("div", { class: "confirm", role: "group", "aria-label": "Delete the credentials file?" }, h("p", {}, `Delete ${file}? Ferry, gcloud and anything else using it can no longer sign in with it.`), h("div", { class: "toolbar" }, yes, no)), err);
    yes.focus();
  };
  const offer = (): void => {
    slot.replaceChildren(h("button", { type: "button", class: "secondary", id: "forget-file", onclick: ask }, "Delete this file…"));
  };
  offer();
  return slot;
}

export function createUpload(ctx: StepContext): Step {
  const s = ctx.state;
  let view: View = "ready";
  let viewKey: string | null = null;
  let uploadedKey: string | null = null;
  let cancelling = false;
  let lastMode: UploadMode = "new";
  let lastProgress: Progress | null = null;
  let lastError: FerryError | null = null;
  let storeUrl: string | null = null;
  /** What `storeUrl` was asked for (destination and name): kept while that holds, so nothing flickers. */
  let storeUrlFor = "";
  let interrupted: InterruptedUpload | null = null;
  let checks: Check[] = [];
  let enterSeq = 0;

  let facts: HTMLElement;
  let banner: HTMLElement;
  let checklist: HTMLOListElement;
  let before: HTMLElement;
  let startBtn: HTMLButtonElement;
  let startNote: HTMLElement;
  let progressBox: HTMLElement;
  let phaseEl: HTMLElement;
  let bar: HTMLProgressElement;
  let percentEl: HTMLElement;
  let bytesEl: HTMLElement;
  let chunksEl: HTMLElement;
  let speedEl: HTMLElement;
  let etaEl: HTMLElement;
  let waitEl: HTMLElement;
  let cancelBtn: HTMLButtonElement;
  let outcome: HTMLElement;
  let summary: HTMLElement;
  let status: HTMLElement;

  const running = () => view === "running";
  const shownUrl = () => storeUrl ?? `${s.storeName.trim().replace(/\.zarr$/, "")}.zarr`;

  function paintFacts(): void {
    const ins = s.inspection;
    const test = currentTest(s);
    const size = ins ? ins.dataset.files.reduce((a, f) => a + f.size, 0) : 0;
    const c = s.choices;
    facts.replaceChildren();
    append(
      facts,
      h("dt", {}, "Destination"),
      h("dd", { dataset: { fact: "destination" } }, h("code", {}, destinationLabel(ctx))),
      h("dt", {}, "Store"),
      h("dd", { dataset: { fact: "store" } }, h("code", {}, shownUrl())),
      h("dt", {}, "Source files"),
      h("dd", { dataset: { fact: "files" } }, ins ? `${count(ins.dataset.files.length)} file${ins.dataset.files.length === 1 ? "" : "s"}, ${bytes(size)}` : "not scanned"),
      h("dt", {}, "To write"),
      h(
        "dd",
        { dataset: { fact: "plan" } },
        ins ? `${bytes(ins.plan.total_bytes)} uncompressed in ${count(ins.plan.total_chunks)} chunks, ${count(ins.plan.variables.length)} arrays; Zarr ${c.zarr_format}, ${c.compression}, ${c.concurrency} uploads at once` : "–",
      ),
      h("dt", {}, "Projection"),
      h("dd", { dataset: { fact: "projection" } }, test ? `about ${bytes(test.projected_bytes_stored)} stored (${ratio(test.compression_ratio)}), about ${duration(test.projected_seconds)} at ${rate(test.mb_per_s)}` : "run the test write for a projection"),
    );
  }

  function paintChecklist(): void {
    checks = preUploadChecks(s);
    checklist.replaceChildren(
      ...checks.map((c) =>
        h(
          "li",
          { dataset: { check: c.id, level: c.level } },
          h("span", { class: "check-icon", "aria-hidden": "true" }, ICON[c.level]),
          h("span", { class: "check-text" }, h("span", { class: "visually-hidden" }, `${LEVEL_WORD[c.level]}: `), h("strong", {}, c.title), h("span", { class: "check-detail" }, c.detail)),
        ),
      ),
    );
    const red = checks.filter((c) => c.level === "red").length;
    const amber = checks.filter((c) => c.level === "amber").length;
    startNote.textContent = red ? `Fix the red line${red === 1 ? "" : "s"} first.` : amber ? `Look at the amber line${amber === 1 ? "" : "s"}; you may start anyway.` : "All checks passed.";
    startNote.classList.toggle("blocked", red > 0);
  }

  function paintBanner(): void {
    banner.replaceChildren();
    banner.hidden = !(interrupted && view === "ready");
    if (!interrupted || banner.hidden) return;
    const files = interrupted.files;
    append(
      banner,
      h(
        "p",
        {},
        h("strong", {}, "An interrupted upload of this store was found"),
        ` (${count(interrupted.chunks_total)} chunks planned${files.length ? `, from ${files.slice(0, 2).join(", ")}${files.length > 2 ? ` and ${count(files.length - 2)} more` : ""}` : ""}). `,
        "Resuming checks the source files and skips the chunks already written.",
      ),
      h("code", { class: "banner-url" }, interrupted.url),
      h("div", { class: "toolbar" }, h("button", { type: "button", class: "primary", id: "resume-interrupted", disabled: checks.some((c) => c.level === "red"), onclick: () => void start("resume") }, "Resume")),
    );
  }

  function paintProgress(p: Progress): void {
    if (!running()) return;
    lastProgress = p;
    const parts = progressParts(p);
    bar.max = 1;
    bar.value = fraction(p);
    bar.setAttribute("aria-valuetext", `${parts.percent}, ${parts.chunks}`);
    if (!cancelling) {
      const phase = phaseText(p.phase);
      if (phaseEl.textContent !== phase) phaseEl.textContent = phase;
    }
    percentEl.textContent = parts.percent;
    bytesEl.textContent = parts.bytes;
    chunksEl.textContent = parts.chunks;
    speedEl.textContent = parts.speed;
    etaEl.textContent = parts.eta;
    waitEl.hidden = !p.waiting_for_network;
  }

  function resetProgress(): void {
    bar.removeAttribute("value");
    bar.removeAttribute("aria-valuetext");
    phaseEl.textContent = "Connecting…";
    for (const el of [percentEl, bytesEl, chunksEl, speedEl, etaEl]) el.textContent = "";
    waitEl.hidden = true;
  }

  function confirmBox(text: string, yesId: string, yesLabel: string, onYes: () => void, onNo: () => void): HTMLElement {
    const yes = h("button", { type: "button", class: "danger", id: yesId, onclick: onYes }, yesLabel);
    const box = h("div", { class: "confirm", role: "group", "aria-label": "Confirm" }, h("p", {}, text), h("div", { class: "toolbar" }, yes, h("button", { type: "button", class: "secondary", onclick: onNo }, "Cancel")));
    queueMicrotask(() => yes.focus());
    return box;
  }

  function paintOutcome(): void {
    outcome.replaceChildren();
    outcome.hidden = !["stopped", "conflict", "failed"].includes(view);
    outcome.className = `upload-outcome ${view}`;
    if (view === "stopped") paintStopped();
    else if (view === "conflict") paintConflict();
    else if (view === "failed") paintFailed();
  }

  function paintStopped(): void {
    const n = lastProgress ? [lastProgress.chunks_done, lastProgress.chunks_total] : chunksFromMessage(lastError?.message ?? "");
    const what = n ? `Stopped: ${count(n[0])} of ${count(n[1])} chunks written; the store is incomplete.` : "Stopped: the store is incomplete.";
    const actions = h("div", { class: "toolbar" });
    const confirmSlot = h("div", {});
    const resume = h("button", { type: "button", class: "primary", id: "resume-upload", onclick: () => void start("resume") }, "Resume");
    const del = h(
      "button",
      {
        type: "button",
        class: "secondary",
        id: "delete-store",
        onclick: () => {
          del.disabled = true;
          confirmSlot.replaceChildren(
            confirmBox(
              `Delete ${shownUrl()}? Everything written so far is removed; Ferry deletes Zarr stores only.`,
              "confirm-delete",
              "Delete it",
              () => void deleteStore(),
              () => {
                confirmSlot.replaceChildren();
                del.disabled = false;
                del.focus();
              },
            ),
          );
        },
      },
      "Delete the incomplete store",
    );
    actions.append(resume, del);
    append(
      outcome,
      h("p", { class: "outcome-title" }, h("strong", {}, what)),
      h("p", { class: "help" }, "Its consolidated metadata is written last, so readers see it as unfinished. Resume finishes it, skipping the chunks already written, now or later (Ferry offers it when you come back to this store)."),
      actions,
      confirmSlot,
    );
  }

  /** "Replace it" / "Start again": asks in `slot` first, then deletes the store and writes it anew. */
  function replaceButton(id: string, label: string, cls: string, question: string, slot: HTMLElement): HTMLButtonElement {
    const b = h(
      "button",
      {
        type: "button",
        class: cls,
        id,
        onclick: () => {
          b.disabled = true;
          slot.replaceChildren(
            confirmBox(question, "confirm-replace", "Delete and write again", () => void start("overwrite"), () => {
              slot.replaceChildren();
              b.disabled = false;
              b.focus();
            }),
          );
        },
      },
      label,
    );
    return b;
  }

  function paintConflict(): void {
    const e = lastError!;
    const isInterrupted = /interrupt|resume/i.test(`${e.message} ${e.hint}`);
    const confirmSlot = h("div", {});
    const actions = h("div", { class: "toolbar" });
    if (isInterrupted) actions.append(h("button", { type: "button", class: "primary", id: "resume-upload", onclick: () => void start("resume") }, "Resume the interrupted upload"));
    actions.append(replaceButton("replace-store", "Replace it", isInterrupted ? "secondary" : "primary", `Replace ${shownUrl()}? Everything in it is deleted first, then the store is written from the start.`, confirmSlot));
    append(
      outcome,
      h("p", { class: "outcome-title" }, h("strong", {}, isInterrupted ? "An interrupted upload of this store is already there." : "A store with this name is already there.")),
      h("p", { class: "conflict-message" }, e.message),
      h("p", { class: "help" }, isInterrupted ? "Resume finishes it (the source files are checked first); Replace deletes it and starts again. " : "Replace deletes it and writes yours. ", "Or keep it: go back to Preview and choose another store name (the test write runs again for the new name)."),
      actions,
      confirmSlot,
    );
  }

  /** A temporary GCS token (pasted or from a file) lives about an hour: a refusal mid-upload asks for a new one. */
  function tokenExpired(e: FerryError): boolean {
    return e.code === "access_denied" && s.kind === "gcs" && !!s.signedIn?.short_lived;
  }

  /** The token expired: ask for a new one, then resume (the chunks written are kept). */
  function paintToken(): void {
    const file = s.signedIn?.file ?? null;
    const n = lastProgress ? `${count(lastProgress.chunks_done)} of ${count(lastProgress.chunks_total)} chunks are written and kept. ` : "";
    const helpId = uid("help");
    const input = h("input", { type: "password", id: "new-token", autocomplete: "off", spellcheck: "false", "aria-describedby": helpId, placeholder: file ? "or leave empty to read the file again" : "ya29…" });
    const err = h("div", { class: "inline-error", role: "alert", hidden: true });
    const go = h(
      "button",
      {
        type: "button",
        class: "primary",
        id: "continue-upload",
        onclick: async () => {
          go.disabled = true;
          try {
            await call("renew_token", { token: input.value.trim() || null });
            input.value = ""; // the webview holds a secret no longer than it takes to hand it over
            await start("resume");
          } catch (e) {
            showError(err, toFerryError(e));
            go.disabled = false;
          }
        },
      },
      "Continue the upload",
    );
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        go.click();
      }
    });
    append(
      outcome,
      h("p", { class: "outcome-title" }, h("strong", {}, "Paused: the access token was refused — it has probably expired (they last about an hour).")),
      h("p", { class: "help", id: helpId }, n, file ? ["Write a new one into ", h("code", {}, file), " with ", h("code", {}, `gcloud auth print-access-token > ${file}`), ", or paste one below; "] : ["Run ", h("code", {}, "gcloud auth print-access-token"), " again and paste what it prints; "], "the upload then continues where it stopped."),
      h("div", { class: "field" }, h("label", { for: "new-token" }, "New access token"), input),
      err,
      h("div", { class: "toolbar" }, go),
    );
    queueMicrotask(() => input.focus());
  }

  /** The files or options changed since the interrupted upload: it cannot be finished, only replaced. */
  function paintChanged(e: FerryError): void {
    const err = h("div", { class: "inline-error", role: "alert" });
    showError(err, e);
    const confirmSlot = h("div", {});
    const replace = replaceButton("replace-changed", "Start again", "primary", `Replace ${shownUrl()}? The partial store is deleted, then written again from the files as they are now.`, confirmSlot);
    append(
      outcome,
      err,
      h("p", { class: "help" }, "The partial store was written from other files or options, and Ferry does not mix the two. Start again replaces it; or keep it and go back to Preview to choose another store name."),
      h("div", { class: "toolbar" }, replace),
      confirmSlot,
    );
  }

  function paintFailed(): void {
    const e = lastError!;
    if (tokenExpired(e)) return paintToken();
    if (e.code === "sources_changed") return paintChanged(e);
    const err = h("div", { class: "inline-error", role: "alert" });
    showError(err, e);
    const mode = retryMode();
    append(
      outcome,
      err,
      h(
        "div",
        { class: "toolbar" },
        h("button", { type: "button", class: "primary", id: "retry-upload", onclick: () => void start(mode) }, mode === "resume" ? "Retry (resume)" : "Retry"),
      ),
      mode === "resume" ? h("p", { class: "help" }, "Retrying resumes: the chunks already written are kept.") : null,
    );
  }

  /** After a failure: resume what was partly written, start afresh when nothing was. */
  function retryMode(): UploadMode {
    if (lastError?.code === "nothing_to_resume") return "new";
    if ((lastProgress?.chunks_done ?? 0) > 0) return "resume";
    return lastMode;
  }

  function paintSummary(sum: WriteSummary): void {
    const headId = uid("upload-summary");
    summary.setAttribute("aria-labelledby", headId);
    const cloud = currentDestination(s).kind !== "local";
    const snippet = h("code", { class: "snippet" }, sum.snippet);
    const copyStatus = h("span", { class: "copy-status", role: "status" });
    const copy = async () => {
      if (await copyText(sum.snippet)) {
        copyStatus.textContent = "Copied to the clipboard.";
      } else {
        const sel = window.getSelection();
        const range = document.createRange();
        range.selectNodeContents(snippet);
        sel?.removeAllRanges();
        sel?.addRange(range);
        copyStatus.textContent = "Could not copy: the snippet is selected, press Ctrl+C (⌘C on a Mac).";
      }
    };
    const next: (string | Node)[][] = [
      [h("strong", {}, "Open the data: "), "paste the snippet into Python (xarray with zarr", sum.url.startsWith("gs://") ? ", and gcsfs for gs://" : "", ")."],
      cloud
        ? [h("strong", {}, "Share it: "), "send this address; anyone the bucket lets read can open it: ", h("code", { class: "public-url" }, sum.public_url)]
        : [h("strong", {}, "Share it: "), "it is a folder on this computer; copy it, or upload it again to a cloud destination, for others to read."],
      [h("strong", {}, "Catalog it: "), "press Draft the catalog request, so that others find the data."],
    ];
    if (s.signedIn?.file) next.push([h("strong", {}, "Clean up: "), "you signed in with the credentials file ", h("code", {}, s.signedIn.file), "; delete it once you no longer need it. ", forgetFile(s.signedIn.file, () => {
      s.signedIn = null;
      s.signedInFor = null;
    })]);
    else if (cloud) next.push([h("strong", {}, "Clean up: "), "Ferry keeps the credentials in memory only; quitting Ferry forgets them."]);
    const skipped = sum.chunks_skipped > 0 ? ` (${count(sum.chunks_skipped)} already there from the interrupted upload)` : "";
    summary.replaceChildren(
      h("h2", { id: headId }, h("span", { class: "ok-mark", "aria-hidden": "true" }, "✓"), " The store is written"),
      h(
        "dl",
        { class: "facts-list" },
        h("dt", {}, "Store"),
        h("dd", { dataset: { fact: "url" } }, h("code", {}, sum.url)),
        cloud && sum.public_url && sum.public_url !== sum.url ? [h("dt", {}, "Public address"), h("dd", { dataset: { fact: "public-url" } }, h("code", {}, sum.public_url))] : null,
        h("dt", {}, "Data"),
        h("dd", { dataset: { fact: "bytes" } }, `${bytes(sum.bytes)} uncompressed, ${bytes(sum.bytes_stored)} stored (${ratio(sum.compression_ratio)})`),
        h("dt", {}, "Chunks"),
        h("dd", { dataset: { fact: "chunks" } }, `${count(sum.chunks)}${skipped}; ${count(sum.objects)} objects in all`),
        h("dt", {}, "Time"),
        h("dd", { dataset: { fact: "time" } }, `${duration(sum.seconds)} at ${rate(sum.mb_per_s)}`),
      ),
      h("h3", {}, "Open it in Python"),
      h("pre", {}, snippet),
      h("div", { class: "field-row" }, h("button", { type: "button", class: "secondary", id: "copy-snippet", onclick: () => void copy() }, "Copy the snippet"), copyStatus),
      h("h3", {}, "What next"),
      h("ul", { class: "what-next" }, ...next.map((parts) => h("li", {}, ...parts))),
    );
  }

  function paint(): void {
    const busy = running();
    before.hidden = view === "done";
    summary.hidden = view !== "done";
    startBtn.hidden = !(view === "ready" || view === "running");
    startNote.hidden = startBtn.hidden;
    startBtn.disabled = busy || checks.some((c) => c.level === "red");
    progressBox.hidden = view === "done";
    // The box keeps its place (no jumps); its content shows while running and after a stop.
    progressBox.classList.toggle("idle", !(busy || (view !== "ready" && lastProgress !== null)));
    progressBox.setAttribute("aria-busy", String(busy));
    cancelBtn.hidden = !busy;
    cancelBtn.disabled = !busy || cancelling;
    paintBanner();
    paintOutcome();
  }

  async function start(mode: UploadMode): Promise<void> {
    if (running()) return;
    if (checks.some((c) => c.level === "red")) return;
    const key = writeKey(s);
    view = "running";
    viewKey = key;
    lastMode = mode;
    lastProgress = null;
    lastError = null;
    cancelling = false;
    status.textContent = "";
    resetProgress();
    if (mode === "resume") phaseEl.textContent = "Checking the source files and what is already written…";
    paint();
    ctx.refresh();
    const channel = new Channel<Progress>();
    channel.onmessage = paintProgress;
    try {
      const sum = await call<WriteSummary>("start_upload", { destination: currentDestination(s), store: s.storeName, choices: s.choices, plan: planInputs(s), mode, onProgress: channel });
      s.uploaded = sum;
      uploadedKey = key;
      interrupted = null;
      view = "done";
      paintSummary(sum);
    } catch (e) {
      lastError = toFerryError(e);
      view = lastError.code === "cancelled" ? "stopped" : lastError.code === "store_exists" ? "conflict" : "failed";
      if (view !== "failed") phaseEl.textContent = view === "stopped" ? "Stopped." : "Not started: a store is already there.";
      else phaseEl.textContent = tokenExpired(lastError) ? "Paused: waiting for a new access token." : "Stopped by an error.";
      waitEl.hidden = true;
    } finally {
      cancelling = false;
      paint();
      ctx.refresh();
      const focus = view === "done" ? summary : outcome.querySelector<HTMLElement>("button.primary, button");
      focus?.focus();
    }
  }

  function cancel(): void {
    if (!running() || cancelling) return;
    cancelling = true;
    phaseEl.textContent = "Stopping: the chunks in flight finish first…";
    cancelBtn.disabled = true;
    void cancelWrite(running);
  }

  async function deleteStore(): Promise<void> {
    const btn = outcome.querySelector<HTMLButtonElement>("#confirm-delete");
    if (btn) btn.disabled = true;
    try {
      const n = await call<number>("delete_store", { destination: currentDestination(s), store: s.storeName });
      view = "ready";
      lastProgress = null;
      interrupted = null;
      status.textContent = `Deleted the incomplete store (${count(n)} object${n === 1 ? "" : "s"}).`;
      resetProgress();
      phaseEl.textContent = "";
      paint();
      startBtn.focus();
    } catch (e) {
      const err = h("div", { class: "inline-error", role: "alert" });
      showError(err, toFerryError(e));
      outcome.append(err);
      if (btn) btn.disabled = false;
    }
  }

  async function loadRemote(my: number): Promise<void> {
    const [url, list] = await Promise.all([
      call<string>("store_url", { destination: currentDestination(s), store: s.storeName }).catch(() => null),
      call<InterruptedUpload[]>("interrupted_uploads").catch(() => [] as InterruptedUpload[]),
    ]);
    if (my !== enterSeq) return;
    storeUrl = url;
    storeUrlFor = url ? JSON.stringify([destinationKey(s), s.storeName]) : "";
    interrupted = matchInterrupted(list, s.storeName, url);
    paintFacts();
    paint();
  }

  function mount(root: HTMLElement): void {
    facts = h("dl", { class: "facts-list upload-facts" });
    banner = h("div", { class: "interrupted-banner", role: "region", "aria-label": "Interrupted upload", hidden: true });
    checklist = h("ol", { class: "checklist pre-upload", "aria-label": "Before the upload" });
    startBtn = h("button", { type: "button", class: "primary", id: "start-upload", "aria-describedby": "start-note", onclick: () => void start("new") }, "Start the upload");
    startNote = h("span", { class: "start-note", id: "start-note" });
    phaseEl = h("p", { class: "progress-text", role: "status", "aria-live": "polite" });
    bar = h("progress", { class: "write-bar", "aria-label": "Upload progress" });
    percentEl = h("span", { class: "percent" });
    bytesEl = h("span", { class: "bytes" });
    chunksEl = h("span", { class: "chunks" });
    speedEl = h("span", { class: "speed" });
    etaEl = h("span", { class: "eta" });
    waitEl = h("p", { class: "waiting", role: "status", hidden: true }, h("strong", {}, "Waiting for network…"), " The storage stopped answering; Ferry retries for up to 10 minutes, then stops, resumable.");
    cancelBtn = h("button", { type: "button", class: "secondary", id: "cancel-upload", hidden: true, onclick: cancel }, "Cancel (Esc)");
    progressBox = h(
      "div",
      { class: "write-progress upload-progress idle" },
      h("div", { class: "progress-line" }, phaseEl, cancelBtn),
      h("div", { class: "bar-row" }, bar, percentEl),
      h("p", { class: "progress-stats" }, bytesEl, chunksEl, speedEl, etaEl),
      waitEl,
    );
    outcome = h("div", { class: "upload-outcome", hidden: true });
    summary = h("section", { class: "card upload-summary", tabindex: "-1", hidden: true });
    status = h("p", { class: "upload-status", role: "status" });
    before = h(
      "div",
      { class: "upload-before" },
      h("h2", { class: "section" }, "What will be written"),
      facts,
      h("h2", { class: "section" }, "Before the upload"),
      checklist,
      h("div", { class: "toolbar" }, startBtn, startNote),
    );
    root.append(
      h(
        "div",
        { class: "upload" },
        h("p", { class: "lead" }, "Ferry writes every chunk of the store, then the consolidated metadata last. An interrupted upload resumes where it stopped."),
        why(
          "upload",
          "how the upload works",
          [
            "Each chunk is an object of its own, written independently and several at once, so a slow or failed chunk holds up nothing else and is simply retried.",
            "The consolidated metadata, which readers open first, is written last: until then the store is visibly incomplete, never silently partial.",
            "Ferry records the upload as it goes. If it stops (cancel, network, an expired token), resume it: the source files are checked and the chunks already written are skipped.",
          ],
          { label: "Zarr in xarray's user guide", url: "https://docs.xarray.dev/en/stable/user-guide/io.html#zarr" },
        ),
        banner,
        status,
        before,
        progressBox,
        outcome,
        summary,
      ),
    );
    paintFacts();
    paintChecklist();
    paint();
  }

  return {
    id: "upload",
    title: "Upload",
    summary: "The whole store, resumable",
    mount,
    async enter() {
      if (running()) return;
      const key = writeKey(s);
      if (s.uploaded && uploadedKey !== null && uploadedKey !== key) {
        // What would be written changed since: that upload is not this one.
        s.uploaded = null;
        uploadedKey = null;
      }
      if (view === "done" && !s.uploaded) view = "ready";
      if ((view === "stopped" || view === "conflict" || view === "failed") && viewKey !== key) {
        view = "ready";
        lastProgress = null;
        resetProgress();
        phaseEl.textContent = "";
      }
      if (s.uploaded && view !== "done") {
        view = "done";
        paintSummary(s.uploaded);
      }
      const urlKey = JSON.stringify([destinationKey(s), s.storeName]);
      if (urlKey !== storeUrlFor) storeUrl = null;
      status.textContent = "";
      paintFacts();
      paintChecklist();
      paint();
      ctx.refresh();
      await loadRemote(++enterSeq);
    },
    canNext: () => !running() && s.uploaded !== null,
    /** Resume at launch: finish the interrupted upload of this store. */
    run: () => start("resume"),
    blocker: () => (running() ? "Uploading…" : "Upload the store first."),
    nextLabel: () => "Draft the catalog request",
    escape() {
      if (running()) {
        cancel();
        return true;
      }
      const no = outcome.querySelector<HTMLButtonElement>(".confirm button.secondary");
      if (no) {
        no.click();
        return true;
      }
      return false;
    },
  };
}
