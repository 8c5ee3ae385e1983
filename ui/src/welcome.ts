// The first-run welcome: what Ferry does, what you need, and a one-click walk through the bundled
// sample. Shown over the main column until "ferry.welcomed" is in localStorage; the sidebar's
// "Welcome / about" link opens it again. The wizard (wizard.ts) owns the walk itself.
import type { About } from "./bindings/About";
import type { Credit } from "./bindings/Credit";
import { h } from "./dom";
import { call } from "./ipc";

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
  const about = h("details", { class: "about", id: "about" }, h("summary", {}, "About Ferry"), h("p", { class: "muted" }, "…"));
  dialog.append(about);
  void loadAbout(about);
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

function credits(title: string, list: Credit[]): Node {
  return h(
    "div",
    {},
    h("h3", {}, title),
    h("ul", {}, ...list.map((c) => h("li", {}, h("strong", {}, c.name), ` — ${c.detail}. `, h("span", { class: "licence" }, `Licence: ${c.licence}`), h("br", {}), h("span", { class: "muted url" }, c.url)))),
  );
}

/** The about box: version, licence, libraries and the bundled sample's origin (from Rust). */
async function loadAbout(el: HTMLDetailsElement): Promise<void> {
  let a: About;
  try {
    a = await call<About>("about");
  } catch {
    el.lastElementChild?.replaceWith(h("p", { class: "muted" }, "Version information is not available."));
    return;
  }
  const summary = el.firstElementChild!;
  summary.textContent = `About ${a.name} ${a.version}`;
  el.replaceChildren(
    summary,
    h("p", { id: "about-version" }, `${a.name} version ${a.version} (${a.identifier}), licence ${a.licence}.`),
    credits("Bundled sample data", a.bundled_data),
    credits("Libraries", a.libraries),
  );
}
