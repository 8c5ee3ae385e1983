// Preview's quick look: one 2-D slice of a data variable, read from the real files by the core
// (`quicklook`), drawn with a colour map and a colour bar, with a slider over the steps — the
// sanity check people do in Panoply or ncview before trusting a dataset.
import type { Slice } from "../bindings/Slice";
import { debounce, h } from "../dom";
import { showError } from "../errors";
import { call, toFerryError } from "../ipc";

// viridis, 9 stops: perceptually uniform and readable by the colour-blind.
const VIRIDIS = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"].map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));

/** The colour of `t` in [0, 1]. */
export function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** RGBA pixels of a slice, row 0 at the bottom (latitudes usually rise with the row index). */
export function pixels(s: Slice): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(s.width * s.height * 4));
  const lo = s.min ?? 0;
  const span = (s.max ?? lo) - lo || 1;
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const v = s.values[y * s.width + x];
      const o = ((s.height - 1 - y) * s.width + x) * 4;
      if (v === null || v === undefined) {
        out.set([200, 200, 200, 0], o); // missing: transparent over the card's background
      } else {
        const [r, g, b] = colour((v - lo) / span);
        out.set([r, g, b, 255], o);
      }
    }
  }
  return out;
}

function fmt(v: number | null): string {
  if (v === null) return "–";
  const a = Math.abs(v);
  return a !== 0 && (a < 0.01 || a >= 1e5) ? v.toExponential(2) : v.toPrecision(4).replace(/\.?0+$/, "");
}

export interface QuickLook {
  el: HTMLElement;
  /** Load the variables of a new scan and draw the first step. */
  load(): Promise<void>;
}

export function createQuickLook(): QuickLook {
  const select = h("select", { id: "quicklook-var", "aria-label": "Variable to look at" }) as HTMLSelectElement;
  const slider = h("input", { id: "quicklook-step", type: "range", min: 0, max: 0, value: 0, "aria-label": "Step" }) as HTMLInputElement;
  const stepText = h("span", { class: "quicklook-step-text", "aria-live": "polite" });
  const canvas = h("canvas", { class: "quicklook-canvas", width: 1, height: 1, role: "img", "aria-label": "Quick look" }) as HTMLCanvasElement;
  const bar = h("canvas", { class: "quicklook-bar", width: 256, height: 12, "aria-hidden": "true" }) as HTMLCanvasElement;
  const lo = h("span", { class: "lo" });
  const hi = h("span", { class: "hi" });
  const units = h("span", { class: "units muted" });
  const caption = h("p", { class: "help quicklook-caption" });
  const error = h("div", { class: "inline-error", role: "alert", hidden: true });
  let generation = 0;

  function paintBar(): void {
    const ctx = bar.getContext?.("2d");
    if (!ctx) return;
    for (let x = 0; x < bar.width; x++) {
      const [r, g, b] = colour(x / (bar.width - 1));
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x, 0, 1, bar.height);
    }
  }

  function draw(s: Slice): void {
    canvas.width = s.width;
    canvas.height = s.height;
    canvas.setAttribute("aria-label", `${s.variable} at step ${s.step + 1} of ${s.steps}, ${s.dims[0]} by ${s.dims[1]}, from ${fmt(s.min)} to ${fmt(s.max)}`);
    const ctx = canvas.getContext?.("2d");
    if (ctx) ctx.putImageData(new ImageData(pixels(s), s.width, s.height), 0, 0);
    lo.textContent = fmt(s.min);
    hi.textContent = fmt(s.max);
    units.textContent = s.units ?? "";
    slider.max = String(Math.max(0, s.steps - 1));
    slider.disabled = s.steps <= 1;
    stepText.textContent = s.steps > 1 ? `step ${s.step + 1} of ${s.steps}` : "";
    caption.textContent = `${s.dims[0]} ↑ by ${s.dims[1]} →, from ${s.file}${s.stride > 1 ? `, every ${s.stride}th value` : ""}. Grey: missing values.`;
  }

  async function show(): Promise<void> {
    const gen = ++generation;
    const variable = select.value;
    if (!variable) return;
    try {
      const s = await call<Slice>("quicklook", { variable, step: Number(slider.value) });
      if (gen !== generation) return;
      showError(error, null);
      draw(s);
    } catch (e) {
      if (gen === generation) showError(error, toFerryError(e));
    }
  }
  const showSoon = debounce(() => void show(), 120);

  select.addEventListener("change", () => {
    slider.value = "0";
    void show();
  });
  slider.addEventListener("input", () => {
    stepText.textContent = `step ${Number(slider.value) + 1} of ${Number(slider.max) + 1}`;
    showSoon();
  });
  paintBar();

  const el = h(
    "div",
    { class: "quicklook" },
    h("div", { class: "field-row" }, h("label", { for: "quicklook-var" }, "Variable"), select),
    h("div", { class: "field-row" }, h("label", { for: "quicklook-step" }, "Step"), slider, stepText),
    error,
    h("div", { class: "quicklook-frame" }, canvas),
    h("div", { class: "quicklook-scale" }, lo, bar, hi, units),
    caption,
  );

  return {
    el,
    async load() {
      try {
        const vars = await call<string[]>("quicklook_variables");
        select.replaceChildren(...vars.map((v) => h("option", { value: v }, v)));
        if (!vars.length) {
          caption.textContent = "No numeric variable of two dimensions or more to draw.";
          return;
        }
        slider.value = "0";
        await show();
      } catch (e) {
        showError(error, toFerryError(e));
      }
    },
  };
}
