// "Resume interrupted upload", offered at launch: the uploads the wizard started on this computer
// that did not finish (their records are in the app's data folder; src-tauri/src/gui/upload.rs).
// The wizard (wizard.ts) owns the walk that puts the inputs back and resumes.
import type { InterruptedUpload } from "./bindings/InterruptedUpload";
import type { WizardSession } from "./bindings/WizardSession";
import { h } from "./dom";
import { count } from "./format";

/** An interrupted upload the wizard can restore (the CLI's are resumed from the CLI). */
export type Resumable = InterruptedUpload & { session: WizardSession };

export function resumable(list: InterruptedUpload[]): Resumable[] {
  return list.filter((u): u is Resumable => u.session !== null);
}

/** "a1b.zarr in ~/ferry-stores", "a1b.zarr in s3://inbox/me": where the store is. */
export function whereText(u: Resumable): string {
  const i = u.url.lastIndexOf("/");
  return i > 0 ? `${u.url.slice(i + 1)} in ${u.url.slice(0, i)}` : u.url;
}

export function filesText(files: string[]): string {
  if (files.length === 0) return "";
  const first = files.slice(0, 2).join(", ");
  return files.length > 2 ? `${first} and ${count(files.length - 2)} more` : first;
}

export interface ResumeActions {
  onResume(u: Resumable): void;
  onForget(u: Resumable): void;
}

export interface ResumeOffer {
  el: HTMLElement;
  /** Show these uploads (none: hidden). */
  show(list: Resumable[]): void;
  /** While a walk runs: a status line, buttons disabled. */
  busy(u: Resumable, text: string): void;
  /** The walk stopped before the upload could resume: why, and what to do; the buttons come back. */
  stopped(u: Resumable, text: string): void;
  /** The walk reached the upload: the offer is done. */
  done(u: Resumable): void;
}

export function createResumeOffer(actions: ResumeActions): ResumeOffer {
  const el = h("section", { class: "resume-offer", "aria-label": "Interrupted uploads", hidden: true });
  let items: Resumable[] = [];
  const rows = new Map<string, { status: HTMLElement; buttons: HTMLButtonElement[] }>();

  function paint(): void {
    rows.clear();
    el.hidden = items.length === 0;
    el.replaceChildren(
      ...items.map((u) => {
        const status = h("p", { class: "resume-status", role: "status", "aria-live": "polite" });
        const resume = h("button", { type: "button", class: "primary resume-upload", onclick: () => actions.onResume(u) }, "Resume");
        const forget = h("button", { type: "button", class: "link forget-upload", onclick: () => actions.onForget(u) }, "Forget it");
        rows.set(u.url, { status, buttons: [resume, forget] });
        const files = filesText(u.files);
        return h(
          "div",
          { class: "resume-item", dataset: { url: u.url } },
          h(
            "div",
            { class: "resume-text" },
            h("p", {}, h("strong", {}, "An upload did not finish: "), whereText(u)),
            h("p", { class: "help" }, `${count(Number(u.chunks_total))} chunks planned${files ? `, from ${files}` : ""}. Resume checks the files, then writes only what is missing. Forget it: Ferry stops offering this (the partial store stays where it is).`),
            status,
          ),
          h("div", { class: "resume-actions" }, resume, forget),
        );
      }),
    );
  }

  const row = (u: Resumable) => rows.get(u.url);
  return {
    el,
    show(list) {
      items = list;
      paint();
    },
    busy(u, text) {
      const r = row(u);
      if (!r) return;
      r.status.textContent = text;
      r.status.classList.remove("stopped");
      for (const b of r.buttons) b.disabled = true;
    },
    stopped(u, text) {
      const r = row(u);
      if (!r) return;
      r.status.textContent = text;
      r.status.classList.add("stopped");
      for (const b of r.buttons) b.disabled = false;
      r.buttons[0].textContent = "Resume";
    },
    done(u) {
      items = items.filter((x) => x.url !== u.url);
      paint();
    },
  };
}
