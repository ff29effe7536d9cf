#!/usr/bin/env node
// CommonJS (bin/package.json says so): `vault run` starts faster through Node's CommonJS loader.
require("../dist/bin/start.cjs").start(process.argv);
