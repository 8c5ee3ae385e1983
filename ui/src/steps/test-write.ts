// Step 4, test-write: write a small part of the store, read it back, compare. Layout only for now.
import { h } from "../dom";
import { count, mb } from "../format";
import { currentDestination } from "../state";
import { createPlaceholder, futureButton } from "./placeholder";
import type { Step, StepContext } from "./step";

export function destinationLabel(ctx: StepContext): string {
  const d = currentDestination(ctx.state);
  switch (d.kind) {
    case "local":
      return d.path;
    case "gcs":
      return `gs://${d.bucket}/${d.prefix}`;
    case "osn":
      return `OSN pod, ${ctx.state.defaults?.osn_bucket ?? "leap-pangeo-inbox"}/${d.prefix}`;
    case "s3":
      return `${d.endpoint}/${d.bucket}/${d.prefix}`;
  }
}

export function createTestWrite(ctx: StepContext): Step {
  return createPlaceholder(ctx, {
    id: "test-write",
    title: "Test write",
    summary: "A small part, written and read back",
    command: "test_write_status",
    layout(c) {
      const plan = c.state.inspection?.plan;
      const first = plan ? plan.variables.reduce((a, v) => a + v.chunk_bytes, 0) : 0;
      const checks = [
        `Write the store's metadata to ${destinationLabel(c)}`,
        plan ? `Write the first chunk of each of the ${count(plan.variables.length)} arrays (${mb(first)} MB)` : "Write the first chunk of each array",
        "Read the chunks back and compare them with the NetCDF files",
        "Open the test store the way xarray does (consolidated metadata)",
      ];
      const ol = h("ol", { class: "checklist" });
      for (const t of checks) ol.append(h("li", {}, h("span", { class: "state" }, "not run"), t));
      return [
        h("p", { class: "lead" }, "Before the full upload, Ferry writes a small part of the store, reads it back and compares it with your files, so that a wrong credential or a bad chunk plan shows up in seconds rather than hours."),
        ol,
        h("div", { class: "toolbar" }, futureButton("Run the test write")),
      ];
    },
  });
}
