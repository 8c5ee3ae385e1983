// The wizard shell: the sidebar stepper, Back/Next, the keyboard, and drag-and-drop routing.
// Steps keep their DOM and the shared state, so Back and Next never lose what was entered.
import type { InterruptedUpload } from "./bindings/InterruptedUpload";
import type { Listing } from "./bindings/Listing";
import { h, svg } from "./dom";
import { call, toFerryError } from "./ipc";
import { createResumeOffer, filesText, resumable, type Resumable } from "./resume";
import { restoreSession, sessionOverrides, type WizardState } from "./state";
import { createCatalog } from "./steps/catalog";
import { createPickFiles, type PickFilesStep } from "./steps/pick-files";
import { createPreview } from "./steps/preview";
import { createSignIn } from "./steps/sign-in";
import { STEP_IDS, type DropEvent, type Step, type StepContext, type StepId } from "./steps/step";
import { createTestWrite } from "./steps/test-write";
import { createUpload } from "./steps/upload";
import { createWelcome, markWelcomed, welcomed } from "./welcome";
import { markWhySeen } from "./why";

export interface Platform {
  /** Window-level drag-and-drop (tauri's drag-drop event); returns an unsubscribe function. */
  listenDrop(handler: (e: DropEvent) => void): Promise<() => void>;
}

export interface Wizard {
  steps: Step[];
  current(): Step;
  go(index: number): Promise<void>;
  next(): Promise<void>;
  back(): Promise<void>;
  /** Open the welcome (first launch, and the sidebar's "Welcome / about"). */
  showWelcome(): void;
  /** "Try it with sample data": the local folder, the bundled sample, its preview. Stops on a step that fails. */
  tryWithSample(): Promise<void>;
  /** "Resume" an interrupted upload: its inputs back, sign-in, scan, plan, test write, then resume. */
  resumeUpload(u: Resumable): Promise<void>;
}

const FACTORIES: Record<StepId, (ctx: StepContext) => Step> = {
  "sign-in": createSignIn,
  "pick-files": createPickFiles,
  preview: createPreview,
  "test-write": createTestWrite,
  upload: createUpload,
  catalog: createCatalog,
};

/** Enter means Next, except where Enter already does something (buttons, lists, editors). */
export function enterMeansNext(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return true;
  if (target.closest("button, a, select, textarea, summary, details, [role=list], [contenteditable]")) return false;
  if (target instanceof HTMLInputElement) return ["text", "search", "url", "email", "number", ""].includes(target.type) || target.type === "radio";
  return true;
}

function logo(): SVGElement {
  // A hull on a wave: drawn here, so it needs no font with the ferry emoji.
  const el = svg("svg", { viewBox: "0 0 32 32", width: 28, height: 28, class: "logo", "aria-hidden": "true" },
    svg("path", { d: "M5 17h22l-3.5 6h-15z", class: "hull" }),
    svg("rect", { x: 11, y: 10, width: 9, height: 7, rx: 1, class: "cabin" }),
    svg("path", { d: "M2 27c3 0 3-2 6-2s3 2 6 2 3-2 6-2 3 2 6 2 3-2 4-2", class: "wave" }),
  );
  return el;
}

