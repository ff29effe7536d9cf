/**
 * The library entry (`import { openVault } from "sealenv"`): the same domain API the CLI
 * uses. It never prints, prompts or exits; errors are VaultErrors with a code and a hint.
 */
export * from "./vault.js";
