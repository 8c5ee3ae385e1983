// "Sign in with Google in the browser" (GCS): the organisation's OAuth client file, and the wait
// for the browser's answer. sign-in.ts owns the sign-in itself; this owns the method's own bits.
// Commands: src-tauri/src/gui/sign_in.rs.
import type { Destination } from "../bindings/Destination";
import type { SignedIn } from "../bindings/SignedIn";
import { h, uid } from "../dom";
import { showError } from "../errors";
import { call, toFerryError } from "../ipc";

export const CLIENT_NEEDED = "Choose the OAuth client file first.";

export interface GoogleSignIn {
  /** The OAuth client line, in the choice's body. */
  body: HTMLElement;
  /** Cancel, beside the sign-in button; shown while waiting. */
  cancelButton: HTMLButtonElement;
  /** Why the sign-in button is disabled (the button's aria-describedby). */
  blocked: HTMLElement;
  /** "Waiting for the browser…", then "Sign-in cancelled.". */
  status: HTMLElement;
  clientFile(): string | null;
  waiting(): boolean;
  /** Read the client file in use (FERRY_OAUTH_CLIENT, or one chosen earlier), once. */
  load(): Promise<void>;
  signIn(destination: Destination): Promise<SignedIn>;
  /** Stop waiting for the browser; false if nothing was waiting. */
  cancel(): boolean;
  /** The wait ended with "cancelled": a neutral note, not an error. */
  cancelled(): void;
  /** Something changed: a wait under way is wasted, and an old note is stale. */
  reset(): void;
  /** Update what depends on whether this method is the one chosen. */
  paint(active: boolean): void;
  /** The Cancel button is gone: put the focus back on `to`, unless the user moved it elsewhere. */
  returnFocus(to: HTMLElement): void;
}

