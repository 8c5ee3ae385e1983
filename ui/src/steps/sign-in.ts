// Step 1, sign-in: where the store goes. Commands: src-tauri/src/gui/sign_in.rs.
// This is the Step and its checks; the pieces it wires: the destination form (sign-in-destination),
// how you sign in (sign-in-credentials), the browser sign-in (sign-in-google) and what a check found
// (sign-in-result).
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { Destination } from "../bindings/Destination";
import type { DestinationDefaults } from "../bindings/DestinationDefaults";
import type { FieldIssue } from "../bindings/FieldIssue";
import type { SignedIn } from "../bindings/SignedIn";
import { debounce, h } from "../dom";
import { showError } from "../errors";
import { call, FerryError, toFerryError } from "../ipc";
import { currentDestination, destinationKey, loadDestination } from "../state";
import { why } from "../why";
import { createCredentialsForm, familyOf, type CredentialsForm } from "./sign-in-credentials";
import { createDestinationForm, type DestinationForm } from "./sign-in-destination";
import { CLIENT_NEEDED, createGoogleSignIn } from "./sign-in-google";
import { checkStateFrom, destinationReady, paintCheck, signedInView, type CheckState, type SignedWith } from "./sign-in-result";
import type { Step, StepContext } from "./step";

// What this module exported before it was split: tests and other modules import it from here.
export { githubUserIssue, KINDS, proposePrefix } from "./sign-in-destination";
export { familyOf, methodAvailable, profileChoices, type CredentialFamily, type GcsMethod, type S3Method } from "./sign-in-credentials";
export { canSentence, checkStateFrom, destinationReady, type CheckState } from "./sign-in-result";

