import { append, h } from "./dom";
import type { FerryError } from "./ipc";

/** Show an error inline, next to what caused it: its message, then what to do. `null` clears it. */
export function showError(el: HTMLElement, e: FerryError | null): void {
  el.replaceChildren();
  el.classList.remove("neutral");
  el.hidden = !e;
  if (e) append(el, h("strong", {}, e.message), e.hint ? h("span", { class: "hint" }, e.hint) : null);
}
