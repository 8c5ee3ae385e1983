// Typed calls into the Rust commands (src-tauri/src/gui/). Errors arrive as the core's
// {code, message, hint} (ferry::Error) and are rethrown as FerryError, never swallowed.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { Code } from "./bindings/Code";
import type { Error as CoreError } from "./bindings/Error";

export class FerryError extends Error {
  readonly code: Code;
  readonly hint: string;
  constructor(e: CoreError) {
    super(e.message);
    this.name = "FerryError";
    this.code = e.code;
    this.hint = e.hint;
  }
}

function isCoreError(e: unknown): e is CoreError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e && typeof (e as CoreError).message === "string";
}

/** Whatever a command rejected with, as a FerryError (a plain string from tauri itself becomes `internal`). */
export function toFerryError(e: unknown): FerryError {
  if (e instanceof FerryError) return e;
  if (isCoreError(e)) return new FerryError({ code: e.code, message: e.message, hint: e.hint ?? "" });
  const message = e instanceof Error ? e.message : String(e);
  return new FerryError({ code: "internal", message, hint: "This is a bug in Ferry: please report it with what you were doing." });
}

export async function call<T>(cmd: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toFerryError(e);
  }
}