/** `onChange`: the client file became known or changed, or a wait began: repaint the button and Next. */
export function createGoogleSignIn(onChange: () => void): GoogleSignIn {
  let client: string | null = null;
  let loadState: "unloaded" | "loading" | "loaded" = "unloaded";
  let choosing = false;
  let waiting = false;
  let cancelling = false;

  const path = h("code", {});
  const changeBtn = h("button", { type: "button", class: "link", "aria-label": "Change the OAuth client file", onclick: () => void choose() }, "Change…");
  const chooseBtn = h("button", { type: "button", id: "choose-oauth-client", class: "secondary", onclick: () => void choose() }, "Choose the OAuth client file…");
  const looking = h("span", { class: "muted looking" }, "Looking for the OAuth client file…");
  const has = h("span", { hidden: true }, "OAuth client: ", path, " ", changeBtn);
  const none = h("span", { hidden: true }, "Needs your organisation's OAuth client file (client_secret.json). ", chooseBtn);
  // Like the folder picker's error: next to the button, not the sign-in's own error box.
  const error = h("p", { class: "field-issue error oauth-client-error", "aria-live": "polite", hidden: true });
  // "Remember me": the refresh token goes to the system keychain (Rust), never to this page.
  const rememberBox = h("input", { type: "checkbox", id: "remember-google" });
  const rememberRow = h("p", { class: "help remember" }, h("label", { for: "remember-google" }, rememberBox, " Remember me on this computer (in the system keychain; Sign out forgets it)"));
  const forgetBtn = h("button", { type: "button", class: "link", id: "forget-google", onclick: () => void forget() }, "Forget it");
  const rememberedRow = h("p", { class: "help remembered", hidden: true }, "A Google sign-in is remembered on this computer: signing in needs no browser. ", forgetBtn);
  const body = h("div", { class: "oauth-client" }, h("p", { class: "help" }, looking, has, none), error, rememberRow, rememberedRow);
  let remembered = false;

  function paintRemembered(): void {
    rememberedRow.hidden = !remembered;
    rememberRow.hidden = remembered;
    forgetBtn.disabled = waiting;
  }

  /** Whether the keychain holds a sign-in for the client in use (false where there is no keychain). */
  async function lookRemembered(): Promise<void> {
    try {
      remembered = await call<boolean>("remembered_google");
    } catch {
      remembered = false;
    }
    paintRemembered();
  }

  async function forget(): Promise<void> {
    try {
      await call("forget_google");
      remembered = false;
      paintRemembered();
      onChange();
    } catch (e) {
      showError(error, toFerryError(e));
    }
  }
  const blocked = h("p", { id: uid("sign-in-blocked"), class: "blocked-reason" });
  const status = h("div", { class: "google-wait", role: "status", "aria-live": "polite" });
  const cancelButton = h("button", { type: "button", id: "cancel-google-sign-in", class: "secondary", hidden: true, onclick: () => cancel() }, "Cancel");

  function paintClient(): void {
    looking.hidden = loadState === "loaded";
    has.hidden = loadState !== "loaded" || !client;
    none.hidden = loadState !== "loaded" || !!client;
    path.textContent = client ?? "";
    // The client of a sign-in under way cannot change any more.
    changeBtn.disabled = chooseBtn.disabled = waiting;
  }

  async function load(): Promise<void> {
    if (loadState !== "unloaded") return;
    loadState = "loading";
    paintClient();
    try {
      client = (await call<string | null>("oauth_client_file")) ?? client;
    } catch {
      // Unknown is the same as none: the user can still choose the file.
    }
    loadState = "loaded";
    paintClient();
    if (client) await lookRemembered();
    onChange();
  }

  async function choose(): Promise<void> {
    if (choosing || waiting) return;
    choosing = true;
    showError(error, null);
    try {
      const picked = await call<string | null>("choose_oauth_client");
      if (picked) {
        const fromChoose = document.activeElement === chooseBtn;
        client = picked;
        loadState = "loaded";
        paintClient();
        if (fromChoose) changeBtn.focus(); // the Choose button is gone: keep the focus here
        await lookRemembered();
        onChange();
      }
    } catch (e) {
      showError(error, toFerryError(e));
    } finally {
      choosing = false;
    }
  }

  async function signIn(destination: Destination): Promise<SignedIn> {
    if (remembered) {
      // No browser: the keychain's refresh token. One Google no longer accepts is forgotten (Rust).
      status.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), " Signing in with the remembered Google account…");
      try {
        return await call<SignedIn>("sign_in_remembered", { destination });
      } catch (e) {
        await lookRemembered();
        throw e;
      } finally {
        status.replaceChildren();
      }
    }
    waiting = true;
    cancelling = false;
    paintRemembered();
    status.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), " Waiting for the browser… finish signing in there.");
    cancelButton.hidden = false;
    paintClient();
    onChange();
    // The pressed sign-in button is disabled now: give its focus to Cancel rather than lose it.
    const a = document.activeElement as HTMLButtonElement | null;
    if (!a || a === document.body || a.disabled) cancelButton.focus();
    try {
      const r = await call<SignedIn>("sign_in_with_google", { destination, remember: rememberBox.checked });
      if (rememberBox.checked && !r.warnings.some((w) => w.startsWith("Not remembered"))) remembered = true;
      return r;
    } finally {
      waiting = false;
      paintRemembered();
      status.replaceChildren();
      cancelButton.hidden = true;
      paintClient();
    }
  }

  function cancel(): boolean {
    if (!waiting) return false;
    if (!cancelling) {
      cancelling = true;
      status.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), " Cancelling…");
      // The pending sign_in_with_google then rejects with "cancelled".
      void call("cancel_google_sign_in").catch(() => undefined);
    }
    return true;
  }

  return {
    body,
    cancelButton,
    blocked,
    status,
    clientFile: () => client,
    waiting: () => waiting,
    load,
    signIn,
    cancel,
    cancelled() {
      status.replaceChildren(h("span", { class: "muted" }, "Sign-in cancelled."));
    },
    reset() {
      cancel();
      if (!waiting) status.replaceChildren();
      // Sign out forgets a remembered sign-in: look again.
      if (remembered) void lookRemembered().then(onChange);
    },
    paint(active) {
      blocked.textContent = active && loadState === "loaded" && !client ? CLIENT_NEEDED : "";
    },
    returnFocus(to) {
      const a = document.activeElement;
      if (!a || a === document.body || a === cancelButton) to.focus();
    },
  };
}
