#!/usr/bin/env node
// The prodx executable: everything lives in the bundled CLI.
import '../dist/cli.js';
