import { getCurrentWebview } from "@tauri-apps/api/webview";
import { initialState } from "./state";
import "./style.css";
import { createWizard, type Platform } from "./wizard";

const platform: Platform = {
  async listenDrop(handler) {
    return getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "enter" || p.type === "over") handler({ type: "over" });
      else if (p.type === "leave") handler({ type: "leave" });
      else if (p.type === "drop") {
        handler({ type: "leave" });
        handler({ type: "drop", paths: p.paths });
      }
    });
  },
};

createWizard(document.getElementById("app")!, initialState(), platform);
