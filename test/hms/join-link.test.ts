/** HMS_JOIN_URL_TEMPLATE: what the room-code tools build join links from, and what it refuses. */
import { describe, expect, it } from "vitest";
import { hmsConfigFromEnv } from "../../src/providers/hms/config.js";
import { hmsJoinUrlTemplateFromEnv, joinLinkOf } from "../../src/providers/hms/join-link.js";

describe("HMS_JOIN_URL_TEMPLATE", () => {
  it("is optional, and fills {code}, {room_id} and {role} URL-encoded", () => {
    expect(hmsJoinUrlTemplateFromEnv({})).toEqual({ template: undefined });
    const template = "https://acme.app.100ms.live/meeting/{code}?room={room_id}&as={role}";
    expect(hmsJoinUrlTemplateFromEnv({ HMS_JOIN_URL_TEMPLATE: template })).toEqual({ template });
    expect(
      joinLinkOf(template, { code: "wpi-srjb-wer", room_id: "6741a0c2e5f14b9d8a3c7e21", role: "a&b" }),
    ).toBe("https://acme.app.100ms.live/meeting/wpi-srjb-wer?room=6741a0c2e5f14b9d8a3c7e21&as=a%26b");
  });

  it("must fail: not http(s), without {code}, or with an unknown placeholder, naming the variable", () => {
    for (const bad of [
      "ftp://acme.app.100ms.live/{code}",
      "https://acme.app.100ms.live/meeting/",
      "https://acme.app.100ms.live/meeting/{code}?t={token}",
    ]) {
      const result = hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: "given-token", HMS_JOIN_URL_TEMPLATE: bad });
      expect(result).toMatchObject({ kind: "invalid" });
      expect(JSON.stringify(result)).toContain("HMS_JOIN_URL_TEMPLATE");
    }
  });

  it("reaches the client config when valid", () => {
    const template = "https://acme.app.100ms.live/meeting/{code}";
    expect(
      hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: "given-token", HMS_JOIN_URL_TEMPLATE: template }),
    ).toMatchObject({ kind: "configured", config: { joinUrlTemplate: template } });
  });
});
