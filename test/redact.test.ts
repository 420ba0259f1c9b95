/** Spec-driven redaction helpers (src/redact.ts). */
import { describe, expect, it } from "vitest";
import { collectSecrets, REDACTED, redactPaths } from "../src/redact.js";

const page = {
  limit: 10,
  data: [
    { id: "a", creds: { key: "k1", secret: "s1", rotation: 3 }, hooks: { "x-a": "h1", "x-b": "h2" } },
    { id: "b" },
  ],
  last: "",
};

describe("redactPaths", () => {
  it("replaces every string at or below each path, through arrays and maps, and keeps the shape", () => {
    const redacted = redactPaths(page, [
      ["data", "[]", "creds"],
      ["data", "[]", "hooks", "*"],
    ]);
    expect(redacted).toEqual({
      limit: 10,
      data: [
        {
          id: "a",
          creds: { key: REDACTED, secret: REDACTED, rotation: 3 },
          hooks: { "x-a": REDACTED, "x-b": REDACTED },
        },
        { id: "b" },
      ],
      last: "",
    });
  });

  it("returns a copy and leaves the input alone", () => {
    const input = structuredClone(page);
    redactPaths(input, [["data", "[]", "creds"]]);
    expect(input).toEqual(page);
  });

  it("ignores paths the value does not have, or of another shape", () => {
    expect(redactPaths({ data: null, x: "1" }, [["data", "[]", "creds"], ["x", "y"], ["missing"]])).toEqual({
      data: null,
      x: "1",
    });
    expect(redactPaths(page, undefined)).toBe(page);
  });
});

describe("collectSecrets", () => {
  it("finds every string at or below the paths", () => {
    expect(
      collectSecrets(page, [
        ["data", "[]", "creds"],
        ["data", "[]", "hooks", "*"],
      ]).sort(),
    ).toEqual(["h1", "h2", "k1", "s1"]);
    expect(collectSecrets({}, [["creds"]])).toEqual([]);
  });
});
