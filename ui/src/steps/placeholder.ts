// Steps 4–6 exist with their layout; their work arrives with the upload engine. Each asks its
// Rust module (`<step>_status`) whether it is available and says so; nothing is faked.
interface StepStatus { available: boolean; message: string }
import { h } from "../dom";
import { call, toFerryError } from "../ipc";
import type { Step, StepContext, StepId } from "./step";

export interface PlaceholderSpec {
  id: StepId;
  title: string;
  summary: string;
  command: string;
  /** The step's layout, built from the current state each time it is shown. */
  layout(ctx: StepContext): HTMLElement[];
}

export const NOT_YET = "This step arrives with the upload engine.";

export function createPlaceholder(ctx: StepContext, spec: PlaceholderSpec): Step {
  let status: StepStatus = { available: false, message: NOT_YET };
  let banner: HTMLElement;
  let content: HTMLElement;

  function paintBanner(): void {
    banner.replaceChildren(h("strong", {}, status.available ? "Ready." : status.message));
  }

  return {
    id: spec.id,
    title: spec.title,
    summary: spec.summary,
    mount(root) {
      banner = h("div", { class: "not-yet", role: "status" });
      content = h("div", { class: "placeholder-layout", "aria-disabled": "true" });
      root.append(banner, content);
      paintBanner();
    },
    async enter() {
      content.replaceChildren(...spec.layout(ctx));
      try {
        status = await call<StepStatus>(spec.command);
      } catch (e) {
        status = { available: false, message: toFerryError(e).message };
      }
      paintBanner();
      ctx.refresh();
    },
    openAhead: true,
    // Even a status that said "available" would have nothing to run in this build.
    canNext: () => false,
    blocker: () => status.message,
  };
}

/** A disabled action button: the layout shows where it goes. */
export function futureButton(label: string): HTMLButtonElement {
  return h("button", { type: "button", class: "primary", disabled: true, title: NOT_YET }, label);
}
