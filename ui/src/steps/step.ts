// The contract between the wizard shell (wizard.ts) and each step module.
import type { WizardState } from "../state";

export const STEP_IDS = ["sign-in", "pick-files", "preview", "test-write", "upload", "catalog"] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface StepContext {
  state: WizardState;
  /** Re-read canNext()/nextLabel() and repaint the footer and sidebar. */
  refresh(): void;
  /** Steps after `id` are out of date (e.g. the file list changed): they must be reached again. */
  invalidateAfter(id: StepId): void;
  /** Subscribe to files dropped on the window; returns an unsubscribe function. */
  onDrop(handler: (event: DropEvent) => void): () => void;
}

export type DropEvent = { type: "over" } | { type: "leave" } | { type: "drop"; paths: string[] };

export interface Step {
  id: StepId;
  title: string;
  /** One line under the title in the sidebar and the header. */
  summary: string;
  /** Build the step's DOM once; it stays alive (hidden) while other steps show. */
  mount(root: HTMLElement): void;
  /** Called each time the step is shown. */
  enter?(): void | Promise<void>;
  canNext(): boolean;
  /** Why Next is disabled (shown beside it). */
  blocker?(): string | null;
  nextLabel?(): string;
  /** Work to do before moving on (e.g. the scan); resolve false to stay. */
  next?(): Promise<boolean>;
  /** A layout-only step (nothing to enter, nothing to run): the sidebar may open it ahead of time. */
  openAhead?: boolean;
  /** Work under way that will change canNext() (a live check, a scan): the welcome's sample walk waits for it. */
  busy?(): boolean;
  /** The step's main action, from the state as it is: what a guided walk (resume at launch) presses. */
  run?(): Promise<void>;
  /** Escape: cancel what is running, revert an edit. Return true if handled. */
  escape?(): boolean;
}
