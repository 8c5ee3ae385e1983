// The advanced write options (Zarr format, compression, uploads at once): their valid values,
// and remembering them between runs in localStorage. Nothing secret is in them; the destination
// is remembered by the core, credentials never. The chunk plan belongs to one dataset and is not kept.
import type { WriteChoices } from "./bindings/WriteChoices";

export const CHOICES_KEY = "ferry.choices";

/** Zarr v2 (with .zmetadata), zstd level 3, 8 chunks in flight: right for most people. */
export const DEFAULT_CHOICES: Readonly<WriteChoices> = Object.freeze({ zarr_format: 2, compression: "zstd:3", concurrency: 8 });

export const ZARR_FORMATS = [2, 3] as const;
export const CONCURRENCY = { min: 1, max: 64 } as const;

/** The codecs the core understands (write/codec.rs), with their level ranges and defaults. */
export const CODECS = [
  { name: "zstd", label: "zstd", min: 1, max: 22, level: 3 },
  { name: "blosc-zstd", label: "Blosc with zstd (byte shuffle)", min: 1, max: 9, level: 5 },
  { name: "gzip", label: "gzip", min: 1, max: 9, level: 5 },
  { name: "none", label: "none (uncompressed)", min: 0, max: 0, level: 0 },
] as const;
export type CodecName = (typeof CODECS)[number]["name"];

/** "zstd:3" → {codec: "zstd", level: 3}; unknown names fall back to zstd:3. */
export function parseCompression(s: string): { codec: CodecName; level: number } {
  const [name, lv] = s.split(":");
  const c = CODECS.find((k) => k.name === name.trim().toLowerCase()) ?? CODECS[0];
  if (c.name === "none") return { codec: "none", level: 0 };
  const n = Number(lv);
  return { codec: c.name, level: Number.isInteger(n) && n >= c.min && n <= c.max ? n : c.level };
}

export function formatCompression(codec: CodecName, level: number): string {
  return codec === "none" ? "none" : `${codec}:${level}`;
}

/** A whole number in [min, max], else null. */
export function parseWhole(text: string, min: number, max: number): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/** Exactly what the advanced options can produce: "none" or a known codec with a level in its range. */
export function validCompression(v: unknown): v is string {
  if (typeof v !== "string") return false;
  if (v === "none") return true;
  const m = /^([a-z-]+):(\d+)$/.exec(v);
  const c = m && CODECS.find((k) => k.name === m[1] && k.name !== "none");
  return !!c && Number(m[2]) >= c.min && Number(m[2]) <= c.max;
}

/** The options from stored JSON: each valid field kept, anything else (unknown keys, bad values) dropped for its default. */
export function choicesFrom(raw: unknown): WriteChoices {
  const c: WriteChoices = { ...DEFAULT_CHOICES };
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return c;
  const r = raw as Record<string, unknown>;
  if ((ZARR_FORMATS as readonly unknown[]).includes(r.zarr_format)) c.zarr_format = r.zarr_format as number;
  if (validCompression(r.compression)) c.compression = r.compression;
  if (Number.isInteger(r.concurrency) && (r.concurrency as number) >= CONCURRENCY.min && (r.concurrency as number) <= CONCURRENCY.max) c.concurrency = r.concurrency as number;
  return c;
}

/** The options remembered from the last run, or the defaults. */
export function loadChoices(): WriteChoices {
  try {
    const text = localStorage.getItem(CHOICES_KEY);
    return text ? choicesFrom(JSON.parse(text)) : { ...DEFAULT_CHOICES };
  } catch {
    return { ...DEFAULT_CHOICES };
  }
}

/** Remember the options for the next run (the defaults are remembered as nothing). */
export function saveChoices(c: WriteChoices): void {
  const clean = choicesFrom(c);
  try {
    if (sameChoices(clean, DEFAULT_CHOICES)) localStorage.removeItem(CHOICES_KEY);
    else localStorage.setItem(CHOICES_KEY, JSON.stringify(clean));
  } catch {
    /* private mode: the options last for this run only */
  }
}

export function sameChoices(a: WriteChoices, b: WriteChoices): boolean {
  return a.zarr_format === b.zarr_format && a.compression === b.compression && a.concurrency === b.concurrency;
}
