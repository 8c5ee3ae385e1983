// The first-run welcome: what Ferry does, what you need, and a one-click walk through the bundled
// sample. Shown over the main column until "ferry.welcomed" is in localStorage; the sidebar's
// "Welcome / about" link opens it again. The wizard (wizard.ts) owns the walk itself.
import { h } from "./dom";

export const WELCOMED_KEY = "ferry.welcomed";

export function welcomed(): boolean {
  try {
    return localStorage.getItem(WELCOMED_KEY) === "1";
  } catch {
    return false;
  }
}

export function markWelcomed(): void {
  try {
    localStorage.setItem(WELCOMED_KEY, "1");
  } catch {
    /* private mode: the welcome shows at each launch, which is harmless */
  }
}

export interface WelcomeActions {
  /** "Try it with sample data". */
  onTry(): void;
  /** "Start with my own files", and Escape. */
  onOwn(): void;
}

export interface Welcome {
  /** The overlay; the wizard puts it over the main column. */
  el: HTMLElement;
  open(): void;
  close(): void;
  isOpen(): boolean;
}

export function createWelcome(art: Node | null, actions: WelcomeActions): Welcome {
  const tryBtn = h("button", { type: "button", class: "primary", id: "try-sample", "aria-describedby": "welcome-sample-note", onclick: () => actions.onTry() }, "Try it with sample data");
  const ownBtn = h("button", { type: "button", class: "secondary", id: "start-own", onclick: () => actions.onOwn() }, "Start with my own files");
  const dialog = h(
    "div",
    { class: "welcome-card", role: "dialog", "aria-modal": "true", "aria-labelledby": "welcome-title", "aria-describedby": "welcome-text" },
    art ? h("div", { class: "welcome-art", "aria-hidden": "true" }, art) : null,
    h("h1", { id: "welcome-title" }, "Welcome to Ferry"),
    h(
      "div",
      { id: "welcome-text", class: "welcome-text" },
      h("p", {}, "Ferry turns a folder of NetCDF files into an analysis-ready Zarr store in cloud storage, and drafts the catalog request so others can find it."),
      h("p", {}, "You need the files, a destination (a local folder, Google Cloud Storage, the OSN pod or another S3 service) and a way to sign in to it."),
      h("p", {}, "Nothing is uploaded without your go-ahead: a small test write comes first."),
    ),
    h("div", { class: "welcome-actions" }, tryBtn, ownBtn),
    h(
      "p",
      { class: "welcome-note", id: "welcome-sample-note" },
      "The sample is six yearly files of air temperature over North America (0.7 MB). It is only read and previewed; nothing leaves this computer.",
    ),
  );
  const el = h("div", { class: "welcome", hidden: true }, dialog);

  return {
    el,
    open() {
      el.hidden = false;
      tryBtn.focus();
    },
    close() {
      el.hidden = true;
    },
    isOpen: () => !el.hidden,
  };
}
