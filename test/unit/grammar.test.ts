import type { Command } from "commander";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { auditCommand } from "../../src/cli/commands/audit.js";
import type { completeNamesCommand } from "../../src/cli/commands/completion.js";
import type { doctorCommand } from "../../src/cli/commands/doctor.js";
import type { editCommand } from "../../src/cli/commands/edit.js";
import type { envAddCommand, envDefaultCommand, envLsCommand, envRmCommand } from "../../src/cli/commands/env.js";
import type { exportCommand } from "../../src/cli/commands/export.js";
import type { getCommand } from "../../src/cli/commands/get.js";
import type { gitConflictsCommand, gitHookInstallCommand, gitMergeCommand, gitSetupCommand, gitTextconvCommand } from "../../src/cli/commands/git.js";
import type { identityNewCommand, identityShowCommand } from "../../src/cli/commands/identity.js";
import type { importCommand } from "../../src/cli/commands/import.js";
import type { initCommand } from "../../src/cli/commands/init.js";
import type { keyExportCommand, keyForgetCommand, keyImportCommand } from "../../src/cli/commands/key.js";
import type { lsCommand } from "../../src/cli/commands/ls.js";
import type { memberAddCommand, memberLsCommand, memberRmCommand, trustCommand } from "../../src/cli/commands/member.js";
import type { resolveCommand } from "../../src/cli/commands/resolve.js";
import type { rmCommand } from "../../src/cli/commands/rm.js";
import type { rotateCommand } from "../../src/cli/commands/rotate.js";
import type { runCommand } from "../../src/cli/commands/run.js";
import type { scanCommand } from "../../src/cli/commands/scan.js";
import type { setCommand } from "../../src/cli/commands/set.js";
import type { statusCommand } from "../../src/cli/commands/status.js";
import { attributeName, COMMANDS, optionsOf, type ArgumentsOf, type CommandPath, type OptionsOf } from "../../src/cli/grammar.js";
import { buildProgram } from "../../src/cli/program.js";

/** What the table says a command's function is called with: its arguments, then its options. */
type Call<P extends CommandPath> = [...ArgumentsOf<P>, OptionsOf<P>];

