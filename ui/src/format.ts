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

/** A duration as people say it: "a second or less", "42 s", "3 min 05 s", "2 h 10 min", "1 d 3 h". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "unknown";
  const s = Math.round(seconds);
  if (s < 1) return "a second or less";
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return m >= 10 ? `${Math.round(s / 60)} min` : `${m} min ${String(s % 60).padStart(2, "0")} s`;
  }
  if (s < 86400) {
    const m = Math.round(s / 60);
    return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
  }
  const hrs = Math.round(s / 3600);
  return `${Math.floor(hrs / 24)} d ${hrs % 24} h`;
}

/** Megabytes per second: "45.2 MB/s", "0.31 MB/s". */
export function rate(mbPerS: number): string {
  return `${mbPerS >= 100 ? mbPerS.toFixed(0) : mbPerS >= 1 ? mbPerS.toFixed(1) : mbPerS.toFixed(2)} MB/s`;
}

/** A compression ratio: "3.2×" (uncompressed / stored). */
export function ratio(r: number): string {
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}
