#!/usr/bin/env node
require("../dist/bin/hot.cjs").main(process.argv);
