// Step 5, upload: the whole store, resumable, with progress. Layout only for now.
import { h } from "../dom";
import { bytes, count } from "../format";
import { createPlaceholder, futureButton } from "./placeholder";
import type { Step, StepContext } from "./step";
import { destinationLabel } from "./test-write";

export function createUpload(ctx: StepContext): Step {
  return createPlaceholder(ctx, {
    id: "upload",
    title: "Upload",
    summary: "The whole store, resumable",
    command: "upload_status",
    layout(c) {
      const ins = c.state.inspection;
      const facts = h(
        "dl",
        { class: "facts-list" },
        h("dt", {}, "Destination"),
        h("dd", {}, h("code", {}, destinationLabel(c))),
        h("dt", {}, "Store"),
        h("dd", {}, h("code", {}, `${c.state.storeName || "…"}.zarr`)),
        h("dt", {}, "Source files"),
        h("dd", {}, ins ? `${count(ins.dataset.files.length)} (${bytes(ins.dataset.files.reduce((a, f) => a + f.size, 0))})` : "not scanned"),
        h("dt", {}, "To write"),
        h("dd", {}, ins ? `${bytes(ins.plan.total_bytes)} uncompressed in ${count(ins.plan.total_chunks)} chunks` : "–"),
      );
      return [
        h("p", { class: "lead" }, "Ferry writes every chunk, then the consolidated metadata last, so that a store is either complete or clearly unfinished. An interrupted upload resumes where it stopped."),
        facts,
        h("div", { class: "progress-slot" }, h("p", { class: "muted" }, "Progress per variable, speed and time left appear here during the upload.")),
        h("div", { class: "toolbar" }, futureButton("Start the upload")),
      ];
    },
  });
}
