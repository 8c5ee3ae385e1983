import type { Attr } from "./bindings/Attr";

/** Sizes as people read them, in decimal units like the CLI: 702.1 kB, 1.20 GB. */
export function bytes(n: number): string {
  if (n >= 1e12) return `${(n / 1e12).toFixed(2)} TB`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/** Megabytes with a precision that suits the size: 0.52, 4.1, 99. */
export function mb(n: number): string {
  const v = n / 1e6;
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  if (v >= 0.01) return v.toFixed(2);
  return v === 0 ? "0" : "< 0.01";
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** An attribute value as CDL shows it: "text", or 1, 2.5. */
export function attrValue(a: Attr): string {
  const v = a.value;
  if (typeof v === "string") return JSON.stringify(v);
  if (a.dtype === "char" || a.dtype === "string") return v.map((x) => JSON.stringify(String(x))).join(", ");
  return v.map(String).join(", ");
}

export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}

export function dirName(path: string): string {
  const i = path.lastIndexOf("/");
  return i > 0 ? path.slice(0, i) : i === 0 ? "/" : "";
}
