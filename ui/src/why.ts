// "Why" panels: a short plain-language explanation per step, open the first time the step is
// seen and closed after (remembered in localStorage), with a "Learn more" link to public docs.
// Every step is built at start, hidden: a panel counts as seen once the wizard shows its step
// (markWhySeen), not when it is built, so a step never reached keeps its panel open.
import { h } from "./dom";
import { call } from "./ipc";

export interface LearnMore {
  label: string;
  /** Opened in the browser by the `open_link` command (it allows known documentation sites only). */
  url: string;
}

const seenKey = (id: string) => `ferry.why.${id}.seen`;

export function whySeen(id: string): boolean {
  try {
    return localStorage.getItem(seenKey(id)) === "1";
  } catch {
    return false;
  }
}

/** A folded explanation. `id` names it for "seen before" (e.g. "test-write"). */
export function why(id: string, title: string, body: (string | Node)[], learnMore?: LearnMore): HTMLDetailsElement {
  const link = learnMore
    ? h(
        "a",
        {
          href: learnMore.url,
          class: "learn-more",
          onclick: (e: Event) => {
            e.preventDefault();
            void call("open_link", { url: learnMore.url }).catch(() => undefined);
          },
        },
        `Learn more: ${learnMore.label}`,
      )
    : null;
  const el = h(
    "details",
    { class: "why", dataset: { why: id } },
    h("summary", {}, h("span", { class: "why-mark", "aria-hidden": "true" }, "?"), ` Why: ${title}`),
    ...body.map((b) => (typeof b === "string" ? h("p", {}, b) : b)),
    link ? h("p", {}, link) : null,
  );
  el.open = !whySeen(id);
  return el;
}

/** The step holding these panels is on screen: from the next run on they start closed. */
export function markWhySeen(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>("details.why[data-why]")) {
    try {
      localStorage.setItem(seenKey(el.dataset.why!), "1");
    } catch {
      /* private mode: always open, which is fine */
    }
  }
}