export function createSignIn(ctx: StepContext): Step {
  const s = ctx.state;
  let issues: FieldIssue[] = [];
  let check: CheckState = { kind: "idle" };
  let pending = false;
  let seq = 0;
  let loaded = false;
  let dest: DestinationForm;
  let statusEl: HTMLElement;
  let localCheck: HTMLElement;

  // Cloud sign-in. The secret lives only in its input until "Sign in and check" sends it to Ferry's
  // core, which keeps it in memory; the input is then cleared. Nothing of it goes into `s`.
  let authing = false;
  /** How the current sign-in was made (typed secrets are cleared from the form after it). */
  let signedWith: SignedWith | null = null;
  /** Bumped by every change of destination or credentials: a check that started before is stale. */
  let authGen = 0;
  let creds: CredentialsForm;
  let cloud: HTMLElement;
  let checkBtn: HTMLButtonElement;
  let signOutBtn: HTMLButtonElement;
  let authStatus: HTMLElement;
  let authError: HTMLElement;
  const google = createGoogleSignIn(() => {
    paintAuth();
    ctx.refresh();
  });
  // `creds?.`: blocker() may be asked before mount() built the form.
  const browser = () => s.kind === "gcs" && creds?.method("gcs") === "gcs_browser";
  /** sign_in and sign_out run one after the other, in the order they were asked for. */
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(f: () => Promise<T>): Promise<T> {
    const p = queue.then(f, f);
    queue = p.catch(() => undefined);
    return p;
  }

  const revalidate = debounce(() => void validateAndCheck(), 250);
  function changed(): void {
    markStale();
    pending = true;
    check = { kind: "checking" };
    paintCheck(statusEl, check);
    ctx.refresh();
    revalidate();
  }

  async function validateAndCheck(): Promise<void> {
    const my = ++seq;
    const destination = currentDestination(s);
    pending = true;
    let found: FieldIssue[];
    try {
      found = await call<FieldIssue[]>("validate_destination", { destination });
    } catch (e) {
      found = [];
      check = { kind: "failed", error: toFerryError(e) };
    }
    if (my !== seq) return;
    issues = found;
    dest.paintIssues(issues);
    if (issues.some((i) => i.severity === "error")) {
      check = { kind: "invalid" };
    } else if (s.kind !== "local") {
      // A cloud destination is checked by "Sign in and check", with the chosen credentials.
      check = { kind: "idle" };
    } else {
      check = { kind: "checking" };
      paintCheck(statusEl, check);
      try {
        const outcome = await call<CheckOutcome>("check_destination", { destination });
        if (my !== seq) return;
        check = checkStateFrom(outcome);
      } catch (e) {
        if (my !== seq) return;
        check = { kind: "failed", error: toFerryError(e) };
      }
    }
    pending = false;
    paintCheck(statusEl, check);
    ctx.refresh();
  }

  function showKind(): void {
    dest.show();
    const fam = familyOf(s.kind);
    cloud.hidden = fam === null;
    localCheck.hidden = fam !== null;
    creds.show(fam);
    if (fam === "gcs") void google.load();
    paintAuth();
  }

  // ---- Cloud sign-in ----

  function isSignedIn(): boolean {
    return s.kind !== "local" && !!s.signedIn && s.signedInFor === destinationKey(s);
  }

  function signOutNow(): void {
    void serial(() => call("sign_out")).catch(() => undefined);
  }

  /** The destination or the credentials changed: a sign-in (or a check under way) no longer counts. */
  function markStale(): void {
    authGen++;
    google.reset(); // the browser's answer would be for what was there before
    if (!s.signedIn && !authing) return;
    const had = !!s.signedIn;
    s.signedIn = null;
    s.signedInFor = null;
    signOutNow();
    if (had) ctx.invalidateAfter("sign-in");
    paintAuth();
    ctx.refresh();
  }

  async function signIn(): Promise<void> {
    if (authing || s.kind === "local") return;
    showError(authError, null);
    const bad = issues.find((i) => i.severity === "error");
    if (bad && !pending) {
      showError(authError, new FerryError({ code: "bad_argument", message: bad.message, hint: "Fix the highlighted field, then sign in again." }));
      authError.scrollIntoView?.({ block: "nearest" });
      return;
    }
    const viaBrowser = browser();
    if (viaBrowser && !google.clientFile()) return;
    if (s.signedIn) markStale(); // a fresh check replaces the session: sign out first
    const gen = ++authGen;
    const key = destinationKey(s);
    const destination = currentDestination(s);
    // The browser sign-in checks access exactly like sign_in: from here on it is the same path.
    const credentials = viaBrowser ? null : creds.credentials(s.kind === "gcs" ? "gcs" : "s3");
    authing = true;
    paintAuth();
    ctx.refresh();
    try {
      const out = await serial(() => (credentials ? call<SignedIn>("sign_in", { destination, credentials }) : google.signIn(destination)));
      if (gen === authGen && key === destinationKey(s)) {
        s.signedIn = out;
        s.signedInFor = key;
        signedWith = credentials ? credentials.method : "gcs_browser";
        creds.clearSecrets(); // the secret is now only in Ferry's memory: not in this window any more
      } else {
        signOutNow(); // something changed while checking: this sign-in is for what was there before
      }
    } catch (e) {
      const err = toFerryError(e);
      if (gen === authGen && viaBrowser && err.code === "cancelled") {
        google.cancelled();
      } else if (gen === authGen) {
        showError(authError, err);
        // The button sits low on the page: bring the answer into view.
        authError.scrollIntoView?.({ block: "nearest" });
      }
    } finally {
      authing = false;
      paintAuth();
      ctx.refresh();
      if (viaBrowser) google.returnFocus(checkBtn);
    }
  }

  function signOut(): void {
    const remembered = s.kind === "gcs" && creds.method("gcs") === "gcs_browser";
    markStale();
    // Sign out of a Google browser sign-in also forgets it in the keychain ("remember me").
    if (remembered) void serial(() => call("forget_google")).then(() => google.reset(), () => undefined);
    showError(authError, null);
    paintAuth();
    // The Sign out button is gone now: focus goes to how you sign in.
    creds.focusMethod(s.kind === "gcs" ? "gcs" : "s3");
  }

  function paintAuth(): void {
    if (!checkBtn) return;
    creds.paint();
    const viaBrowser = browser();
    google.paint(viaBrowser);
    checkBtn.disabled = authing || (viaBrowser && !google.clientFile());
    checkBtn.textContent = viaBrowser ? (authing ? "Signing in…" : "Sign in with Google") : authing ? "Checking…" : "Sign in and check";
    checkBtn.setAttribute("aria-busy", String(authing));
    const signedIn = isSignedIn();
    signOutBtn.hidden = !signedIn;
    authStatus.replaceChildren();
    if (authing) {
      // A browser sign-in says what it waits for in its own status line.
      if (!google.waiting()) authStatus.append(h("span", { class: "spinner", "aria-hidden": "true" }), " Checking: listing your prefix, writing and deleting one small object…");
    } else if (signedIn && s.signedIn) {
      authStatus.append(signedInView(s.signedIn, signedWith));
    } else if (authError.hidden) {
      authStatus.append(h("span", { class: "muted" }, "Not signed in yet."));
    }
  }

  function mount(root: HTMLElement): void {
    dest = createDestinationForm(s, {
      changed,
      kindChosen() {
        showError(authError, null); // it was about the other destination
        showKind();
        changed();
      },
    });
    statusEl = h("div", { class: "check", role: "status", "aria-live": "polite" });
    localCheck = h("div", { class: "local-check" }, h("h2", { class: "section" }, "Access check"), statusEl);
    creds = createCredentialsForm(google.body, { stale: markStale, repaint: paintAuth, submit: () => void signIn() });
    checkBtn = h("button", { type: "button", id: "sign-in-check", class: "primary", "aria-describedby": google.blocked.id, onclick: () => void signIn() }, "Sign in and check");
    signOutBtn = h("button", { type: "button", id: "sign-out", class: "secondary", hidden: true, onclick: () => signOut() }, "Sign out");
    authStatus = h("div", { class: "auth-status", role: "status", "aria-live": "polite" });
    authError = h("div", { class: "inline-error", role: "alert", hidden: true });
    cloud = h(
      "section",
      { class: "cloud-sign-in", "aria-label": "Sign in", hidden: true },
      h("h2", { class: "section" }, "Sign in"),
      ...creds.nodes,
      h("div", { class: "sign-in-actions" }, checkBtn, google.cancelButton, signOutBtn, google.blocked),
      google.status,
      authStatus,
      authError,
    );
    root.append(
      h("p", { class: "lead" }, "Where should the Zarr store go? Ferry remembers your choice for next time."),
      why(
        "sign-in",
        "what Ferry keeps of your sign-in",
        [
          "The key, token or profile you choose stays only in Ferry's memory, for this session: nothing is written to disk, and the secret never comes back to this window. Ferry shows only who you are signed in as. Sign out, or quit Ferry, and it is gone.",
          "“Sign in and check” lists your prefix, writes one small object under it and deletes it again, so a wrong key or a missing permission shows up now rather than hours into an upload.",
          "Ferry remembers only the destination (bucket and prefix) for next time, never a credential. A local folder needs no sign-in.",
        ],
        { label: "LEAP docs", url: "https://leap-stc.github.io/" },
      ),
      h("h2", { class: "section" }, "Destination"),
      ...dest.nodes,
      cloud,
      localCheck,
    );
    showKind();
  }

  return {
    id: "sign-in",
    title: "Sign in",
    summary: "Where the store goes",
    mount,
    async enter() {
      if (!loaded) {
        loaded = true;
        try {
          const d = await call<DestinationDefaults>("destination_defaults");
          s.defaults = d;
          loadDestination(s, d.initial);
          dest.syncInputs();
          showKind();
        } catch (e) {
          check = { kind: "failed", error: toFerryError(e) };
        }
      }
      await validateAndCheck();
    },
    busy: () => pending || authing,
    /** The destination was put back into the state (resume at launch): show it and check it. */
    async run() {
      dest.syncInputs();
      showKind();
      await validateAndCheck();
    },
    canNext: () => !pending && !authing && destinationReady(s.kind, issues, check, isSignedIn()),
    blocker() {
      if (pending) return "Checking the destination…";
      if (issues.some((i) => i.severity === "error")) return "Fix the highlighted field first.";
      if (s.kind === "local" && check.kind === "failed") return "Choose a folder Ferry can write to.";
      if (s.kind !== "local" && authing) return google.waiting() ? "Finish signing in in the browser, or cancel." : "Checking access…";
      if (browser() && !isSignedIn() && !google.clientFile()) return CLIENT_NEEDED;
      if (s.kind !== "local" && !isSignedIn()) return "Sign in and check access first.";
      return null;
    },
    /** Escape stops only a wait for the browser. */
    escape: () => google.cancel(),
    async next() {
      const destination: Destination = currentDestination(s);
      try {
        await call("remember_destination", { destination });
      } catch {
        // Not remembering the choice is no reason to stop: the destination itself checked fine.
      }
      return true;
    },
  };
}
