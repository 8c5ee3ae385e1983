// Step 6, catalog: draft the catalog request so others can find the data. Layout only for now.
import { h, uid } from "../dom";
import { createPlaceholder, futureButton } from "./placeholder";
import type { Step, StepContext } from "./step";

function disabledField(label: string, value = "", multiline = false): HTMLElement {
  const id = uid("catalog");
  const input = multiline ? h("textarea", { id, rows: 3, disabled: true }, value) : h("input", { id, type: "text", value, disabled: true });
  return h("div", { class: "field" }, h("label", { for: id }, label), input);
}

export function createCatalog(ctx: StepContext): Step {
  return createPlaceholder(ctx, {
    id: "catalog",
    title: "Catalog",
    summary: "Draft the catalog request",
    command: "catalog_status",
    layout(c) {
      const title = c.state.inspection?.dataset.attrs.find((a) => a.name === "title")?.value;
      return [
        h("p", { class: "lead" }, "Ferry drafts the request that adds your store to the LEAP data catalog, filled from the dataset's attributes; you review it before anything is sent."),
        h(
          "div",
          { class: "catalog-form" },
          disabledField("Title", typeof title === "string" ? title : c.state.storeName),
          disabledField("Description", "", true),
          disabledField("License"),
          disabledField("Source and citation", "", true),
          disabledField("Maintainer (GitHub username)", c.state.forms.gcs.githubUser || c.state.forms.osn.githubUser),
        ),
        h("div", { class: "toolbar" }, futureButton("Draft the catalog request")),
      ];
    },
  });
}
