import { beforeEach, describe, expect, it } from "vitest";
import type { WriteChoices } from "./bindings/WriteChoices";
import { CHOICES_KEY, choicesFrom, DEFAULT_CHOICES, loadChoices, saveChoices, validCompression } from "./choices";
import { initialState } from "./state";

describe("remembered write options", () => {
  beforeEach(() => localStorage.clear());

  it("starts from the defaults when nothing is remembered", () => {
    expect(loadChoices()).toEqual({ zarr_format: 2, compression: "zstd:3", concurrency: 8 });
    expect(initialState().choices).toEqual(DEFAULT_CHOICES);
  });

  it("survives a reload: saved, then loaded by a fresh state", () => {
    saveChoices({ zarr_format: 3, compression: "blosc-zstd:7", concurrency: 24 });
    expect(JSON.parse(localStorage.getItem(CHOICES_KEY)!)).toEqual({ zarr_format: 3, compression: "blosc-zstd:7", concurrency: 24 });
    expect(initialState().choices).toEqual({ zarr_format: 3, compression: "blosc-zstd:7", concurrency: 24 });
    // Each fresh state has its own copy.
    const a = initialState();
    a.choices.concurrency = 2;
    expect(initialState().choices.concurrency).toBe(24);
  });

  it("remembers the defaults as nothing", () => {
    saveChoices({ zarr_format: 3, compression: "none", concurrency: 8 });
    saveChoices({ ...DEFAULT_CHOICES });
    expect(localStorage.getItem(CHOICES_KEY)).toBeNull();
  });

  it("stores the three options only, never anything else", () => {
    saveChoices({ zarr_format: 3, compression: "gzip:9", concurrency: 4, token: "s3cr3t", destination: { kind: "s3" } } as unknown as WriteChoices);
    const stored = localStorage.getItem(CHOICES_KEY)!;
    expect(Object.keys(JSON.parse(stored)).sort()).toEqual(["compression", "concurrency", "zarr_format"]);
    expect(stored).not.toContain("s3cr3t");
  });

  it("ignores invalid remembered values, each falling back to its default", () => {
    const load = (text: string) => {
      localStorage.setItem(CHOICES_KEY, text);
      return initialState().choices;
    };
    expect(load(JSON.stringify({ zarr_format: 4, compression: "lz4:3", concurrency: 1000, token: "x" }))).toEqual(DEFAULT_CHOICES);
    expect(load(JSON.stringify({ zarr_format: 3, compression: "zstd:99", concurrency: "16" }))).toEqual({ zarr_format: 3, compression: "zstd:3", concurrency: 8 });
    expect(load(JSON.stringify({ zarr_format: "3", compression: "gzip:4", concurrency: 2.5 }))).toEqual({ zarr_format: 2, compression: "gzip:4", concurrency: 8 });
    expect(load(JSON.stringify({ concurrency: 0 }))).toEqual(DEFAULT_CHOICES);
    expect(load(JSON.stringify({ concurrency: 64 })).concurrency).toBe(64);
    for (const junk of ["{", "null", "[]", '"zstd:3"', "42", ""]) expect(load(junk)).toEqual(DEFAULT_CHOICES);
  });

  it("accepts exactly the compressions the options can produce", () => {
    for (const ok of ["none", "zstd:1", "zstd:22", "blosc-zstd:9", "gzip:1"]) expect(validCompression(ok), ok).toBe(true);
    for (const bad of ["zstd", "zstd:0", "zstd:23", "gzip:10", "ZSTD:3", "none:0", " zstd:3", "lz4:1", "", 3, null]) expect(validCompression(bad), String(bad)).toBe(false);
    expect(choicesFrom(undefined)).toEqual(DEFAULT_CHOICES);
  });

  it("falls back to the defaults when localStorage is out of reach", () => {
    saveChoices({ zarr_format: 3, compression: "none", concurrency: 8 });
    expect(loadChoices().zarr_format).toBe(3);
    const get = Storage.prototype.getItem;
    Storage.prototype.getItem = () => {
      throw new Error("denied");
    };
    try {
      expect(loadChoices()).toEqual(DEFAULT_CHOICES);
    } finally {
      Storage.prototype.getItem = get;
    }
  });
});
