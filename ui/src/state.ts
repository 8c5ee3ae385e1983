// Everything the user entered, kept across Back and Next. Steps read and write it; the
// wizard shell never clears it.
import type { Destination } from "./bindings/Destination";
import type { DestinationDefaults } from "./bindings/DestinationDefaults";
import type { Inspection } from "./bindings/Inspection";
import type { PickedFile } from "./bindings/PickedFile";
import type { SignedIn } from "./bindings/SignedIn";
import type { TestWriteReport } from "./bindings/TestWriteReport";
import type { WriteChoices } from "./bindings/WriteChoices";
import type { WriteSummary } from "./bindings/WriteSummary";
import type { Skipped } from "./bindings/Skipped";
import type { PlanInputs } from "./bindings/PlanInputs";
import type { WizardSession } from "./bindings/WizardSession";
import { loadChoices } from "./choices";

export type DestinationKind = Destination["kind"];

export interface DestinationForms {
  local: { path: string };
  gcs: { bucket: string; prefix: string; githubUser: string; prefixEdited: boolean };
  osn: { prefix: string; githubUser: string; prefixEdited: boolean };
  s3: { endpoint: string; bucket: string; prefix: string };
}

export interface WizardState {
  defaults: DestinationDefaults | null;
  kind: DestinationKind;
  forms: DestinationForms;
  files: PickedFile[];
  skipped: Skipped[];
  /** The file list (and join options) the current inspection was made from (a change means: scan again). */
  scannedKey: string | null;
  /** Advanced, per dataset (not remembered): the dimension to join along and the NetCDF-4 group; empty = automatic / root. */
  scanOptions: { concatDim: string; group: string };
  inspection: Inspection | null;
  storeName: string;
  storeNameEdited: boolean;
  targetMb: number;
  /** User chunk lengths per dimension; null = the whole dimension. */
  overrides: Record<string, number | null>;
  /** Advanced write options (format, codec, concurrency): defaults right for most people; remembered between runs (choices.ts). */
  choices: WriteChoices;
  /** The cloud sign-in that passed its check, and the destination it was checked for. */
  signedIn: SignedIn | null;
  signedInFor: string | null;
  /** The last passed test write, and what it was run for (a change means: test again). */
  testReport: TestWriteReport | null;
  testedFor: string | null;
  /** The finished upload: the catalog step drafts from it. */
  uploaded: WriteSummary | null;
}

/** The state at start: empty, except the write options remembered from the last run. */
export function initialState(): WizardState {
  return {
    defaults: null,
    kind: "local",
    forms: {
      local: { path: "~/ferry-stores" },
      gcs: { bucket: "leap-persistent", prefix: "", githubUser: "", prefixEdited: false },
      osn: { prefix: "", githubUser: "", prefixEdited: false },
      s3: { endpoint: "", bucket: "", prefix: "" },
    },
    files: [],
    skipped: [],
    scannedKey: null,
    scanOptions: { concatDim: "", group: "" },
    inspection: null,
    storeName: "",
    storeNameEdited: false,
    targetMb: 100,
    overrides: {},
    choices: loadChoices(),
    signedIn: null,
    signedInFor: null,
    testReport: null,
    testedFor: null,
    uploaded: null,
  };
}

/** One string for "what would be written where": destination, store name, files, plan, options. */
export function writeKey(s: WizardState): string {
  return JSON.stringify([currentDestination(s), s.storeName, s.scannedKey, s.inspection?.plan.variables.map((v) => v.chunks), s.choices]);
}

/** The destination as a string (sign-in is valid only for the destination it was checked for). */
export function destinationKey(s: WizardState): string {
  return JSON.stringify(currentDestination(s));
}

/** The destination the form describes, as the Rust commands take it. */
export function currentDestination(s: WizardState): Destination {
  const f = s.forms;
  switch (s.kind) {
    case "local":
      return { kind: "local", path: f.local.path };
    case "gcs":
      return { kind: "gcs", bucket: f.gcs.bucket, prefix: f.gcs.prefix };
    case "osn":
      return { kind: "osn", prefix: f.osn.prefix };
    case "s3":
      return { kind: "s3", endpoint: f.s3.endpoint, bucket: f.s3.bucket, prefix: f.s3.prefix };
  }
}

/** Load a (remembered or default) destination into the form, keeping the other kinds' fields. */
export function loadDestination(s: WizardState, d: Destination): void {
  s.kind = d.kind;
  switch (d.kind) {
    case "local":
      s.forms.local.path = d.path;
      break;
    case "gcs":
      Object.assign(s.forms.gcs, { bucket: d.bucket, prefix: d.prefix, prefixEdited: d.prefix !== "" });
      break;
    case "osn":
      Object.assign(s.forms.osn, { prefix: d.prefix, prefixEdited: d.prefix !== "" });
      break;
    case "s3":
      Object.assign(s.forms.s3, { endpoint: d.endpoint, bucket: d.bucket, prefix: d.prefix });
      break;
  }
}

export function filesKey(files: PickedFile[]): string {
  return files.map((f) => f.path).join("\n");
}

/** What a scan depends on: the files and the join options (just the files while those are automatic). */
export function scanKey(s: Pick<WizardState, "files" | "scanOptions">): string {
  const dim = s.scanOptions.concatDim.trim();
  const group = s.scanOptions.group.trim();
  return dim || group ? `${filesKey(s.files)}\u0000${dim}\u0000${group}` : filesKey(s.files);
}

/** How the files are joined and the chunks planned, as the upload records it (for resume at launch). */
export function planInputs(s: WizardState): PlanInputs {
  return {
    concat_dim: s.scanOptions.concatDim.trim(),
    group: s.scanOptions.group.trim(),
    target_mb: s.targetMb,
    overrides: Object.entries(s.overrides).map(([dim, len]) => ({ dim, len })),
  };
}

/**
 * Put an interrupted upload's inputs back (everything but the files' sizes, the scan and the
 * sign-in, which are redone). The chunk edits are applied after the scan, which resets them.
 */
export function restoreSession(s: WizardState, session: WizardSession): void {
  loadDestination(s, session.destination);
  s.storeName = session.store;
  s.storeNameEdited = true;
  s.scanOptions = { concatDim: session.plan.concat_dim, group: session.plan.group };
  s.targetMb = session.plan.target_mb;
  s.choices = { ...session.choices };
  s.inspection = null;
  s.scannedKey = null;
  s.testReport = null;
  s.testedFor = null;
  s.uploaded = null;
}

/** The chunk edits of an interrupted upload, in the form Preview keeps them. */
export function sessionOverrides(session: WizardSession): Record<string, number | null> {
  return Object.fromEntries(session.plan.overrides.map((o) => [o.dim, o.len]));
}
