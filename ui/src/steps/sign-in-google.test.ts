import { describe, expect, it } from "vitest";
import type { SignedIn } from "../bindings/SignedIn";
import { mockCommands, text, waitFor, type Handler } from "../test-utils";
import { createGoogleSignIn } from "./sign-in-google";

const dest = { kind: "gcs" as const, bucket: "leap-persistent", prefix: "me/" };
const ok = (p: Partial<SignedIn> = {}): SignedIn => ({ who: "researcher@example.org (Google, in the browser)", url: "gs://leap-persistent/me/", can_list: true, can_write: true, can_delete: true, warnings: [], short_lived: false, file: null, ...p });

async function setup(handlers: Record<string, Handler>) {
  const calls = mockCommands({ oauth_client_file: () => "/home/me/client_secret.json", remembered_google: () => false, ...handlers });
  let changes = 0;
  const g = createGoogleSignIn(() => changes++);
  document.body.append(g.body, g.status, g.cancelButton);
  await g.load();
  const q = <T extends HTMLElement>(sel: string) => g.body.querySelector<T>(sel)!;
  return { g, calls, q, changes: () => changes };
}

describe("Sign in with Google: remember me", () => {
  it("is off by default; ticked, the sign-in asks Rust to keep it in the keychain", async () => {
    const { g, calls, q } = await setup({ sign_in_with_google: () => ok() });
    const box = q<HTMLInputElement>("#remember-google");
    expect(box.checked).toBe(false);
    expect(text(box.closest("p"))).toContain("Remember me on this computer");
    await g.signIn(dest);
    expect(calls.find(([c]) => c === "sign_in_with_google")![1]).toEqual({ destination: dest, remember: false });
    box.checked = true;
    await g.signIn(dest);
    expect(calls.filter(([c]) => c === "sign_in_with_google").at(-1)![1]).toEqual({ destination: dest, remember: true });
    // Now remembered: the next sign-in needs no browser.
    expect(q(".remembered").hidden).toBe(false);
  });

  it("a remembered sign-in signs in without the browser; Forget it removes it", async () => {
    const { g, calls, q } = await setup({ remembered_google: () => true, sign_in_remembered: () => ok(), forget_google: () => true });
    expect(q(".remembered").hidden).toBe(false);
    expect(q(".remember").hidden).toBe(true);
    expect(text(q(".remembered"))).toContain("A Google sign-in is remembered on this computer");
    const r = await g.signIn(dest);
    expect(r.who).toContain("researcher@example.org");
    expect(calls.some(([c]) => c === "sign_in_with_google")).toBe(false);
    expect(calls.find(([c]) => c === "sign_in_remembered")![1]).toEqual({ destination: dest });
    q<HTMLButtonElement>("#forget-google").click();
    await waitFor(() => q(".remembered").hidden);
    expect(calls.some(([c]) => c === "forget_google")).toBe(true);
    expect(q(".remember").hidden).toBe(false);
  });

  it("a remembered sign-in Google refuses is looked up again (Rust forgot it) and the error goes up", async () => {
    let rememberedNow = true;
    const { g, q } = await setup({
      remembered_google: () => rememberedNow,
      sign_in_remembered: () => {
        rememberedNow = false;
        return Promise.reject({ code: "access_denied", message: "the remembered Google sign-in is no longer valid", hint: "It was forgotten. Sign in with the browser again." });
      },
    });
    await expect(g.signIn(dest)).rejects.toMatchObject({ code: "access_denied" });
    expect(q(".remembered").hidden).toBe(true);
  });

  it("without a keychain nothing is offered as remembered", async () => {
    const { q } = await setup({ remembered_google: () => Promise.reject({ code: "unsupported", message: "the system keychain is not available", hint: "" }) });
    expect(q(".remembered").hidden).toBe(true);
    expect(q(".remember").hidden).toBe(false);
  });
});
