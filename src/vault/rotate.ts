import { deriveKeys, formatKeyString, fromB64, keyIdOf, makeKeyLink, newDataKey, sameId, sealToRecipient, openPassphraseSlot, openValue, sealPassphraseSlot, sealValue, type EnvKeys } from "../crypto/index.js";
import { VaultError, isVaultError } from "../errors.js";
import type { KeySlot, PassphraseSlot, RecipientSlot } from "../format/index.js";
import { keychainAccount, keychainGet, keychainSet } from "../keys/index.js";
import { forgetKey, rememberKey } from "./key-home.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { environmentOf, type OpenVault } from "./session.js";

export interface RotateOptions {
  /** Re-wraps the passphrase slots this passphrase opens; the others are dropped. */
  passphrase?: string;
  /** The caller will show the new key string, so it need not be kept anywhere else. */
  printKey?: boolean;
  /** Drops this member's slots in the same write (`vault member rm`). */
  removeMember?: string;
  /** Told how many values are re-encrypted so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface Rotation {
  keyString: string;
  keychain: "updated" | "unavailable";
  slotsKept: number;
  slotsDropped: number;
  newKeys: EnvKeys;
}

/**
 * A new data key for one environment: every value re-encrypted, passphrase slots
 * re-wrapped, the keychain updated, the old key id retired so old key strings get a
 * "stale key" error. The keychain is written before the file and restored if the
 * file write fails, so no crash leaves the new key unreachable.
 */
export async function rotateEnvironment(v: OpenVault, envName: string, oldKeys: EnvKeys, options: RotateOptions = {}): Promise<Rotation> {
  const current = environmentOf(v.doc, envName);
  const newKeys = deriveKeys(newDataKey());
  const remaining = current.slots.filter((slot) => !(slot.type === "recipient" && slot.member === options.removeMember));
  const slots = rewrapSlots(remaining, oldKeys, newKeys, options.passphrase);

  const account = keychainAccount(v.doc.id, envName);
  let previous: string | undefined;
  let keychain: Rotation["keychain"] = "updated";
  try {
    previous = await keychainGet(account);
    await rememberKey(v.doc.id, envName, newKeys);
  } catch (err) {
    if (!isVaultError(err) || err.code !== "keychain_unavailable") throw err;
    keychain = "unavailable";
  }
  if (keychain === "unavailable" && slots.length === 0 && !options.printKey) {
    throw new VaultError(
      "keychain_unavailable",
      `nowhere to keep the new ${envName} key: no keychain on this machine and no passphrase slot to re-wrap`,
      "run `vault rotate --print-key` and store the printed key (e.g. as VAULT_KEY in CI)",
    );
  }

  try {
    await mutateVault(v, (doc) => {
      const env = verifiedEnvironment(doc, envName, oldKeys);
      const entries = Object.entries(env.secrets);
      entries.forEach(([name, sealed], i) => {
        const place = { vaultId: doc.id, env: envName, name };
        const opened = openValue(oldKeys, place, sealed);
        env.secrets[name] = sealValue(newKeys, place, opened.value, opened);
        options.onProgress?.(i + 1, entries.length);
      });
      env.retiredKeyIds = [...env.retiredKeyIds, env.keyId];
      env.keyLinks = [...env.keyLinks, makeKeyLink(doc.id, envName, oldKeys, newKeys)];
      env.keyId = newKeys.keyId;
      env.slots = slots;
      resealEnvironment(doc, envName, newKeys);
    });
  } catch (err) {
    if (keychain === "updated") {
      await (previous === undefined ? forgetKey(v.doc.id, envName) : keychainSet(account, previous)).catch(() => undefined);
    }
    throw err;
  }
  return {
    keyString: formatKeyString(envName, newKeys.dataKey),
    keychain,
    slotsKept: slots.length,
    slotsDropped: remaining.length - slots.length,
    newKeys,
  };
}

/**
 * Re-wraps every slot for the new key: recipient slots are sealed again to the same
 * public keys (no secret needed); passphrase slots need the passphrase, and those it
 * does not open are dropped.
 */
function rewrapSlots(slots: KeySlot[], oldKeys: EnvKeys, newKeys: EnvKeys, passphrase: string | undefined): KeySlot[] {
  const recipients = slots.filter((s): s is RecipientSlot => s.type === "recipient");
  const passphrases = slots.filter((s): s is PassphraseSlot => s.type === "passphrase");
  const kept: KeySlot[] = [];
  for (const slot of recipients) {
    const pk = fromB64(slot.pk);
    if (pk) kept.push({ ...slot, box: sealToRecipient(newKeys.dataKey, pk) });
  }
  if (passphrases.length === 0) return kept;
  if (passphrase === undefined) {
    throw new VaultError("no_key", "rotation needs the passphrase to re-wrap the passphrase slot", "set VAULT_PASSPHRASE, or run it in a terminal");
  }
  let opened = 0;
  for (const slot of passphrases) {
    const key = openPassphraseSlot(slot, passphrase);
    if (key && sameId(keyIdOf(key), oldKeys.keyId)) {
      kept.push(sealPassphraseSlot(newKeys.dataKey, passphrase, { ops: slot.ops, mem: slot.mem }));
      opened++;
    }
  }
  if (opened === 0) {
    throw new VaultError("wrong_key", "the passphrase opens none of the passphrase slots", "check the passphrase (VAULT_PASSPHRASE) and try again");
  }
  return kept;
}
