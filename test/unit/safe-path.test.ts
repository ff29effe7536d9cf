import { describe, expect, it } from "vitest";
import { unsafeReason } from "../../src/store/safe-path.js";

const me = { uid: 1000, gid: 1000 };
const entry = (mode: number, uid = 1000, gid = 1000) => ({ uid, gid, mode: 0o040000 | mode });

describe("who else could have written a found vault", () => {
  it("accepts what only its owner can write", () => {
    expect(unsafeReason(entry(0o755), me, true)).toBeUndefined();
    expect(unsafeReason(entry(0o644), me, false)).toBeUndefined();
  });

  it("refuses what another user owns, whatever its mode", () => {
    expect(unsafeReason(entry(0o700, 1001), me, true)).toBe("is owned by another user (uid 1001)");
    expect(unsafeReason(entry(0o1777, 0), me, true)).toBe("is owned by another user (uid 0)");
  });

  it("refuses what every user can write, unless it is a sticky folder", () => {
    expect(unsafeReason(entry(0o777), me, true)).toBe("is writable by every user");
    expect(unsafeReason(entry(0o1777), me, true)).toBeUndefined();
    // The sticky bit protects a folder's entries; it means nothing on a file.
    expect(unsafeReason(entry(0o1666), me, false)).toBe("is writable by every user");
  });

  it("refuses a group-writable entry of a group shared with others", () => {
    expect(unsafeReason(entry(0o775, 1000, 100), me, true)).toBe("is writable by group 100");
    expect(unsafeReason(entry(0o664, 1000, 100), me, false)).toBe("is writable by group 100");
    // Primary group 100 ("users") is not a private group, even though it is ours.
    expect(unsafeReason(entry(0o775, 1000, 100), { uid: 1000, gid: 100 }, true)).toBe("is writable by group 100");
  });

  it("accepts a group-writable entry of the user's private group (umask 002)", () => {
    expect(unsafeReason(entry(0o775), me, true)).toBeUndefined();
    expect(unsafeReason(entry(0o664), me, false)).toBeUndefined();
  });
});