export function createWizard(root: HTMLElement, state: WizardState, platform: Platform): Wizard {
  let index = 0;
  let maxReached = 0;
  let working = false;
  let moved = false;
  const dropHandlers = new Map<StepId, (e: DropEvent) => void>();

  const ctx = (id: StepId): StepContext => ({
    state,
    refresh: () => paintChrome(),
    invalidateAfter(after) {
      const i = STEP_IDS.indexOf(after);
      if (maxReached > i) maxReached = i;
      paintChrome();
    },
    onDrop(handler) {
      dropHandlers.set(id, handler);
      return () => dropHandlers.delete(id);
    },
  });
  const steps = STEP_IDS.map((id) => FACTORIES[id](ctx(id)));
  const pickFiles = steps[STEP_IDS.indexOf("pick-files")] as PickFilesStep;
  /** Bumped by anything the user does to move: a sample walk under way then stops where it is. */
  let walk = 0;
  const byUser = (f: () => Promise<void>) => () => {
    walk++;
    void f();
  };

  const nav = h("ol", { class: "steps" });
  const navButtons = steps.map((step, i) => {
    const b = h(
      "button",
      { type: "button", class: "step-link", dataset: { step: step.id }, onclick: byUser(() => go(i)) },
      h("span", { class: "step-num", "aria-hidden": "true" }, String(i + 1)),
      h("span", { class: "step-text" }, h("span", { class: "step-title" }, step.title), h("span", { class: "step-summary" }, step.summary)),
    );
    nav.append(h("li", {}, b));
    return b;
  });
  const title = h("h1", { tabindex: "-1", id: "step-title" });
  const summary = h("p", { class: "step-lead" });
  const sections = steps.map((step) => {
    const sec = h("section", { class: "step", dataset: { step: step.id }, hidden: true, "aria-labelledby": "step-title" });
    step.mount(sec);
    return sec;
  });
  const backBtn = h("button", { type: "button", class: "secondary", id: "back", onclick: byUser(back) }, "Back");
  const nextBtn = h("button", { type: "button", class: "primary", id: "next", onclick: byUser(next) }, "Next");
  const blocker = h("p", { class: "blocker", id: "blocker", "aria-live": "polite" });
  const notice = h("p", { class: "notice", role: "status" });
  nextBtn.setAttribute("aria-describedby", "blocker");

  const welcome = createWelcome(logo(), {
    onTry: () => {
      closeWelcome();
      void tryWithSample();
    },
    onOwn: () => closeWelcome(true),
  });
  const offer = createResumeOffer({
    onResume: (u) => void resumeUpload(u),
    onForget: (u) => {
      walk++;
      void call("forget_interrupted", { url: u.url })
        .then(() => offer.done(u))
        .catch((e) => offer.stopped(u, toFerryError(e).message));
    },
  });
  const welcomeLink = h("button", { type: "button", class: "link welcome-link", id: "show-welcome", onclick: () => showWelcome() }, "Welcome / about");
  const sidebar = h(
    "nav",
    { class: "sidebar", "aria-label": "Steps" },
    h("div", { class: "brand" }, logo(), "Ferry"),
    nav,
    h("div", { class: "sidebar-foot" }, h("p", { class: "tagline" }, "NetCDF files → a Zarr store in object storage"), welcomeLink),
  );
  const header = h("header", { class: "step-header" }, title, summary);
  const body = h("div", { class: "step-body" }, ...sections);
  const footer = h("footer", { class: "step-footer" }, backBtn, h("div", { class: "footer-msg" }, blocker, notice), nextBtn);

  root.replaceChildren(h("div", { class: "app" }, sidebar, h("main", { class: "main" }, offer.el, header, body, footer, welcome.el)));

  /** While the welcome is open, the wizard behind it stays visible but out of reach (Tab, clicks, screen readers). */
  function setBehind(inert: boolean): void {
    for (const el of [sidebar, offer.el, header, body, footer]) el.toggleAttribute("inert", inert);
  }

  function showWelcome(): void {
    walk++;
    setBehind(true);
    welcome.open();
  }

  /** Close the welcome; `focusStep`: put the keyboard on the current step's title. */
  function closeWelcome(focusStep = false): void {
    markWelcomed();
    welcome.close();
    setBehind(false);
    if (focusStep) title.focus({ preventScroll: true });
  }

  /** Reached steps, and layout-only steps right after the last reached one (to look ahead). */
  function reachable(i: number): boolean {
    if (i <= maxReached) return true;
    return maxReached >= STEP_IDS.indexOf("test-write") - 1 && steps.slice(maxReached + 1, i + 1).every((s) => s.openAhead);
  }

  function paintChrome(): void {
    const step = steps[index];
    navButtons.forEach((b, i) => {
      b.disabled = !reachable(i) || working;
      b.classList.toggle("done", i < index);
      b.classList.toggle("current", i === index);
      if (i === index) b.setAttribute("aria-current", "step");
      else b.removeAttribute("aria-current");
    });
    backBtn.disabled = index === 0 || working;
    const can = step.canNext() && !working;
    nextBtn.disabled = !can || index === steps.length - 1;
    nextBtn.textContent = working ? "Working…" : (step.nextLabel?.() ?? "Next");
    blocker.textContent = can ? "" : working ? "" : (step.blocker?.() ?? "");
  }

  async function go(i: number): Promise<void> {
    if (i < 0 || i >= steps.length || !reachable(i)) return;
    sections[index].hidden = true;
    index = i;
    sections[i].hidden = false;
    const step = steps[i];
    title.textContent = `${i + 1}. ${step.title}`;
    summary.textContent = step.summary;
    notice.textContent = "";
    paintChrome();
    // Screen readers announce the new step; the first step keeps the page's natural start.
    if (moved) title.focus({ preventScroll: true });
    moved = true;
    markWhySeen(sections[i]);
    await step.enter?.();
    // enter() may have built the step's body (the preview does), with its Why panel.
    if (index === i) markWhySeen(sections[i]);
    paintChrome();
  }

  async function next(): Promise<void> {
    const step = steps[index];
    if (working || !step.canNext() || index >= steps.length - 1) return;
    working = true;
    paintChrome();
    let ok = false;
    try {
      ok = step.next ? await step.next() : true;
    } finally {
      working = false;
    }
    if (!ok) {
      paintChrome();
      return;
    }
    maxReached = Math.max(maxReached, index + 1);
    await go(index + 1);
  }

  async function back(): Promise<void> {
    if (index > 0 && !working) await go(index - 1);
  }

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    if (welcome.isOpen()) {
      // The welcome is modal: Escape is "Start with my own files"; Enter is its focused button's.
      if (e.key === "Escape") {
        e.preventDefault();
        closeWelcome(true);
      }
      return;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey && enterMeansNext(e.target)) {
      e.preventDefault();
      walk++;
      void next();
    } else if (e.key === "Escape") {
      if (steps[index].escape?.()) e.preventDefault();
    }
  });

  void platform.listenDrop((e) => {
    if (welcome.isOpen()) return;
    const handler = dropHandlers.get(steps[index].id);
    if (handler) handler(e);
    else if (e.type === "drop") notice.textContent = "To add files, drop them on the Pick files step.";
  });

  /** Resolves once `step` has no check or scan under way (or after `ms`). */
  async function settled(step: Step, ms = 120_000): Promise<void> {
    const start = Date.now();
    while (step.busy?.() && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 50));
  }

  /**
   * "Try it with sample data": Sign in with the destination as it is (the local-folder default on a
   * first launch) once its live check is Ready, the bundled sample on Pick files, then its scan to
   * Preview. Whatever fails stops the walk on that step, with the step's own inline error.
   */
  async function tryWithSample(): Promise<void> {
    const my = ++walk;
    const on = (id: StepId) => my === walk && steps[index].id === id;
    await started;
    if (my !== walk) return;
    if (index !== 0) await go(0);
    await settled(steps[0]);
    if (!on("sign-in") || !steps[0].canNext()) return;
    await next();
    if (!on("pick-files")) return;
    const loaded = await pickFiles.loadSample({ replace: true });
    if (!loaded || !on("pick-files")) return;
    await settled(pickFiles);
    if (!on("pick-files")) return;
    await next();
  }

  const stepOf = (id: StepId) => steps[STEP_IDS.indexOf(id)];

  /**
   * Resume an interrupted upload after a restart: its destination, files, join options, chunk
   * plan and write options back in place, then each step as the user would press it (sign-in
   * check, scan, plan, test write) and the upload in resume mode. A step that cannot pass (a key
   * to type again, a file gone) stops the walk there, and the offer says what to do.
   */
  async function resumeUpload(u: Resumable): Promise<void> {
    const my = ++walk;
    const on = (id: StepId) => my === walk && steps[index].id === id;
    const moved = () => offer.stopped(u, "Stopped because you moved on. Press Resume to start over.");
    await started;
    offer.busy(u, "Checking the source files…");
    let listing: Listing;
    try {
      listing = await call<Listing>("describe_paths", { paths: u.session.files });
    } catch (e) {
      const err = toFerryError(e);
      return offer.stopped(u, `${err.message}. ${err.hint}`);
    }
    const found = new Set(listing.files.map((f) => f.path));
    const missing = u.session.files.filter((p) => !found.has(p));
    if (missing.length) {
      return offer.stopped(u, `Not all source files are there: ${filesText(missing.map((p) => p.slice(p.lastIndexOf("/") + 1)))} is missing. Put them back and press Resume, or Forget it.`);
    }
    if (my !== walk) return moved();
    restoreSession(state, u.session);
    state.files = listing.files;
    state.skipped = [];
    maxReached = 0;
    await go(0);
    await stepOf("sign-in").run?.();
    await settled(steps[0]);
    if (!on("sign-in")) return moved();
    if (!steps[0].canNext()) {
      const cloud = state.kind !== "local";
      return offer.stopped(u, cloud ? "Sign in below (keys and tokens are never kept), then press Resume again." : "The destination folder does not pass its check: see below, then press Resume again.");
    }
    offer.busy(u, "Scanning the files…");
    await next();
    if (!on("pick-files")) return moved();
    await next();
    if (!on("preview")) return my === walk ? offer.stopped(u, "The files could not be scanned: see Pick files below.") : moved();
    offer.busy(u, "Planning the chunks as before…");
    state.overrides = sessionOverrides(u.session);
    await stepOf("preview").run?.();
    if (!on("preview")) return moved();
    if (!steps[index].canNext()) return offer.stopped(u, "The chunk plan could not be put back: see Preview below.");
    await next();
    if (!on("test-write")) return moved();
    offer.busy(u, "Running the test write…");
    await stepOf("test-write").run?.();
    if (!on("test-write")) return moved();
    if (!steps[index].canNext()) return offer.stopped(u, "The test write did not pass: see below, then press Resume again.");
    await next();
    if (!on("upload")) return moved();
    offer.done(u);
    await stepOf("upload").run?.();
  }

  const started = go(0);
  if (!welcomed()) showWelcome();
  void call<InterruptedUpload[]>("interrupted_uploads")
    .then((list) => offer.show(resumable(list)))
    .catch(() => undefined);
  return { steps, current: () => steps[index], go, next, back, showWelcome, tryWithSample, resumeUpload };
}