describe("the grammar table", () => {
  // Checked by `npm run typecheck`: program.ts alone would let a command's function declare
  // an optional option the table lacks, since commander's object still fits it.
  it("gives each command's function exactly the arguments and options it declares", () => {
    expectTypeOf<Parameters<typeof initCommand>>().toEqualTypeOf<Call<"init">>();
    expectTypeOf<Parameters<typeof setCommand>>().toEqualTypeOf<Call<"set">>();
    expectTypeOf<Parameters<typeof statusCommand>>().toEqualTypeOf<Call<"status">>();
    expectTypeOf<Parameters<typeof getCommand>>().toEqualTypeOf<Call<"get">>();
    expectTypeOf<Parameters<typeof rmCommand>>().toEqualTypeOf<Call<"rm">>();
    expectTypeOf<Parameters<typeof lsCommand>>().toEqualTypeOf<Call<"ls">>();
    expectTypeOf<Parameters<typeof runCommand>>().toEqualTypeOf<Call<"run">>();
    expectTypeOf<Parameters<typeof editCommand>>().toEqualTypeOf<Call<"edit">>();
    expectTypeOf<Parameters<typeof importCommand>>().toEqualTypeOf<Call<"import">>();
    expectTypeOf<Parameters<typeof exportCommand>>().toEqualTypeOf<Call<"export">>();
    expectTypeOf<Parameters<typeof rotateCommand>>().toEqualTypeOf<Call<"rotate">>();
    expectTypeOf<Parameters<typeof envLsCommand>>().toEqualTypeOf<Call<"env ls">>();
    expectTypeOf<Parameters<typeof envAddCommand>>().toEqualTypeOf<Call<"env add">>();
    expectTypeOf<Parameters<typeof envRmCommand>>().toEqualTypeOf<Call<"env rm">>();
    expectTypeOf<Parameters<typeof envDefaultCommand>>().toEqualTypeOf<Call<"env default">>();
    expectTypeOf<Parameters<typeof keyExportCommand>>().toEqualTypeOf<Call<"key export">>();
    expectTypeOf<Parameters<typeof keyImportCommand>>().toEqualTypeOf<Call<"key import">>();
    expectTypeOf<Parameters<typeof keyForgetCommand>>().toEqualTypeOf<Call<"key forget">>();
    expectTypeOf<Parameters<typeof scanCommand>>().toEqualTypeOf<Call<"scan">>();
    expectTypeOf<Parameters<typeof identityNewCommand>>().toEqualTypeOf<Call<"identity new">>();
    expectTypeOf<Parameters<typeof identityShowCommand>>().toEqualTypeOf<ArgumentsOf<"identity show">>();
    expectTypeOf<Parameters<typeof memberAddCommand>>().toEqualTypeOf<Call<"member add">>();
    expectTypeOf<Parameters<typeof memberLsCommand>>().toEqualTypeOf<Call<"member ls">>();
    expectTypeOf<Parameters<typeof memberRmCommand>>().toEqualTypeOf<Call<"member rm">>();
    expectTypeOf<Parameters<typeof trustCommand>>().toEqualTypeOf<Call<"trust">>();
    expectTypeOf<Parameters<typeof doctorCommand>>().toEqualTypeOf<Call<"doctor">>();
    expectTypeOf<Parameters<typeof auditCommand>>().toEqualTypeOf<Call<"audit">>();
    expectTypeOf<Parameters<typeof resolveCommand>>().toEqualTypeOf<Call<"resolve">>();
    expectTypeOf<Parameters<typeof gitSetupCommand>>().toEqualTypeOf<Call<"git setup">>();
    expectTypeOf<Parameters<typeof gitConflictsCommand>>().toEqualTypeOf<Call<"git conflicts">>();
    expectTypeOf<Parameters<typeof gitHookInstallCommand>>().toEqualTypeOf<Call<"git hook install">>();
    expectTypeOf<Parameters<typeof gitTextconvCommand>>().toEqualTypeOf<Call<"git textconv">>();
    expectTypeOf<Parameters<typeof gitMergeCommand>>().toEqualTypeOf<ArgumentsOf<"git merge">>();
    expectTypeOf<Parameters<typeof completeNamesCommand>>().toEqualTypeOf<Call<"__complete">>();
  });

  it("names options as commander does", () => {
    expectTypeOf<OptionsOf<"run">>().toEqualTypeOf<{ env?: string; vault?: string; yes?: boolean; allowRollback?: boolean; override?: boolean; mask?: boolean }>();
    expectTypeOf<OptionsOf<"set">>().toHaveProperty("rotateEvery").toEqualTypeOf<string | undefined>();
    expectTypeOf<OptionsOf<"env add">>().toHaveProperty("samePassphrase").toEqualTypeOf<boolean | undefined>();
    expectTypeOf<OptionsOf<"rotate">>().toHaveProperty("printKey").toEqualTypeOf<boolean | undefined>();
    expectTypeOf<OptionsOf<"git setup">>().toHaveProperty("diffValues").toEqualTypeOf<boolean | undefined>();
    // A default is always there; choices are the only values.
    expectTypeOf<OptionsOf<"export">>().toHaveProperty("format").toEqualTypeOf<"dotenv" | "json" | "shell" | "docker" | "k8s" | "yaml">();
    expectTypeOf<ArgumentsOf<"set">>().toEqualTypeOf<[string, string | undefined]>();
    expectTypeOf<ArgumentsOf<"scan">>().toEqualTypeOf<[string[]]>();

    const program = buildProgram(() => {});
    const visit = (cmd: Command, prefix: string) => {
      for (const sub of cmd.commands) {
        const path = `${prefix}${sub.name()}`;
        if (path in COMMANDS) {
          expect(sub.options.map((o) => o.attributeName()), path).toEqual(optionsOf(path as CommandPath).map(attributeName));
        }
        visit(sub, `${path} `);
      }
    };
    visit(program, "");
  });
});
