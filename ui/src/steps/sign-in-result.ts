// What a check found, and whether Next may go on: the local folder's write check and the cloud
// sign-in's summary. sign-in.ts runs the checks; this says what they mean and shows them.
import type { CheckOutcome } from "../bindings/CheckOutcome";
import type { Credentials } from "../bindings/Credentials";
import type { FieldIssue } from "../bindings/FieldIssue";
import type { SignedIn } from "../bindings/SignedIn";
import { append, h } from "../dom";
import type { FerryError } from "../ipc";
import type { DestinationKind } from "../state";

export type CheckState =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "invalid" }
  | { kind: "ok"; message: string }
  | { kind: "unavailable"; message: string }
  | { kind: "failed"; error: FerryError };

export function checkStateFrom(outcome: CheckOutcome): CheckState {
  return outcome.checked ? { kind: "ok", message: outcome.message } : { kind: "unavailable", message: outcome.message };
}

/**
 * Next is allowed when the fields validate and, for a local folder, the write check passed; for a
 * cloud destination, "Sign in and check" passed for exactly this destination (`signedIn`).
 */
export function destinationReady(kind: DestinationKind, issues: FieldIssue[], check: CheckState, signedIn = false): boolean {
  if (issues.some((i) => i.severity === "error")) return false;
  if (kind === "local") return check.kind === "ok";
  return signedIn;
}

/** "Can list, write and delete under …": what the check found, in one sentence. */
export function canSentence(r: SignedIn): string {
  const can = [r.can_list && "list", r.can_write && "write", r.can_delete && "delete"].filter((x): x is string => !!x);
  if (can.length === 0) return `Checked ${r.url}.`;
  const list = can.length === 1 ? can[0] : `${can.slice(0, -1).join(", ")} and ${can[can.length - 1]}`;
  return `Can ${list} under ${r.url}.`;
}

/** How a sign-in was made: the `sign_in` methods, or the browser. */
export type SignedWith = Credentials["method"] | "gcs_browser";

/** The local folder's access check, in its status line. */
export function paintCheck(el: HTMLElement, check: CheckState): void {
  el.replaceChildren();
  el.className = `check check-${check.kind}`;
  const title = (t: string) => h("strong", {}, t);
  switch (check.kind) {
    case "idle":
      break;
    case "checking":
      el.append(h("span", { class: "spinner", "aria-hidden": "true" }), " Checking…");
      break;
    case "invalid":
      el.append("Fix the highlighted field to check this destination.");
      break;
    case "ok":
      el.append(h("span", { class: "icon", "aria-hidden": "true" }, "✓"), " ", title("Ready. "), check.message);
      break;
    case "unavailable":
      el.append(h("span", { class: "icon", "aria-hidden": "true" }, "ⓘ"), " ", title("Not checked: "), check.message);
      break;
    case "failed":
      append(
        el,
        h("span", { class: "icon", "aria-hidden": "true" }, "✗"),
        " ",
        title("Cannot write here. "),
        check.error.message,
        check.error.hint ? h("span", { class: "hint" }, check.error.hint) : null,
      );
      break;
  }
}

/** Who is signed in, what they may do, and what to watch for. */
export function signedInView(r: SignedIn, signedWith: SignedWith | null): HTMLElement {
  return h(
    "div",
    { class: "signed-in" },
    h("p", {}, h("span", { class: "icon", "aria-hidden": "true" }, "✓"), " ", h("strong", {}, `Signed in as ${r.who}.`), " ", canSentence(r)),
    ...r.warnings.map((w) => h("p", { class: "warning" }, w)),
    r.short_lived ? h("p", { class: "warning short-lived" }, "This token lives about an hour; Ferry warns before a longer upload.") : null,
    r.file ? h("p", { class: "help" }, "Credentials file: ", h("code", {}, r.file)) : null,
    // Typed secrets were cleared from the form (sign-in.ts): say where they went.
    signedWith === "s3_keys" || signedWith === "gcs_token"
      ? h("p", { class: "help" }, "The field was cleared: the secret is now only in Ferry's memory, until you sign out or quit.")
      : null,
  );
}
