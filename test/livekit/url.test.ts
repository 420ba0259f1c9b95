import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../src/errors.js";
import { toHttpBaseUrl } from "../../src/providers/livekit/url.js";

describe("toHttpBaseUrl", () => {
  it.each([
    ["wss://my-project.livekit.cloud", "https://my-project.livekit.cloud"],
    ["wss://my-project.livekit.cloud/", "https://my-project.livekit.cloud"],
    ["ws://localhost:7880", "http://localhost:7880"],
    ["http://localhost:7880", "http://localhost:7880"],
    ["https://lk.example.com:8443/", "https://lk.example.com:8443"],
    ["HTTPS://LK.Example.COM", "https://lk.example.com"],
    ["wss://lk.example.com:443", "https://lk.example.com"],
    ["  https://lk.example.com  ", "https://lk.example.com"],
    ["https://example.com/livekit", "https://example.com/livekit"],
    ["wss://example.com/livekit///", "https://example.com/livekit"],
    ["http://[::1]:7880", "http://[::1]:7880"],
  ])("%s → %s", (input, expected) => {
    expect(toHttpBaseUrl(input)).toBe(expected);
  });

  it.each([
    ["my.livekit.cloud", /no scheme.*wss:\/\/my\.livekit\.cloud/],
    ["localhost:7880", /no scheme/],
    ["", /empty/],
    ["ftp://lk.example.com", /unsupported scheme "ftp:"/],
    ["https://", /not a valid URL/],
    ["https://lk.example.com/?region=eu", /query/],
  ])("rejects %j", (input, message) => {
    const call = () => toHttpBaseUrl(input);
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
    try {
      call();
    } catch (e) {
      expect((e as ArgumentError).argument).toBe("LIVEKIT_URL");
    }
  });

  it("does not echo user info, which may hold a password", () => {
    expect(() => toHttpBaseUrl("https://key:s3cr3t@lk.example.com")).toThrow(/user info/);
    try {
      toHttpBaseUrl("https://key:s3cr3t@lk.example.com");
    } catch (e) {
      expect((e as Error).message).not.toContain("s3cr3t");
    }
  });
});
