import type { Command } from "commander";

/** What each command's help shows under EXAMPLES (gh's style): the common ways to use it, runnable as written. */
const EXAMPLES: Record<string, string[]> = {
  init: ["vault init                      # key in the OS keychain", "vault init --passphrase         # or a passphrase (VAULT_PASSPHRASE, or asked)"],
  set: [
    "vault set API_KEY                # typed hidden",
    "printf %s \"$TOKEN\" | vault set API_KEY --env production",
    "vault set --template DATABASE_URL 'postgres://app:${DB_PASSWORD}@${DB_HOST:-localhost}/app'",
    "vault set DB_PASSWORD --rotate-every 90d",
  ],
  get: ["vault get API_KEY", "vault get API_KEY --env production", "curl -H \"Authorization: Bearer $(vault get API_TOKEN)\" https://api.example.com"],
  rm: ["vault rm OLD_TOKEN", "vault rm A B --env staging"],
  ls: ["vault ls", "vault ls --env production --json"],
  run: [
    "vault run -- npm start",
    "vault run --env production -- node server.js",
    "VAULT_KEY_PRODUCTION=\"$KEY\" vault run --env production -- ./deploy.sh   # CI",
    "vault run --mask -- npm test       # secrets in the output shown as [masked NAME]",
  ],
  edit: ["vault edit", "EDITOR=nano vault edit --env staging"],
  import: ["vault import .env", "vault import --expand .env         # ${NAME} as dotenv-expand reads it", "cat .env.production | vault import - --env production"],
  export: [
    "vault export > .env.local",
    "vault export --format json",
    "eval \"$(vault export --format shell)\"",
    "docker run --env-file <(vault export --format docker --env production) IMAGE",
    "vault export --format k8s --env production --namespace web | kubectl apply -f -",
  ],
  example: ["vault example > .env.example", "vault example --all > .env.example     # every environment's names"],
  check: ["vault check                          # the default environment has every name in .env.example", "vault check --all --strict            # in CI: every environment, and no name the example lacks"],
  "ci github": ["VAULT_KEY_PRODUCTION=\"$KEY\" vault ci github --env production   # a step in a GitHub Actions job"],
  rotate: ["vault rotate --env production", "vault rotate --env production --print-key > new-key.txt"],
  status: ["vault status", "vault status --check                # in CI: exit 18 when overdue, 23 when it could not check"],
  "env ls": ["vault env ls", "vault env ls --json"],
  "env add": ["vault env add staging", "vault env add production --passphrase"],
  "env rm": ["vault env rm staging --yes"],
  "env default": ["vault env default staging"],
  "key export": ["vault key export --env production     # the key string, for a CI secret"],
  "key import": ["vault key import < key.txt"],
  "key forget": ["vault key forget --env production"],
  scan: ["vault scan", "vault scan --staged                 # what the pre-commit hook runs", "VAULT_KEY_PRODUCTION=\"$KEY\" vault scan --history   # in CI"],
  "identity new": ["vault identity new                  # prints your public key, to send to a teammate"],
  "identity show": ["vault identity show"],
  "member add": [
    "vault member add alice sealenv-recipient-1:... --env development,staging",
    "vault member add bob \"$(cat ~/.ssh/id_ed25519.pub)\" --env production",
    "vault member add carol age1... --env production",
  ],
  "member ls": ["vault member ls"],
  "member rm": ["vault member rm alice", "vault member rm SHA256:3f2a...      # by key fingerprint"],
  trust: ["vault trust --env production        # after checking `git log -p secrets.vault` with your team"],
  doctor: ["vault doctor", "vault doctor --allow-unchecked      # without every environment's key"],
  audit: ["vault audit", "vault audit --verify"],
  resolve: ["vault resolve API_KEY --theirs", "vault resolve --ours"],
  "git setup": ["vault git setup"],
  "git conflicts": ["vault git conflicts"],
  "git hook install": ["vault git hook install"],
  completion: ["eval \"$(vault completion bash)\"     # in ~/.bashrc", "eval \"$(vault completion zsh)\"      # in ~/.zshrc", "vault completion fish | source      # in ~/.config/fish/config.fish"],
};

/** Adds an EXAMPLES section to the help of every command that has examples. */
export function addExamples(program: Command): void {
  const visit = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const name = prefix ? `${prefix} ${sub.name()}` : sub.name();
      const examples = EXAMPLES[name];
      if (examples) sub.addHelpText("after", `\nEXAMPLES\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
      visit(sub, name);
    }
  };
  visit(program, "");
}
