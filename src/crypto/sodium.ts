import { VaultError } from "../errors.js";
import type { Sodium } from "./sodium-api.js";
import { nativeSodium } from "./sodium-native.js";

export type { Sodium } from "./sodium-api.js";

let loading: Promise<Sodium> | undefined;
let instance: Sodium | undefined;

/**
 * The native build when its prebuild loads on this machine, else WebAssembly, which is
 * only imported then: its import and compile are most of what a WebAssembly start-up
 * costs. Commands that need no key never call this, so they load neither.
 */
export function loadSodium(): Promise<Sodium> {
  loading ??= Promise.resolve(nativeSodium())
    .then((lib) => lib ?? import("./sodium-wasm.js").then((m) => m.wasmSodium()))
    .then(
      (lib) => (instance = lib),
      (err: unknown) => {
        loading = undefined;
        throw new VaultError(
          "io",
          `cannot load libsodium: no native build loads on ${process.platform}-${process.arch} and the WebAssembly build failed (${err instanceof Error ? err.message : String(err)})`,
          "reinstall sealenv (`npm install sealenv`, or `npm ci` in a clone) so that sodium-native and libsodium-wrappers-sumo are complete",
        );
      },
    );
  return loading;
}

/** Makes `lib` the build every call uses: how test/unit/sodium-builds.test.ts runs the same code on both. */
export function useSodium(lib: Sodium): void {
  instance = lib;
  loading = Promise.resolve(lib);
}

export function sodium(): Sodium {
  if (!instance) throw new Error("libsodium used before loadSodium() resolved");
  return instance;
}

/** The build already loaded, if any: for work that libsodium can do but need not wait for. */
export function loadedSodium(): Sodium | undefined {
  return instance;
}

/** Nonces, salts, ids and keys: libsodium's generator, which asks the operating system. */
export function randomBytes(count: number): Uint8Array {
  return sodium().randombytes_buf(count);
}

export const toB64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Returns undefined for text that is not unpadded base64url, so callers report their own
 * error. Node's decoder is lenient, so the alphabet and length are checked first.
 */
export function fromB64(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export const DATA_KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const SIGNATURE_BYTES = 64;
export const SIGNING_KEY_BYTES = 32;
