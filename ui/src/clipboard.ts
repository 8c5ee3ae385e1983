// The clipboard, for every Copy button: the async API where the webview allows it, else the
// copy command on a hidden text area.
import { h } from "./dom";

/** Put text on the clipboard; false when neither the clipboard API nor the copy command worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) throw new Error("no clipboard API");
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = h("textarea", { class: "visually-hidden", readonly: true, "aria-hidden": "true" }, text);
    document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = typeof document.execCommand === "function" && document.execCommand("copy");
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}
