// What the test-write and upload steps share: cancelling the running write, and progress
// as people read it. Commands: src-tauri/src/gui/test_write.rs (cancel_write).
import type { Phase } from "../bindings/Phase";
import type { Progress } from "../bindings/Progress";
import { bytes, count, duration, rate } from "../format";
import { call } from "../ipc";

/**
 * Ask the core to cancel the running write. The core holds its cancel token only once the job
 * has begun (after the destination opened): until then `cancel_write` answers false, so ask
 * again, briefly, while the write is still running.
 */
export async function cancelWrite(stillRunning: () => boolean, retryMs = 250): Promise<void> {
  while (stillRunning()) {
    let ok = false;
    try {
      ok = await call<boolean>("cancel_write");
    } catch {
      ok = false;
    }
    if (ok || !stillRunning()) return;
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

export function phaseText(phase: Phase): string {
  switch (phase) {
    case "preparing":
      return "Preparing…";
    case "metadata":
      return "Writing the metadata…";
    case "chunks":
      return "Writing chunks…";
    case "consolidating":
      return "Writing the consolidated metadata (last, so the store shows as complete)…";
    case "verifying":
      return "Checking what was written…";
    case "done":
      return "Written.";
  }
}

/** The fraction done, by bytes (by chunks when the sizes are not known). */
export function fraction(p: Progress): number {
  if (p.bytes_total > 0) return Math.min(1, p.bytes_done / p.bytes_total);
  if (p.chunks_total > 0) return Math.min(1, p.chunks_done / p.chunks_total);
  return 0;
}

export interface ProgressParts {
  bytes: string;
  chunks: string;
  speed: string;
  eta: string;
  percent: string;
}

export function progressParts(p: Progress): ProgressParts {
  const skipped = p.chunks_skipped > 0 ? ` (${count(p.chunks_skipped)} already there)` : "";
  return {
    bytes: `${bytes(p.bytes_done)} of ${bytes(p.bytes_total)}`,
    chunks: `${count(p.chunks_done)} of ${count(p.chunks_total)} chunks${skipped}`,
    speed: p.mb_per_s > 0 ? rate(p.mb_per_s) : "measuring speed…",
    eta: p.phase === "done" ? "done" : p.eta_s !== null && p.mb_per_s > 0 ? `about ${duration(p.eta_s)} left` : "estimating time left…",
    percent: `${Math.floor(fraction(p) * 100)} %`,
  };
}
