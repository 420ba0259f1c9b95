/** Durations in operator settings: `3600`, `90s`, `15m`, `6h`, `1d` → seconds; anything else → undefined. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text);
  if (match === null) {
    return undefined;
  }
  const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] ?? ""] ?? 1;
  return Number(match[1]) * unit;
}
